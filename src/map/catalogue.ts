// The annotation catalogue: data in mappings/*.yaml, one entry per ingress-nginx
// annotation. Loaded once; transforms and docs both read it from here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { Severity } from '../model/findings.js';
import type { Target } from '../model/contour.js';

export type MappingFidelity = 'exact' | 'approximate' | 'unsupported';

/** How ingress-nginx treats an invalid value (its three failure classes, plus none). */
export type InvalidValueBehaviour = 'silent-default' | 'location-denied' | 'ingress-skipped' | 'none';

export interface TargetMapping {
  /** The Contour field it maps to, for docs; absent when unsupported. */
  field?: string;
  fidelity: MappingFidelity;
  /** Minimum Contour version for the field (HTTPProxy). */
  minContour?: string;
  severity: Severity;
  /** What changes for the user's traffic. */
  message: string;
}

export interface CatalogueEntry {
  key: string;
  family: string;
  /** The canonical key when this one is an alias (whitelist-source-range → allowlist-source-range). */
  aliasOf?: string;
  /** Removed from current ingress-nginx but still found in old manifests. */
  legacy?: boolean;
  valueType: string;
  values?: string[];
  default?: string;
  scope: 'ingress' | 'host';
  invalid: InvalidValueBehaviour;
  /** What ingress-nginx does with it, one sentence. */
  nginx: string;
  /** Name of the transform in src/map/transforms that consumes it; absent = report only. */
  transform?: string;
  /** Whether nginx still honours it on a canary Ingress. */
  canary?: boolean;
  ingressroute: TargetMapping;
  httpproxy: TargetMapping;
}

export interface Family {
  family: string;
  title: string;
  file: string;
  annotations: CatalogueEntry[];
}

export class Catalogue {
  private readonly byKey = new Map<string, CatalogueEntry>();
  private readonly spellingsOf = new Map<string, string[]>();

  constructor(readonly families: Family[]) {
    for (const fam of families) {
      for (const entry of fam.annotations) {
        if (this.byKey.has(entry.key)) throw new Error(`mappings: duplicate key ${entry.key} in ${fam.file}`);
        this.byKey.set(entry.key, entry);
        const canonical = entry.aliasOf ?? entry.key;
        this.spellingsOf.set(canonical, [...(this.spellingsOf.get(canonical) ?? []), entry.key]);
      }
    }
  }

  get(key: string): CatalogueEntry | undefined {
    return this.byKey.get(key);
  }

  entries(): CatalogueEntry[] {
    return this.families.flatMap((f) => f.annotations);
  }

  /** The key itself plus every alias that means the same annotation. */
  spellings(key: string): string[] {
    const canonical = this.byKey.get(key)?.aliasOf ?? key;
    return this.spellingsOf.get(canonical) ?? [key];
  }

  mapping(key: string, target: Target): TargetMapping | undefined {
    return this.byKey.get(key)?.[target];
  }
}

export const MAPPINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'mappings');

let cached: Catalogue | undefined;

/** The bundled catalogue (mappings/ beside src/ or dist/). */
export function loadCatalogue(dir = MAPPINGS_DIR): Catalogue {
  if (dir === MAPPINGS_DIR && cached) return cached;
  const families = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => parseFamily(readFileSync(path.join(dir, file), 'utf8'), file));
  const catalogue = new Catalogue(families);
  if (dir === MAPPINGS_DIR) cached = catalogue;
  return catalogue;
}

export function parseFamily(text: string, file: string): Family {
  const raw = yaml.load(text) as Partial<Family> | null;
  if (!raw || typeof raw.family !== 'string' || !Array.isArray(raw.annotations)) throw new Error(`mappings/${file}: needs family and annotations`);
  const annotations = raw.annotations.map((e) => ({ ...e, family: raw.family as string }) as CatalogueEntry);
  return { family: raw.family, title: raw.title ?? raw.family, file, annotations };
}

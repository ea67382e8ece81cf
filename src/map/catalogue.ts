// The annotation catalogue: data in mappings/*.yaml, one entry per ingress-nginx
// annotation. Loaded once; transforms and docs both read it from here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYaml } from '../read/documents.js';
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
  /**
   * The access control this annotation enforces in nginx (e.g. "external authentication"):
   * when its verdict says the output cannot keep it, the routes it protected are never
   * published open (see src/plan/lower.ts).
   */
  accessControl?: string;
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
  const raw = loadYaml(text) as Partial<Family> | null;
  if (!raw || typeof raw.family !== 'string' || !Array.isArray(raw.annotations)) throw new Error(`mappings/${file}: needs family and annotations`);
  const family = raw.family;
  const annotations = (raw.annotations as unknown[]).map((e, i) => validateEntry(e, `mappings/${file}: entry ${i + 1}`, family));
  return { family, title: raw.title ?? family, file, annotations };
}

const FIDELITIES = new Set(['exact', 'approximate', 'unsupported']);
const SEVERITIES = new Set(['info', 'warn', 'error']);
const SCOPES = new Set(['ingress', 'host']);
const INVALID = new Set(['silent-default', 'location-denied', 'ingress-skipped', 'none']);

/** A catalogue entry is data a person edits: check every field once, at load, with a line that names it. */
function validateEntry(value: unknown, where: string, family: string): CatalogueEntry {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: not a map`);
  const e = value as Record<string, unknown>;
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}${typeof e.key === 'string' ? ` (${e.key})` : ''}: ${field} ${why}`);
  };
  const str = (field: string, optional = false): void => {
    if (e[field] === undefined && optional) return;
    if (typeof e[field] !== 'string' || e[field] === '') fail(field, 'must be a non-empty string');
  };
  const oneOf = (field: string, allowed: Set<string>, v: unknown = e[field]): void => {
    if (typeof v !== 'string' || !allowed.has(v)) fail(field, `must be one of ${[...allowed].join(', ')}`);
  };
  str('key');
  str('valueType');
  str('nginx');
  oneOf('scope', SCOPES);
  oneOf('invalid', INVALID);
  for (const f of ['aliasOf', 'transform', 'accessControl']) str(f, true);
  if (e.default !== undefined && typeof e.default !== 'string') fail('default', 'must be a string (quote it in YAML)');
  for (const f of ['legacy', 'canary']) if (e[f] !== undefined && typeof e[f] !== 'boolean') fail(f, 'must be true or false');
  if (e.values !== undefined && !(Array.isArray(e.values) && e.values.every((v) => typeof v === 'string'))) fail('values', 'must be a list of strings');
  for (const target of ['ingressroute', 'httpproxy'] as const) {
    const m = e[target];
    if (typeof m !== 'object' || m === null) fail(target, 'is missing');
    const t = m as Record<string, unknown>;
    oneOf(`${target}.fidelity`, FIDELITIES, t.fidelity);
    oneOf(`${target}.severity`, SEVERITIES, t.severity);
    if (typeof t.message !== 'string' || t.message === '') fail(`${target}.message`, 'must be a non-empty string');
    if (t.minContour !== undefined && (typeof t.minContour !== 'string' || !/^\d+\.\d+$/.test(t.minContour))) fail(`${target}.minContour`, 'must be a version like "1.25" (quoted)');
  }
  return { ...(e as unknown as CatalogueEntry), family };
}

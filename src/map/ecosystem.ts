// The ecosystem catalogue: data in mappings/ecosystem/*.yaml, one entry per annotation key (or key
// prefix) that another tool than ingress-nginx reads on an Ingress (cert-manager, external-dns) or
// writes there (kubectl, Helm, Argo CD, Flux…). It says which tool owns the key, what that tool does
// with it and what the conversion does with it. Validated once, at load, with a line naming the file,
// the entry and the field.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadYaml } from '../read/documents.js';
import type { Severity } from '../model/findings.js';
import { MAPPINGS_DIR } from './catalogue.js';

/**
 * What the conversion does with the key:
 * - certificate: becomes (part of) an emitted cert-manager Certificate;
 * - root-annotation: carried to the root HTTPProxy of each host of the Ingress;
 * - read: read by the conversion itself (e.g. the Ingress class);
 * - ignored: the owning tool ignores it on an Ingress, so nothing changes;
 * - not-carried: dropped, with the reason in `message`.
 */
export type EcosystemOutput = 'certificate' | 'root-annotation' | 'read' | 'ignored' | 'not-carried';

export interface EcosystemEntry {
  /** Exactly one of key and prefix. */
  key?: string;
  prefix?: string;
  /** The tool that reads or writes the key. */
  tool: string;
  /** What the owning tool does with it, one sentence. */
  does: string;
  output: EcosystemOutput;
  /** The field of the output it becomes, for docs. */
  field?: string;
  severity: Severity;
  /** What the conversion does with it, for the report. */
  message: string;
  /** The file it comes from (mappings/ecosystem/<file>). */
  file: string;
}

export interface EcosystemFile {
  tool: string;
  title: string;
  file: string;
  annotations: EcosystemEntry[];
}

export const ECOSYSTEM_DIR = path.join(MAPPINGS_DIR, 'ecosystem');

export class EcosystemCatalogue {
  private readonly byKey = new Map<string, EcosystemEntry>();
  /** Longest prefix first. */
  private readonly prefixes: EcosystemEntry[] = [];

  constructor(readonly files: EcosystemFile[]) {
    for (const f of files) {
      for (const e of f.annotations) {
        const name = e.key ?? e.prefix ?? '';
        const where = `mappings/ecosystem/${f.file}`;
        if (e.key !== undefined) {
          if (this.byKey.has(e.key)) throw new Error(`${where}: ${name}: duplicate key (also in mappings/ecosystem/${this.byKey.get(e.key)?.file ?? '?'})`);
          this.byKey.set(e.key, e);
        } else {
          const twin = this.prefixes.find((p) => p.prefix === e.prefix);
          if (twin) throw new Error(`${where}: ${name}: duplicate prefix (also in mappings/ecosystem/${twin.file})`);
          this.prefixes.push(e);
        }
      }
    }
    this.prefixes.sort((a, b) => (b.prefix?.length ?? 0) - (a.prefix?.length ?? 0));
  }

  /** The entry for a full annotation key: its own entry, else the longest prefix that covers it. */
  lookup(key: string): EcosystemEntry | undefined {
    return this.byKey.get(key) ?? this.prefixes.find((p) => key.startsWith(p.prefix ?? '\u0000'));
  }

  entries(): EcosystemEntry[] {
    return this.files.flatMap((f) => f.annotations);
  }
}

let cached: EcosystemCatalogue | undefined;

/** The bundled ecosystem catalogue (mappings/ecosystem beside src/ or dist/). */
export function loadEcosystem(dir = ECOSYSTEM_DIR): EcosystemCatalogue {
  if (dir === ECOSYSTEM_DIR && cached) return cached;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => parseEcosystemFile(readFileSync(path.join(dir, file), 'utf8'), file));
  const catalogue = new EcosystemCatalogue(files);
  if (dir === ECOSYSTEM_DIR) cached = catalogue;
  return catalogue;
}

const OUTPUTS = new Set<string>(['certificate', 'root-annotation', 'read', 'ignored', 'not-carried']);
const SEVERITIES = new Set<string>(['info', 'warn', 'error']);
const KNOWN_FIELDS = new Set(['key', 'prefix', 'tool', 'does', 'output', 'field', 'severity', 'message']);
/** An annotation key: optional DNS prefix and `/`, then a name (Kubernetes' qualified-name rules, loosely). */
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/$/;

export function parseEcosystemFile(text: string, file: string): EcosystemFile {
  const where = `mappings/ecosystem/${file}`;
  let raw: unknown;
  try {
    raw = loadYaml(text);
  } catch (err) {
    throw new Error(`${where}: not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: needs tool and annotations`);
  const r = raw as Record<string, unknown>;
  if (typeof r.tool !== 'string' || r.tool === '' || !Array.isArray(r.annotations)) throw new Error(`${where}: needs tool and annotations`);
  if (r.title !== undefined && typeof r.title !== 'string') throw new Error(`${where}: title must be a string`);
  const tool = r.tool;
  const annotations = (r.annotations as unknown[]).map((e, i) => validateEntry(e, `${where}: entry ${i + 1}`, tool, file));
  return { tool, title: typeof r.title === 'string' ? r.title : tool, file, annotations };
}

function validateEntry(value: unknown, where: string, fileTool: string, file: string): EcosystemEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: not a map`);
  const e = value as Record<string, unknown>;
  const name = typeof e.key === 'string' ? e.key : typeof e.prefix === 'string' ? e.prefix : undefined;
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}${name ? ` (${name})` : ''}: ${field} ${why}`);
  };
  for (const k of Object.keys(e)) if (!KNOWN_FIELDS.has(k)) fail(k, `is not a field (fields: ${[...KNOWN_FIELDS].join(', ')})`);
  const str = (field: string, optional = false): string | undefined => {
    const v = e[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') fail(field, 'must be a non-empty string');
    return v as string;
  };
  if ((e.key === undefined) === (e.prefix === undefined)) fail('key', 'or prefix: exactly one of them is required');
  const key = str('key', true);
  const prefix = str('prefix', true);
  if (key !== undefined && !KEY.test(key)) fail('key', 'must be an annotation key like example.io/name');
  if (prefix !== undefined && !PREFIX.test(prefix)) fail('prefix', 'must be a DNS prefix ending in / (like example.io/)');
  const output = str('output');
  if (!OUTPUTS.has(output ?? '')) fail('output', `must be one of ${[...OUTPUTS].join(', ')}`);
  const severity = str('severity');
  if (!SEVERITIES.has(severity ?? '')) fail('severity', `must be one of ${[...SEVERITIES].join(', ')}`);
  const entry: EcosystemEntry = {
    tool: str('tool', true) ?? fileTool,
    does: str('does') ?? '',
    output: output as EcosystemOutput,
    severity: severity as Severity,
    message: str('message') ?? '',
    file,
  };
  if (key !== undefined) entry.key = key;
  if (prefix !== undefined) entry.prefix = prefix;
  const field = str('field', true);
  if (field !== undefined) entry.field = field;
  return entry;
}

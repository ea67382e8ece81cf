// The catalogue of the ingress-nginx controller's own configuration: its ConfigMap keys and its
// command-line flags, as data in mappings/controller/*.yaml (one verdict per key, like the
// annotation catalogue). Validated once, at load, with a line that names the broken field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadYaml } from '../read/documents.js';
import type { Severity } from '../model/findings.js';
import { MAPPINGS_DIR } from './catalogue.js';

/** How nginx parses the value (see the header of mappings/controller/configmap.yaml). */
export type ControllerValueType = 'bool' | 'int' | 'float' | 'size' | 'time' | 'list' | 'cidrs' | 'codes' | 'enum' | 'string';

/**
 * What the conversion does with a key: `applied` (the conversion uses it), `contour-config`
 * (cluster-wide in Contour's configuration), `unsupported` (changes answers, not expressible),
 * `no-effect` (no request observes it through the output).
 */
export type ControllerVerdict = 'applied' | 'contour-config' | 'unsupported' | 'no-effect';

export interface ControllerEntry {
  key: string;
  type: ControllerValueType;
  values?: string[];
  default: string;
  verdict: ControllerVerdict;
  /** The NginxSettings field the value lands in (dotted for nested fields). */
  setting?: string;
  /** Severity of the verdict when the value differs from nginx's default. */
  severity: Severity;
  /** What ingress-nginx does with it, one sentence. */
  nginx: string;
  /** What the conversion does with it / what differs. */
  message: string;
}

export interface ControllerCatalogueFile {
  kind: 'configmap' | 'flags';
  title: string;
  file: string;
  entries: ControllerEntry[];
}

export class ControllerCatalogue {
  private readonly configMapKeys: Map<string, ControllerEntry>;
  private readonly flagKeys: Map<string, ControllerEntry>;

  constructor(readonly files: ControllerCatalogueFile[]) {
    const index = (kind: 'configmap' | 'flags'): Map<string, ControllerEntry> => {
      const out = new Map<string, ControllerEntry>();
      for (const f of files.filter((x) => x.kind === kind)) {
        for (const e of f.entries) {
          if (out.has(e.key)) throw new Error(`mappings/controller/${f.file}: duplicate key ${e.key}`);
          out.set(e.key, e);
        }
      }
      return out;
    };
    this.configMapKeys = index('configmap');
    this.flagKeys = index('flags');
  }

  configMapKey(key: string): ControllerEntry | undefined {
    return this.configMapKeys.get(key);
  }

  flag(name: string): ControllerEntry | undefined {
    return this.flagKeys.get(name);
  }

  configMapEntries(): ControllerEntry[] {
    return [...this.configMapKeys.values()];
  }

  flagEntries(): ControllerEntry[] {
    return [...this.flagKeys.values()];
  }
}

export const CONTROLLER_MAPPINGS_DIR = path.join(MAPPINGS_DIR, 'controller');
const FILES = ['configmap.yaml', 'flags.yaml'];

let cached: ControllerCatalogue | undefined;

/** The bundled controller catalogue (mappings/controller beside src/ or dist/). */
export function loadControllerCatalogue(dir = CONTROLLER_MAPPINGS_DIR): ControllerCatalogue {
  if (dir === CONTROLLER_MAPPINGS_DIR && cached) return cached;
  const catalogue = new ControllerCatalogue(FILES.map((file) => parseControllerFile(readFileSync(path.join(dir, file), 'utf8'), file)));
  if (dir === CONTROLLER_MAPPINGS_DIR) cached = catalogue;
  return catalogue;
}

const TYPES = new Set<string>(['bool', 'int', 'float', 'size', 'time', 'list', 'cidrs', 'codes', 'enum', 'string']);
const VERDICTS = new Set<string>(['applied', 'contour-config', 'unsupported', 'no-effect']);
const SEVERITIES = new Set<string>(['info', 'warn', 'error']);

export function parseControllerFile(text: string, file: string): ControllerCatalogueFile {
  const raw = loadYaml(text) as Record<string, unknown> | null;
  const where = `mappings/controller/${file}`;
  if (!raw || (raw.kind !== 'configmap' && raw.kind !== 'flags') || !Array.isArray(raw.entries)) throw new Error(`${where}: needs kind (configmap or flags) and entries`);
  const entries = (raw.entries as unknown[]).map((e, i) => validateEntry(e, `${where}: entry ${i + 1}`));
  return { kind: raw.kind, title: typeof raw.title === 'string' ? raw.title : raw.kind, file, entries };
}

function validateEntry(value: unknown, where: string): ControllerEntry {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: not a map`);
  const e = value as Record<string, unknown>;
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}${typeof e.key === 'string' ? ` (${e.key})` : ''}: ${field} ${why}`);
  };
  for (const f of ['key', 'nginx', 'message']) if (typeof e[f] !== 'string' || e[f] === '') fail(f, 'must be a non-empty string');
  if (typeof e.default !== 'string') fail('default', "must be a string (quote it in YAML; '' for none)");
  const oneOf = (field: string, allowed: Set<string>): void => {
    if (typeof e[field] !== 'string' || !allowed.has(e[field])) fail(field, `must be one of ${[...allowed].join(', ')}`);
  };
  oneOf('type', TYPES);
  oneOf('verdict', VERDICTS);
  oneOf('severity', SEVERITIES);
  if (e.type === 'enum' && !(Array.isArray(e.values) && e.values.length > 0 && e.values.every((v) => typeof v === 'string'))) fail('values', 'must list the allowed strings of an enum');
  if (e.setting !== undefined && (typeof e.setting !== 'string' || !/^[a-zA-Z]+(\.[a-zA-Z]+)?$/.test(e.setting))) fail('setting', 'must name an NginxSettings field');
  return e as unknown as ControllerEntry;
}

// --nginx-configmap / --nginx-args / --nginx-arg: the ingress-nginx controller's configuration for
// offline runs, read into the same ControllerConfig the cluster discovery fills.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { loadControllerCatalogue } from '../map/controller-catalogue.js';
import { parseControllerArgs } from '../map/controller-config.js';
import type { ControllerConfig } from '../model/controller.js';
import { CliError, EXIT } from './exit-codes.js';

export interface ControllerFlags {
  nginxConfigmap?: string;
  nginxArgs?: string;
  nginxArg?: string[];
}

/** The controller configuration the flags describe; undefined when none was given. */
export function controllerFromFlags(flags: ControllerFlags): ControllerConfig | undefined {
  if (flags.nginxConfigmap === undefined && flags.nginxArgs === undefined && flags.nginxArg === undefined) return undefined;
  const sources: string[] = [];
  const config: ControllerConfig = { source: '', ingressClasses: [], args: {}, configMap: {} };
  if (flags.nginxArgs !== undefined || flags.nginxArg !== undefined) {
    const text = [flags.nginxArgs ?? '', ...(flags.nginxArg ?? []).map((a) => quote(a.startsWith('-') ? a : `--${a}`))].join(' ');
    const parsed = parseControllerArgs(text, loadControllerCatalogue());
    if ('error' in parsed) throw new CliError(`--nginx-args: ${parsed.error}`, EXIT.usage);
    config.args = parsed.args;
    sources.push('--nginx-args');
  }
  if (flags.nginxConfigmap !== undefined) {
    const { data, name } = readConfigMapFile(flags.nginxConfigmap);
    config.configMap = data;
    config.configMapSource = `${name} (${flags.nginxConfigmap})`;
    sources.push(flags.nginxConfigmap);
  }
  // Findings about flags name "flags of <source>", about keys the ConfigMap: the flags' source is what names them.
  config.source = sources[0] ?? '';
  if (config.args['ingress-class']) config.ingressClasses = [config.args['ingress-class']];
  return config;
}

/** One flag as one shell word, so `--nginx-arg '--default-ssl-certificate=ns/x y'` stays whole. */
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** A ConfigMap manifest (YAML or JSON, one ConfigMap among the documents) → its data. */
export function readConfigMapFile(file: string): { data: Record<string, string>; name: string } {
  const fail = (why: string): never => {
    throw new CliError(`--nginx-configmap ${file}: ${why}`, EXIT.input);
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read');
  }
  let docs: unknown[] = [];
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    fail(`not valid YAML or JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const maps = docs.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && (d as Record<string, unknown>).kind === 'ConfigMap');
  if (maps.length === 0) fail('holds no ConfigMap (kind: ConfigMap)');
  if (maps.length > 1) fail(`holds ${maps.length} ConfigMaps; give the controller's one only`);
  const cm = maps[0]!;
  const meta = (typeof cm.metadata === 'object' && cm.metadata !== null ? cm.metadata : {}) as Record<string, unknown>;
  const name = `${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${typeof meta.name === 'string' ? meta.name : '?'}`;
  const raw = cm.data ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('data is not a map');
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    // Kubernetes only takes strings; an unquoted YAML true or 60 is what a person meant, as text.
    if (typeof v === 'string') data[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') data[k] = String(v);
    else fail(`data.${k} is not a string`);
  }
  return { data, name };
}

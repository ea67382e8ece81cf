// Turns parsed documents into the normalized model. Legacy Ingress versions
// (extensions/v1beta1, networking.k8s.io/v1beta1) are read into the v1 shape.
import { finding, type Finding, type Subject } from '../model/findings.js';
import type { ConfigMap, Ingress, IngressBackend, IngressClass, IngressPath, IngressRule, IngressTLS, InputSet, Origin, PathType, Service, ServicePort } from '../model/ingress.js';

const INGRESS_VERSIONS = new Set(['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']);
/** The accepted versions as constants: every Ingress keeps its apiVersion, and these are shared. */
const INGRESS_VERSION_OF = new Map([...INGRESS_VERSIONS].map((v) => [v, v]));
const LEGACY_INGRESS_VERSIONS = new Set(['networking.k8s.io/v1beta1', 'extensions/v1beta1']);
/** A host as Kubernetes accepts it (DNS labels, optionally `*.` first): the spec isHostName is tested against. */
export const HOST_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `HOST_PATTERN.test(host)` in one pass: the regex backtracks on every label. */
export function isHostName(host: string): boolean {
  const length = host.length;
  let labelStart = host.charCodeAt(0) === 42 && host.charCodeAt(1) === 46 ? 2 : 0;
  if (labelStart >= length) return false;
  for (let i = labelStart; i <= length; i++) {
    const c = i < length ? host.charCodeAt(i) : 46;
    if (c === 46) {
      // A label: not empty, no dash at either end.
      if (i === labelStart || host.charCodeAt(labelStart) === 45 || host.charCodeAt(i - 1) === 45) return false;
      labelStart = i + 1;
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}
const MAX_NAME = 253;

export interface NormalizeOptions {
  /** Namespace for objects that carry none (kubectl's default namespace). */
  defaultNamespace: string;
}

export interface Collected extends InputSet {
  findings: Finding[];
  /** kind → count of documents that were neither Ingress nor a helper kind. */
  skippedKinds: Map<string, number>;
}

export function emptyCollected(): Collected {
  return { ingresses: [], services: [], ingressClasses: [], configMaps: [], findings: [], skippedKinds: new Map() };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? own(v) : undefined);

/**
 * `s` as a string of its own. V8 makes every substring of 13 characters or more a slice that keeps
 * its whole parent alive: one host name kept in the model held the entire file's text (16 MB at 20k
 * Ingresses, for as long as the conversion runs). A concatenation read once is flattened into a
 * fresh string, and the slices it was made of are let go.
 */
export function own(s: string): string {
  if (s.length < 13) return s;
  const copy = s.charAt(0) + s.slice(1);
  copy.charCodeAt(1);
  return copy;
}

/**
 * Short strings that repeat across a fleet (annotation and label values such as "true" or "30",
 * namespaces), one string each instead of one per Ingress. A table of slots by a hash of the
 * characters, each holding the first string that came to it (a Map lookup cost several times
 * more: it hashes a new string in a runtime call); bounded, and a string whose slot is taken is
 * copied as own() does. Strings are immutable, so sharing them between conversions is safe.
 */
const SHARED_SLOTS = 8192;
const SHARED: (string | undefined)[] = new Array<string | undefined>(SHARED_SLOTS).fill(undefined);
const SHARED_LENGTH = 24;

function shared(s: string): string {
  const length = s.length;
  if (length > SHARED_LENGTH) return own(s);
  let hash = length;
  for (let i = 0; i < length; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
  const slot = (hash ^ (hash >>> 13)) & (SHARED_SLOTS - 1);
  const found = SHARED[slot];
  if (found === s) return found;
  const kept = own(s);
  if (found === undefined) SHARED[slot] = kept;
  return kept;
}

/** Add one parsed document (possibly a List) to `into`. */
export function collectDocument(value: unknown, origin: Origin, opts: NormalizeOptions, into: Collected): void {
  // Labels and subjects are only for findings: made when one is, not for every document.
  if (!isObj(value)) {
    into.findings.push(finding('input.not-an-object', 'error', { source: originLabel(origin) }, { reason: `expected a Kubernetes object, found ${Array.isArray(value) ? 'a list' : typeof value}` }));
    return;
  }
  // Only compared (and kept through own() where they are kept): no copy of each document's apiVersion.
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  if (!kind || !apiVersion) {
    into.findings.push(finding('input.not-an-object', 'error', { source: originLabel(origin) }, { reason: 'document has no apiVersion/kind' }));
    return;
  }
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((item, i) => collectDocument(item, { ...origin, item: i }, opts, into));
    return;
  }
  switch (kind) {
    case 'Ingress':
      if (!INGRESS_VERSIONS.has(apiVersion)) {
        into.findings.push(finding('input.unsupported-version', 'error', { source: `${originLabel(origin)} Ingress ${describeMeta(value)}` }, { apiVersion: own(apiVersion) }));
        return;
      }
      readIngress(value, apiVersion, origin, opts, into);
      return;
    case 'Service':
      if (apiVersion === 'v1') readService(value, opts, into);
      return;
    case 'IngressClass':
      if (apiVersion.startsWith('networking.k8s.io/')) readIngressClass(value, into);
      return;
    case 'ConfigMap':
      if (apiVersion === 'v1') readConfigMap(value, opts, into);
      return;
    default:
      into.skippedKinds.set(own(kind), (into.skippedKinds.get(kind) ?? 0) + 1);
  }
}

export function originLabel(origin: Origin): string {
  const item = origin.item;
  let label = origin.source;
  // Documents are counted from 1 in what people read.
  if (origin.document !== undefined) label += `#${origin.document + 1}`;
  if (item !== undefined) label += `.items[${item}]`;
  if (origin.line !== undefined) label += ` (line ${origin.line})`;
  return label;
}

function describeMeta(value: Obj): string {
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = str(meta.name) ?? '<no name>';
  const ns = str(meta.namespace);
  return ns ? `${ns}/${name}` : name;
}

/**
 * `list` in an array of its own length. An array grown by push keeps room for 16 more elements
 * (128 bytes on 64-bit); the model keeps one for every rule and path list, for the whole run.
 */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

class InvalidIngress extends Error {}

/** Rejects the Ingress (or the path being read) with this message. */
function fail(message: string): never {
  throw new InvalidIngress(message);
}

/** The subject of an Ingress's input findings (made only when one is). */
function ingressSubject(namespace: string, name: string, origin: Origin): Partial<Subject> {
  return { ingresses: [`${namespace}/${name}`], source: originLabel(origin) };
}

function readIngress(value: Obj, apiVersion: string, origin: Origin, opts: NormalizeOptions, into: Collected): void {
  const meta = isObj(value.metadata) ? value.metadata : undefined;
  const name = meta ? str(meta.name) : undefined;
  if (!meta || !name) {
    into.findings.push(finding('input.invalid-object', 'error', { source: `${originLabel(origin)} Ingress` }, { reason: 'metadata.name is missing' }));
    return;
  }
  const namespace = (typeof meta.namespace === 'string' ? shared(meta.namespace) : undefined) ?? opts.defaultNamespace;
  // One subject for all of this Ingress's findings, made by the first (not a closure per Ingress).
  let subject: Partial<Subject> | undefined;
  let problems: Finding[] | undefined;
  try {
    if (name.length > MAX_NAME) fail('metadata.name is longer than 253 characters');
    const legacy = LEGACY_INGRESS_VERSIONS.has(apiVersion);
    const spec = isObj(value.spec) ? value.spec : fail('spec is missing');
    let annotations = stringMapInPlace(meta.annotations);
    if (annotations === undefined) {
      problems = [];
      annotations = readAnnotations(meta.annotations, (subject ??= ingressSubject(namespace, name, origin)), problems);
    }
    const rawDefault = legacy ? (spec.backend ?? spec.defaultBackend) : spec.defaultBackend;
    const defaultBackend = rawDefault === undefined ? undefined : readBackend(rawDefault, legacy, -1, 0, fail);
    const rawRules = spec.rules === undefined || spec.rules === null ? [] : Array.isArray(spec.rules) ? spec.rules : fail('spec.rules is not a list');
    // Filled in place: a copy of the parsed list is an array of the final length (push grows one
    // with room for 16 more, and a second copy made it exact).
    const rules = rawRules.slice() as unknown[] as IngressRule[];
    // Plain loops, and the places named in messages (spec.rules[0].http…) only built for a message.
    for (let ri = 0; ri < rawRules.length; ri++) {
      const rule: unknown = rawRules[ri];
      if (!isObj(rule)) return fail(`spec.rules[${ri}] is not an object`);
      const host = readHost(rule.host, ri, fail);
      const http = rule.http;
      let paths: IngressPath[] = [];
      if (http !== undefined && http !== null) {
        const rawPaths = isObj(http) ? http.paths : undefined;
        if (!Array.isArray(rawPaths)) return fail(`spec.rules[${ri}].http.paths is not a list`);
        paths = rawPaths.slice() as unknown[] as IngressPath[];
        let kept = 0;
        for (let pi = 0; pi < rawPaths.length; pi++) {
          try {
            paths[kept] = readPath(rawPaths[pi], legacy, ri, pi, fail);
            kept++;
          } catch (err) {
            if (!(err instanceof InvalidIngress)) throw err;
            // A bad path is dropped on its own: the rest of the Ingress still converts.
            (problems ??= []).push(finding('input.invalid-object', 'error', (subject ??= ingressSubject(namespace, name, origin)), { reason: `${err.message}; path skipped` }));
          }
        }
        if (kept < paths.length) paths = paths.slice(0, kept);
      }
      rules[ri] = host === undefined ? { paths } : { host, paths };
    }
    if (rules.length === 0 && !defaultBackend) fail('spec has neither rules nor a defaultBackend');
    const tls = readTls(spec.tls, rules, fail);
    const ingress: Ingress = {
      namespace,
      name,
      annotations,
      labels: readStringMap(meta.labels),
      rules,
      tls,
      apiVersion: INGRESS_VERSION_OF.get(apiVersion) ?? apiVersion,
      origin,
    };
    const ts = str(meta.creationTimestamp);
    if (ts) ingress.creationTimestamp = ts;
    const cls = str(spec.ingressClassName);
    if (cls) ingress.ingressClassName = cls;
    if (defaultBackend) ingress.defaultBackend = defaultBackend;
    into.ingresses.push(ingress);
    if (problems !== undefined) for (let i = 0; i < problems.length; i++) into.findings.push(problems[i] as Finding);
  } catch (err) {
    if (!(err instanceof InvalidIngress)) throw err;
    into.findings.push(finding('input.invalid-object', 'error', (subject ??= ingressSubject(namespace, name, origin)), { reason: `${err.message} (${originLabel(origin)}); Ingress skipped` }));
  }
}

/**
 * A map of strings as parsed (annotations, labels), kept as the model's own: its values made
 * shared() in place, no copy of the object. An empty map when `raw` is not an object; undefined
 * (read it with a copy) when a value is not a string or a key is `__proto__` (which the copy
 * drops). The parsed document is not used once normalized.
 */
function stringMapInPlace(raw: unknown): Record<string, string> | undefined {
  if (!isObj(raw)) return {};
  // for…in rather than Object.keys: no array of keys per object, and V8 reads each value by its
  // position in the object. Parsed objects inherit nothing enumerable.
  for (const key in raw) if (typeof raw[key] !== 'string' || key === '__proto__') return undefined;
  for (const key in raw) raw[key] = shared(raw[key] as string);
  return raw as Record<string, string>;
}

function readAnnotations(raw: unknown, subject: Partial<Subject>, problems: Finding[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(raw)) return out;
  // Keys and a lookup instead of Object.entries: no [key, value] array per annotation.
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = raw[key];
    if (typeof value === 'string') out[key] = shared(value);
    else if (typeof value === 'number' || typeof value === 'boolean') {
      out[key] = String(value);
      problems.push(
        finding(
          'input.invalid-object',
          'warn',
          { ...subject, annotation: key },
          { reason: `annotation value is a ${typeof value}, not a string (the apiserver rejects that); read as "${String(value)}"` },
        ),
      );
    } else {
      problems.push(finding('input.invalid-object', 'error', { ...subject, annotation: key }, { reason: 'annotation value is not a string; annotation ignored' }));
    }
  }
  return out;
}

/** The string values of `raw` (others dropped), as the model keeps them. */
function readStringMap(raw: unknown): Record<string, string> {
  const inPlace = stringMapInPlace(raw);
  if (inPlace !== undefined) return inPlace;
  const out: Record<string, string> = {};
  if (!isObj(raw)) return out;
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = raw[key];
    if (typeof value === 'string') out[key] = shared(value);
  }
  return out;
}

/** Where path `pi` of rule `ri` is, for messages; `ri` -1 is spec.defaultBackend. */
function pathAt(ri: number, pi: number): string {
  return `spec.rules[${ri}].http.paths[${pi}]`;
}

function backendAt(ri: number, pi: number): string {
  return ri < 0 ? 'spec.defaultBackend' : `${pathAt(ri, pi)}.backend`;
}

function readHost(raw: unknown, ri: number, fail: (m: string) => never): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return fail(`spec.rules[${ri}].host is not a string`);
  const host = own(raw.toLowerCase());
  if (host.length > MAX_NAME || !isHostName(host)) return fail(`spec.rules[${ri}].host "${truncate(raw)}" is not a valid DNS name`);
  return host;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function readPath(raw: unknown, legacy: boolean, ri: number, pi: number, fail: (m: string) => never): IngressPath {
  if (!isObj(raw)) return fail(`${pathAt(ri, pi)} is not an object`);
  const rawPath = raw.path;
  let path = '/';
  if (rawPath !== undefined && rawPath !== null && rawPath !== '') {
    if (typeof rawPath !== 'string') return fail(`${pathAt(ri, pi)}.path is not a string`);
    if (CONTROL.test(rawPath)) return fail(`${pathAt(ri, pi)}.path contains a control character`);
    path = own(rawPath);
  }
  const rawType = raw.pathType;
  let pathType: PathType = 'ImplementationSpecific';
  if (rawType !== undefined && rawType !== null) {
    if (rawType !== 'Exact' && rawType !== 'Prefix' && rawType !== 'ImplementationSpecific')
      return fail(`${pathAt(ri, pi)}.pathType "${truncate(typeof rawType === 'string' ? rawType : JSON.stringify(rawType))}" is not Exact, Prefix or ImplementationSpecific`);
    // The code's constants, not the document's strings (each path keeps one).
    pathType = rawType === 'Exact' ? 'Exact' : rawType === 'Prefix' ? 'Prefix' : 'ImplementationSpecific';
  }
  if (!path.startsWith('/') && pathType !== 'ImplementationSpecific') return fail(`${pathAt(ri, pi)}.path "${truncate(path)}" does not start with /`);
  const backend = readBackend(raw.backend, legacy, ri, pi, fail);
  return { path, pathType, backend };
}

/** The backend of path `pi` of rule `ri`, or spec.defaultBackend when `ri` is -1. */
function readBackend(raw: unknown, legacy: boolean, ri: number, pi: number, fail: (m: string) => never): IngressBackend {
  if (!isObj(raw)) return fail(`${backendAt(ri, pi)} is missing`);
  if (isObj(raw.resource)) {
    return { resource: { kind: str(raw.resource.kind) ?? 'unknown', name: str(raw.resource.name) ?? '' } };
  }
  if (legacy && raw.serviceName !== undefined) {
    const name = str(raw.serviceName) ?? fail(`${backendAt(ri, pi)}.serviceName is not a string`);
    return { service: { name, port: readPort(raw.servicePort, ri, pi, '.servicePort', fail) } };
  }
  const service = isObj(raw.service) ? raw.service : fail(`${backendAt(ri, pi)} has no service`);
  const name = str(service.name) ?? fail(`${backendAt(ri, pi)}.service.name is missing`);
  const port = isObj(service.port) ? service.port : fail(`${backendAt(ri, pi)}.service.port is missing`);
  if (port.number !== undefined) return { service: { name, port: readPort(port.number, ri, pi, '.service.port.number', fail) } };
  if (port.name !== undefined) return { service: { name, port: readPort(port.name, ri, pi, '.service.port.name', fail) } };
  return fail(`${backendAt(ri, pi)}.service.port has neither number nor name`);
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The port at `field` of that backend (see readBackend). */
function readPort(raw: unknown, ri: number, pi: number, field: string, fail: (m: string) => never): { number?: number; name?: string } {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1 && raw <= 65535) return { number: raw };
    return fail(`${backendAt(ri, pi)}${field} ${raw} is not a port number (1-65535)`);
  }
  if (typeof raw === 'string') {
    if (/^\d+$/.test(raw)) return readPort(Number(raw), ri, pi, field, fail);
    if (raw.length <= 15 && PORT_NAME.test(raw)) return { name: own(raw) };
    return fail(`${backendAt(ri, pi)}${field} "${truncate(raw)}" is neither a port number nor a port name`);
  }
  return fail(`${backendAt(ri, pi)}${field} is neither a port number nor a port name`);
}

function readTls(raw: unknown, rules: IngressRule[], fail: (m: string) => never): IngressTLS[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail('spec.tls is not a list');
  // Lists filled in place in copies of the parsed ones (arrays of the final length), in plain loops.
  const tls = raw.slice() as unknown[] as IngressTLS[];
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    if (!isObj(entry)) return fail(`spec.tls[${i}] is not an object`);
    const rawHosts = entry.hosts;
    let hosts: string[] = [];
    if (Array.isArray(rawHosts)) {
      hosts = rawHosts.slice() as unknown[] as string[];
      let kept = 0;
      for (let h = 0; h < rawHosts.length; h++) {
        const host: unknown = rawHosts[h];
        if (typeof host === 'string') hosts[kept++] = tlsHost(host, rules);
      }
      if (kept < hosts.length) hosts = hosts.slice(0, kept);
    }
    const secretName = str(entry.secretName);
    tls[i] = secretName ? { hosts, secretName } : { hosts };
  }
  return tls;
}

/** A TLS host, lowercased: the rule's string when a rule names the same host (as a TLS entry usually does), else a copy of its own. */
function tlsHost(raw: string, rules: IngressRule[]): string {
  const host = raw.toLowerCase();
  for (let i = 0; i < rules.length; i++) {
    const ruleHost = (rules[i] as IngressRule).host;
    if (ruleHost === host) return ruleHost;
  }
  return own(host);
}

function readService(value: Obj, opts: NormalizeOptions, into: Collected): void {
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = str(meta.name);
  if (!name) return;
  const spec = isObj(value.spec) ? value.spec : {};
  const ports: ServicePort[] = [];
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObj(p) || typeof p.port !== 'number') continue;
      const port: ServicePort = { port: p.port };
      const pn = str(p.name);
      if (pn) port.name = pn;
      const ap = str(p.appProtocol);
      if (ap) port.appProtocol = ap;
      ports.push(port);
    }
  }
  const svc: Service = { namespace: str(meta.namespace) ?? opts.defaultNamespace, name, ports: exact(ports), annotations: readStringMap(meta.annotations) };
  const type = str(spec.type);
  if (type) svc.type = type;
  const ext = str(spec.externalName);
  if (ext) svc.externalName = ext;
  into.services.push(svc);
}

function readIngressClass(value: Obj, into: Collected): void {
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = str(meta.name);
  if (!name) return;
  const spec = isObj(value.spec) ? value.spec : {};
  const annotations = readStringMap(meta.annotations);
  const cls: IngressClass = { name, isDefault: annotations['ingressclass.kubernetes.io/is-default-class'] === 'true' };
  const controller = str(spec.controller);
  if (controller) cls.controller = controller;
  into.ingressClasses.push(cls);
}

function readConfigMap(value: Obj, opts: NormalizeOptions, into: Collected): void {
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = str(meta.name);
  if (!name) return;
  into.configMaps.push({ namespace: str(meta.namespace) ?? opts.defaultNamespace, name, data: readStringMap(value.data) } satisfies ConfigMap);
}

export function truncate(text: string, max = 80): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

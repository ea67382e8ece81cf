// Finds the ingress-nginx controller(s) of a cluster and reads what they were told beyond their
// Ingresses: the flags of the Deployment/DaemonSet container that runs /nginx-ingress-controller
// and the ConfigMap its --configmap names. Nothing is interpreted here (src/map/controller-config.ts
// does that); what cannot be read becomes a warning that says nginx's defaults are assumed, never
// an error exit.
import type { ControllerConfig } from '../model/controller.js';
import { finding, type Finding } from '../model/findings.js';
import type { KubeClient, Obj } from './client.js';
import { ClusterError } from './errors.js';

export interface DiscoveryOptions {
  /** Page size of list requests (--chunk-size). */
  chunkSize: number;
}

export interface ControllerDiscovery {
  /** Every controller found, sorted by source. */
  controllers: ControllerConfig[];
  /** Warnings (severity warn): what could not be read, and what is assumed instead. `data.controller` names the controller a warning is about, if one. */
  warnings: Finding[];
  /** False when the Deployments or DaemonSets could not all be listed: finding no controller then proves nothing. */
  complete: boolean;
}

/** `--controller-class` when the flag is absent. */
export const DEFAULT_CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
/** `--ingress-class` when the flag is absent. */
export const DEFAULT_INGRESS_CLASS = 'nginx';

const BINARY = /(^|\/)nginx-ingress-controller$/;
const IMAGE = /ingress-nginx\/controller/;

/**
 * Boolean flags of the controller (pkg/flags/flags.go, earlier releases, and klog's): given bare
 * they mean true and never take the next argument, as in pflag. Every other flag given as
 * `--flag value` takes the next argument.
 */
const BOOL_FLAGS = new Set([
  'watch-ingress-without-class',
  'ingress-class-by-name',
  'profiling',
  'update-status',
  'update-status-on-shutdown',
  'report-node-internal-ip-address',
  'version',
  'enable-ssl-passthrough',
  'disable-leader-election',
  'disable-svc-external-name',
  'enable-annotation-validation',
  'enable-ssl-chain-completion',
  'enable-metrics',
  'metrics-per-host',
  'metrics-per-undefined-host',
  'report-status-classes',
  'disable-catch-all',
  'disable-full-test',
  'deep-inspect',
  'disable-sync-events',
  'enable-topology-aware-routing',
  'force-namespace-isolation',
  'enable-dynamic-configuration',
  'enable-dynamic-certificates',
  'sort-backends',
  'alsologtostderr',
  'logtostderr',
  'one_output',
  'skip_headers',
  'skip_log_headers',
  'add_dir_header',
]);

/** Value flags the controller knows: `--flag value` takes the next argument even when it starts with a dash. */
const VALUE_FLAGS = new Set([
  'apiserver-host',
  'certificate-authority',
  'kubeconfig',
  'default-backend-service',
  'ingress-class',
  'controller-class',
  'configmap',
  'publish-service',
  'tcp-services-configmap',
  'udp-services-configmap',
  'sync-period',
  'watch-namespace',
  'watch-namespace-selector',
  'default-ssl-certificate',
  'health-check-path',
  'election-id',
  'annotations-prefix',
  'publish-status-address',
  'validating-webhook',
  'validating-webhook-certificate',
  'validating-webhook-key',
  'http-port',
  'https-port',
  'v',
]);

/**
 * The controller's flags as its parser (spf13/pflag over Go's flag set) reads them: `--flag=value`,
 * `--flag value`, `-flag`, bare booleans and `--flag=false`; the last occurrence wins; parsing
 * stops at `--`; positional arguments are skipped. Keys have no leading dashes; values are as given.
 */
export function parseControllerArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    const body = a.replace(/^--?/, '');
    if (body === '') continue;
    const eq = body.indexOf('=');
    if (eq > 0) {
      out[body.slice(0, eq)] = body.slice(eq + 1);
      continue;
    }
    if (eq === 0) continue; // `--=x`: not a flag
    const next = argv[i + 1];
    const takesNext = !BOOL_FLAGS.has(body) && next !== undefined && (VALUE_FLAGS.has(body) || !next.startsWith('-'));
    if (takesNext) {
      out[body] = next;
      i++;
    } else out[body] = 'true';
  }
  return out;
}

/**
 * Kubernetes' expansion of `$(VAR)` in a container's command, args and env values: a defined
 * variable is replaced, an unknown one stays as written, `$$` is a literal `$`.
 */
export function expandVars(text: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const n = text[i + 1];
    if (c !== '$' || n === undefined) {
      out += c;
      continue;
    }
    if (n === '$') {
      out += '$';
      i++;
      continue;
    }
    if (n === '(') {
      const close = text.indexOf(')', i + 2);
      if (close > 0) {
        out += vars.get(text.slice(i + 2, close)) ?? text.slice(i, close + 1);
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

interface EnvVar {
  name?: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}

interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
}

/**
 * The container's environment as far as it can be known without a Pod: literal values (with
 * earlier variables expanded) and `fieldRef: metadata.namespace` (the workload's namespace, as
 * the official manifests' POD_NAMESPACE). Secrets and ConfigMap references are never read.
 */
export function containerEnv(env: readonly EnvVar[] | undefined, namespace: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const e of env ?? []) {
    if (!e.name) continue;
    if (typeof e.value === 'string') vars.set(e.name, expandVars(e.value, vars));
    else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') vars.set(e.name, namespace);
    else if (e.value === undefined && !e.valueFrom) vars.set(e.name, '');
  }
  return vars;
}

/** The controller's arguments after the binary, or undefined when the container does not run it. */
export function controllerArgv(c: Container): string[] | undefined {
  const words = [...(c.command ?? []), ...(c.args ?? [])].filter((w): w is string => typeof w === 'string');
  const at = words.findIndex((w) => BINARY.test(w));
  if (at >= 0) return words.slice(at + 1);
  // A shell wrapper: `sh -c "exec /nginx-ingress-controller --flag …"` (words split on blanks, quotes dropped).
  for (const w of words) {
    const split = w.trim().split(/\s+/);
    const i = split.findIndex((s) => BINARY.test(s));
    if (split.length > 1 && i >= 0) return split.slice(i + 1).map((s) => s.replace(/['"]/g, ''));
  }
  // The image's own command (dumb-init -- /nginx-ingress-controller) with flags of this container, if any.
  if (typeof c.image === 'string' && IMAGE.test(c.image)) return words;
  return undefined;
}

interface Workload {
  kind: 'deployment' | 'daemonset';
  namespace: string;
  name: string;
  containers: Container[];
}

function workloadOf(kind: Workload['kind'], o: Obj): Workload | undefined {
  const meta = o.metadata as { name?: string; namespace?: string } | undefined;
  const spec = o.spec as { template?: { spec?: { containers?: Container[] } } } | undefined;
  if (!meta?.name || !meta.namespace) return undefined;
  return { kind, namespace: meta.namespace, name: meta.name, containers: spec?.template?.spec?.containers ?? [] };
}

interface Found {
  source: string;
  namespace: string;
  args: Record<string, string>;
}

/** The controller a workload runs (its first container that runs the binary), with flags expanded from its environment. */
export function controllerOf(w: Workload): Found | undefined {
  for (const c of w.containers) {
    const argv = controllerArgv(c);
    if (!argv) continue;
    const vars = containerEnv(c.env, w.namespace);
    return { source: `${w.kind} ${w.namespace}/${w.name}`, namespace: w.namespace, args: parseControllerArgs(argv.map((a) => expandVars(a, vars))) };
  }
  return undefined;
}

export interface IngressClassRef {
  name: string;
  controller?: string;
}

/** The classes a controller serves: IngressClasses whose spec.controller is its --controller-class, and its --ingress-class. */
export function servedClasses(args: Readonly<Record<string, string>>, classes: readonly IngressClassRef[]): string[] {
  const controllerClass = args['controller-class'] || DEFAULT_CONTROLLER_CLASS;
  const names = new Set(classes.filter((c) => c.controller === controllerClass).map((c) => c.name));
  names.add(args['ingress-class'] || DEFAULT_INGRESS_CLASS);
  return [...names].sort();
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export async function discoverControllers(client: KubeClient, opts: DiscoveryOptions): Promise<ControllerDiscovery> {
  const warnings: Finding[] = [];
  let complete = true;
  const unreadable = (what: string, err: ClusterError, assumed: string, controller?: string): Finding =>
    finding('controller.unreadable', 'warn', { source: controller ?? 'cluster' }, { what, reason: err.message, assumed, ...(controller ? { controller } : {}) });
  const list = async (what: string, path: string, assumed: string): Promise<Obj[] | undefined> => {
    try {
      return await client.listAll(path, { limit: opts.chunkSize });
    } catch (err) {
      if (!(err instanceof ClusterError) || (err.kind !== 'forbidden' && err.kind !== 'not-found')) throw err;
      warnings.push(unreadable(what, err, assumed));
      return undefined;
    }
  };
  const workloadsAssumed = (kind: string): string =>
    `an ingress-nginx controller running as a ${kind} cannot be found, so its flags and ConfigMap are unknown: nginx's defaults are assumed for them (--no-controller-discovery turns this off)`;
  const [classList, deployments, daemonsets] = await Promise.all([
    list(
      'ingressclasses',
      '/apis/networking.k8s.io/v1/ingressclasses',
      "controllers are matched to classes by their --ingress-class only (an IngressClass naming a controller's --controller-class is not seen)",
    ),
    list('deployments', '/apis/apps/v1/deployments', workloadsAssumed('Deployment')),
    list('daemonsets', '/apis/apps/v1/daemonsets', workloadsAssumed('DaemonSet')),
  ]);
  if (!deployments || !daemonsets) complete = false;
  const classes: IngressClassRef[] = (classList ?? []).flatMap((o) => {
    const name = (o.metadata as { name?: string } | undefined)?.name;
    const controller = (o.spec as { controller?: string } | undefined)?.controller;
    return name ? [{ name, ...(controller ? { controller } : {}) }] : [];
  });
  const found: Found[] = [];
  for (const [kind, items] of [
    ['deployment', deployments],
    ['daemonset', daemonsets],
  ] as const) {
    for (const o of items ?? []) {
      const w = workloadOf(kind, o);
      const c = w && controllerOf(w);
      if (c) found.push(c);
    }
  }
  found.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));

  // Each ConfigMap once, however many controllers share it.
  const configMaps = new Map<string, Promise<{ data: Record<string, string> } | { error: ClusterError }>>();
  const readConfigMap = (ref: string): Promise<{ data: Record<string, string> } | { error: ClusterError }> => {
    let p = configMaps.get(ref);
    if (!p) {
      const [ns, name] = ref.split('/') as [string, string];
      p = client.request(`GET`, `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`).then(
        (cm) => ({ data: stringData(cm.data) }),
        (err: unknown) => {
          if (err instanceof ClusterError && (err.kind === 'forbidden' || err.kind === 'not-found')) return { error: err };
          throw err;
        },
      );
      configMaps.set(ref, p);
    }
    return p;
  };

  const controllers: ControllerConfig[] = [];
  for (const c of found) {
    const config: ControllerConfig = { source: c.source, ingressClasses: servedClasses(c.args, classes), args: c.args, configMap: {} };
    const ref = c.args.configmap;
    if (ref !== undefined && ref !== '') {
      const [ns, name, ...rest] = ref.split('/');
      if (rest.length > 0 || !ns || !name || !NAME.test(ns) || !NAME.test(name)) {
        warnings.push(
          finding(
            'controller.unreadable',
            'warn',
            { source: c.source },
            {
              what: `ConfigMap "${ref}"`,
              reason: ref.includes('$(') ? '--configmap names a variable whose value is not known without the Pod' : '--configmap is not namespace/name',
              assumed: "its keys are unknown: nginx's defaults are assumed for every ConfigMap key",
              controller: c.source,
            },
          ),
        );
      } else {
        config.configMapSource = `${ns}/${name}`;
        const got = await readConfigMap(config.configMapSource);
        if ('data' in got) config.configMap = got.data;
        else if (got.error.kind === 'not-found') {
          warnings.push(finding('controller.configmap-missing', 'warn', { source: c.source }, { configMap: config.configMapSource, controller: c.source }));
        } else {
          // Unknown, not empty: the conversion assumes what nginx loads most permissively.
          config.configMapUnknown = true;
          warnings.push(unreadable(`ConfigMap ${config.configMapSource}`, got.error, "its keys are unknown: nginx's defaults are assumed for every ConfigMap key", c.source));
        }
      }
    }
    controllers.push(config);
  }
  return { controllers, warnings, complete };
}

function stringData(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (data && typeof data === 'object') for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

export interface PickedController {
  controller?: ControllerConfig;
  /** Discovery warnings that concern this conversion, and what the choice itself assumed. */
  findings: Finding[];
}

/**
 * The controller whose configuration applies to the Ingresses of `ingressClass`. A controller
 * that serves it through an IngressClass or an explicit --ingress-class comes before one that
 * serves it only by the flag's default (`nginx`); then by source. Several candidates: the first is
 * used and a warning names them all. None: a warning that nginx's defaults are assumed (unless the
 * workloads could not be listed, which discovery already said).
 */
export function pickController(d: ControllerDiscovery, ingressClass: string): PickedController {
  const candidates = d.controllers.filter((c) => c.ingressClasses.includes(ingressClass));
  const byDefaultOnly = (c: ControllerConfig): boolean => c.args['ingress-class'] === undefined && ingressClass === DEFAULT_INGRESS_CLASS;
  candidates.sort((a, b) => Number(byDefaultOnly(a)) - Number(byDefaultOnly(b)) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const controller = candidates[0];
  const findings = d.warnings.filter((f) => f.data.controller === undefined || f.data.controller === controller?.source);
  if (candidates.length > 1) {
    findings.push(finding('controller.ambiguous', 'warn', { source: 'cluster' }, { ingressClass, controllers: candidates.map((c) => c.source), used: controller!.source }));
  }
  if (!controller && (d.complete || d.controllers.length > 0)) {
    const found = d.controllers.map((c) => `${c.source} (class ${c.ingressClasses.join(', ')})`);
    const detail = found.length > 0 ? `; found only ${found.join(', ')}` : '';
    findings.push(finding('controller.not-found', 'warn', { source: 'cluster' }, { ingressClass, found, detail }));
  }
  return controller ? { controller, findings } : { findings };
}

/** `deployment ns/name (ConfigMap ns/name)` for one-line output. */
export function describeController(c: ControllerConfig): string {
  return `${c.source}${c.configMapSource ? ` (ConfigMap ${c.configMapSource})` : ' (no ConfigMap)'}`;
}

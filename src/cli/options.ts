// Flags shared by the commands that read Ingresses and convert them.
import { toolVersion } from './version.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConvertOptions } from '../convert.js';
import { loadCatalogue } from '../map/catalogue.js';
import { loadControllerCatalogue } from '../map/controller-catalogue.js';
import { loadEcosystem } from '../map/ecosystem.js';
import { DEFAULT_ANNOTATION_PREFIX } from '../map/engine.js';
import { CURRENT_CONTOUR, LAST_INGRESSROUTE_CONTOUR, parseContourVersion, versionAtLeast, type Target } from '../model/contour.js';
import type { Layout } from '../plan/plan.js';
import { CliError, EXIT } from './exit-codes.js';
import { controllerFromFlags, type ControllerFlags } from './controller-files.js';

export interface SharedFlags extends ControllerFlags {
  filename?: string[];
  recursive?: boolean;
  namespace?: string;
  target?: Target;
  contourVersion?: string;
  rootNamespace: string;
  includeScope: 'auto' | 'prefix' | 'none';
  layout: Layout;
  ingressClass: string;
  includeClassless?: boolean;
  annotationPrefix: string;
  contourClass?: string;
  authExtension?: string;
  certManagerDefaultIssuer?: string;
  onlyNamespace?: string[];
  skipIngress?: string[];
  publishUnprotected?: string[];
  /** `ns/name` of Ingresses without creationTimestamp, oldest first. */
  prefer?: string[];
  /** Where nginx's per-location defaults go: every route (route) or Contour's configuration (cluster). */
  defaults?: 'route' | 'cluster';
  /** Also write Contour's configuration (ContourConfiguration + contour.yaml) with --defaults route. */
  emitContourConfig?: boolean;
  /** namespace/name of the ContourConfiguration. */
  contourConfig?: string;
  /** Convert what could be read when some documents could not. */
  skipInvalid?: boolean;
  /** Kustomization directories to render with kubectl kustomize. */
  kustomization?: string[];
  color?: boolean;
  kubeconfig?: string;
  context?: string;
  allNamespaces?: boolean;
  selector?: string;
  chunkSize: number;
  requestTimeout: number;
  /** false with --no-controller-discovery: the cluster's ingress-nginx flags and ConfigMap are not read. */
  controllerDiscovery?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** The first Contour release without IngressRoute: from it on, HTTPProxy is the only target. */
export const FIRST_CONTOUR_WITHOUT_INGRESSROUTE = '1.6';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1) throw new CliError(`${flag} "${value}" is not a positive whole number`, EXIT.usage);
    return n;
  };
}

const GROUP = {
  input: 'Input options:',
  cluster: 'Cluster options:',
  conversion: 'Conversion options:',
  output: 'Output options:',
} as const;

/** Where the options a command adds itself are listed in its --help. */
const COMMAND_OPTION_GROUP: Record<string, string> = {
  output: GROUP.output,
  outputDir: GROUP.output,
  verbose: GROUP.output,
  quiet: GROUP.output,
  all: GROUP.output,
  failOn: GROUP.output,
  color: GROUP.output,
  dryRun: GROUP.cluster,
  forceConflicts: GROUP.cluster,
  concurrency: GROUP.cluster,
  createNamespaces: GROUP.cluster,
  prune: GROUP.cluster,
  nginxAddress: GROUP.cluster,
  contourAddress: GROUP.cluster,
  rate: GROUP.cluster,
  timeout: GROUP.cluster,
  probeTimeout: GROUP.cluster,
  skipPath: GROUP.cluster,
  compareHeader: GROUP.output,
  backendHeader: GROUP.output,
  skipInvalid: GROUP.input,
  kustomize: GROUP.output,
  force: GROUP.output,
};

/** Accepts any letter case for an option with fixed choices (`--target HTTPProxy`), and stores the canonical value. */
export function lowerCaseChoice(option: Option, choices: readonly string[]): Option {
  const previous = option.parseArg;
  option.argChoices = [...choices];
  option.argParser((value: string, prior: unknown) => {
    const canonical = choices.find((c) => c.toLowerCase() === value.toLowerCase());
    if (canonical === undefined) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return previous ? previous(canonical, prior) : canonical;
  });
  return option;
}

export function addSharedOptions(cmd: Command): Command {
  cmd
    .optionsGroup(GROUP.input)
    .option('-f, --filename <path>', 'file, directory or - (stdin) to read Ingresses from; repeatable (without -f: the cluster of the kubeconfig context)', collect)
    .option('-R, --recursive', 'read directories given with -f recursively')
    .option('-n, --namespace <ns>', "cluster: namespace to read (default: the context's); files: namespace for objects that have none (default: default)")
    .option('--ingress-class <name>', 'ingress-nginx class to convert', 'nginx')
    .option('--include-classless', 'also convert Ingresses without any class (nginx --watch-ingress-without-class)')
    .option('--annotation-prefix <prefix>', 'ingress-nginx annotation prefix', DEFAULT_ANNOTATION_PREFIX)
    .option('--only-namespace <ns>', 'files: convert only the Ingresses of this namespace; repeatable', collect)
    .option('--skip-ingress <ns/name>', 'leave this Ingress out (it is reported as skipped); repeatable', collect)
    .option('-k, --kustomization <dir>', 'render this kustomization with kubectl kustomize and read it (like kubectl apply -k); repeatable', collect)
    .option('--skip-invalid', 'convert the documents that could be read when others cannot (default: nothing is converted); which Ingress wins a path may then differ from nginx')
    .optionsGroup(GROUP.cluster)
    .option('-A, --all-namespaces', 'cluster: read Ingresses in all namespaces')
    .option('-l, --selector <labels>', 'cluster: label selector for the Ingresses, e.g. team=shop,tier!=canary')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--chunk-size <n>', 'cluster: page size of list requests', positiveInt('--chunk-size'), 500)
    .option('--request-timeout <seconds>', 'cluster: give up on one request after this long', positiveInt('--request-timeout'), 30)
    .option('--no-controller-discovery', "cluster: do not read the ingress-nginx controller's flags and ConfigMap (nginx's defaults are assumed)")
    .optionsGroup(GROUP.conversion)
    .addOption(
      lowerCaseChoice(
        new Option(
          '--target <kind>',
          `what to emit (default: on a cluster the API it serves; from files ingressroute, or httpproxy when --contour-version is ${FIRST_CONTOUR_WITHOUT_INGRESSROUTE} or newer)`,
        ),
        ['ingressroute', 'httpproxy'],
      ),
    )
    .option('--contour-version <x.y>', `Contour version to emit for (default: ${CURRENT_CONTOUR} for httpproxy, ${LAST_INGRESSROUTE_CONTOUR} for ingressroute)`)
    .option('--root-namespace <ns>', 'namespace of the root objects (one per host)', 'projectcontour')
    .addOption(
      lowerCaseChoice(
        new Option('--include-scope <scope>', "auto: prefixes only on hosts several namespaces share; prefix: each namespace gets only its paths' prefix; none: full paths, no ownership").default(
          'auto',
        ),
        ['auto', 'prefix', 'none'],
      ),
    )
    .addOption(
      lowerCaseChoice(new Option('--layout <layout>', 'root-namespace: roots in --root-namespace; app-namespace: a host used by one namespace gets its root there').default('root-namespace'), [
        'root-namespace',
        'app-namespace',
      ]),
    )
    .option('--contour-class <name>', 'Contour ingress class to put on every emitted object')
    .option('--auth-extension <ns/name>', 'ExtensionService (a gRPC ext_authz server) that takes over from auth-url')
    .option(
      '--cert-manager-default-issuer <kind/name>',
      "cert-manager's default issuer (its --default-issuer-kind/-name flags), for Ingresses with kubernetes.io/tls-acme: e.g. ClusterIssuer/letsencrypt, or Kind.group/name for an external issuer",
    )
    .option(
      '--publish-unprotected <ns/name|all>',
      'RISK: publish the routes of this Ingress even though an access control nginx enforced on them (auth, client certificates, IP lists, WAF) cannot be kept; default: they answer 403; repeatable',
      collect,
    )
    .addOption(
      lowerCaseChoice(
        new Option(
          '--defaults <where>',
          "route: every route carries nginx's per-location defaults (timeouts, retries, websockets); cluster: the ones Contour can hold cluster-wide (stream idle timeout) are set once in its ContourConfiguration, which is then part of the output",
        ).default('route'),
        ['route', 'cluster'],
      ),
    )
    .option(
      '--emit-contour-config',
      "also output Contour's cluster-wide configuration from nginx's controller settings (ContourConfiguration, and contour.yaml with --output-dir); implied by --defaults cluster",
    )
    .option('--contour-config <ns/name>', 'namespace/name of the ContourConfiguration (Contour: $CONTOUR_NAMESPACE and --contour-config-name)', 'projectcontour/contour')
    .option('--nginx-configmap <file>', "the ingress-nginx controller's ConfigMap (YAML or JSON manifest): its settings replace nginx's defaults in the conversion")
    .option(
      '--nginx-args <args>',
      "the ingress-nginx controller's command-line flags as one string (e.g. copied from its Deployment): --ingress-class, --default-ssl-certificate, --watch-ingress-without-class, …",
    )
    .option('--nginx-arg <flag>', 'one ingress-nginx controller flag (e.g. --enable-ssl-passthrough); repeatable', collect)
    .option('--prefer <ns/name>', 'precedence of Ingresses without creationTimestamp (files from Git): earlier = older, wins a duplicate host+path; repeatable', collect)
    .optionsGroup(GROUP.output)
    .option('--no-color', 'no colours in output (also NO_COLOR)');
  // Every command takes -q and -v, whether or not it defined them itself.
  const has = (long: string): boolean => cmd.options.some((o) => o.long === long);
  if (!has('--quiet')) cmd.option('-q, --quiet', 'print only errors and the summary');
  if (!has('--verbose')) cmd.option('-v, --verbose', 'also print info findings');
  const order: string[] = [GROUP.input, GROUP.cluster, GROUP.conversion, GROUP.output];
  for (const option of cmd.options) {
    const group = COMMAND_OPTION_GROUP[option.attributeName()];
    if (group && (!option.helpGroupHeading || option.helpGroupHeading === 'Options:')) option.helpGroup(group);
    // Choices the commands declare themselves (-o, --dry-run, --fail-on) take any letter case too.
    if (option.argChoices) caseInsensitive(option);
  }
  // Help lists groups in the order of the options: input, cluster, conversion, output, then the rest.
  const rank = (o: Option): number => {
    const i = order.indexOf(o.helpGroupHeading ?? '');
    return i === -1 ? order.length : i;
  };
  (cmd.options as Option[]).sort((a, b) => rank(a) - rank(b));
  return cmd;
}

function caseInsensitive(option: Option): void {
  const choices = option.argChoices ?? [];
  option.parseArg = undefined;
  lowerCaseChoice(option, choices);
}

export function resolveConvertOptions(flags: SharedFlags): { options: ConvertOptions; defaultedTarget: boolean } {
  const target = flags.target ?? defaultTarget(flags.contourVersion);
  const versionText = flags.contourVersion ?? (target === 'httpproxy' ? CURRENT_CONTOUR : LAST_INGRESSROUTE_CONTOUR);
  const contourVersion = parseContourVersion(versionText);
  if (!contourVersion) throw new CliError(`--contour-version "${versionText}" is not a version like 1.33`, EXIT.usage);
  if (target === 'ingressroute' && versionAtLeast(contourVersion, FIRST_CONTOUR_WITHOUT_INGRESSROUTE)) {
    throw new CliError(`IngressRoute was removed in Contour ${FIRST_CONTOUR_WITHOUT_INGRESSROUTE}; use --target httpproxy for Contour ${versionText}`, EXIT.usage);
  }
  if (target === 'httpproxy' && !versionAtLeast(contourVersion, '1.0')) {
    throw new CliError('HTTPProxy needs Contour 1.0 or newer; use --target ingressroute for older Contour', EXIT.usage);
  }
  for (const [flag, value] of [
    ['--root-namespace', flags.rootNamespace],
    ['--namespace', flags.namespace ?? 'default'],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) throw new CliError(`${flag} "${value}" is not a valid namespace name`, EXIT.usage);
  }
  const options: ConvertOptions = {
    target,
    contourVersion,
    generator: `ingress2contour ${toolVersion()}`,
    rootNamespace: flags.rootNamespace,
    includeScope: flags.includeScope,
    layout: flags.layout,
    ingressClass: flags.ingressClass,
    includeClassless: Boolean(flags.includeClassless),
    annotationPrefix: flags.annotationPrefix.replace(/\/+$/, ''),
    catalogue: loadCatalogue(),
    ecosystem: loadEcosystem(),
    controllerCatalogue: loadControllerCatalogue(),
  };
  if (flags.contourClass) options.contourClass = flags.contourClass;
  if (flags.onlyNamespace) options.onlyNamespaces = flags.onlyNamespace;
  if (flags.skipIngress) options.skipIngresses = flags.skipIngress;
  if (flags.publishUnprotected) {
    for (const v of flags.publishUnprotected) {
      if (v !== 'all' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v)) throw new CliError(`--publish-unprotected "${v}" is not namespace/name or all`, EXIT.usage);
    }
    options.publishUnprotected = flags.publishUnprotected.map((v) => (v === 'all' ? '*' : v));
  }
  if (flags.prefer) {
    for (const p of flags.prefer) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p)) throw new CliError(`--prefer "${p}" is not namespace/name`, EXIT.usage);
    options.prefer = flags.prefer;
  }
  options.defaults = flags.defaults ?? 'route';
  if (flags.emitContourConfig) options.emitContourConfig = true;
  if (flags.contourConfig !== undefined) {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(flags.contourConfig);
    if (!m) throw new CliError(`--contour-config "${flags.contourConfig}" is not namespace/name`, EXIT.usage);
    options.contourConfigRef = { namespace: m[1]!, name: m[3]! };
  }
  const controller = controllerFromFlags(flags);
  if (controller) {
    options.controller = controller;
    // The controller's own flags say which Ingresses it served; a different explicit value is a contradiction.
    const fromController = (flag: string, cliFlag: string, given: string, builtIn: string): string => {
      const value = controller.args[flag];
      if (value === undefined) return given;
      if (given !== builtIn && given !== value) throw new CliError(`${cliFlag} "${given}" contradicts the controller's --${flag}=${value}; give one of them`, EXIT.usage);
      return value;
    };
    options.ingressClass = fromController('ingress-class', '--ingress-class', options.ingressClass, 'nginx');
    options.annotationPrefix = fromController('annotations-prefix', '--annotation-prefix', options.annotationPrefix, DEFAULT_ANNOTATION_PREFIX).replace(/\/+$/, '');
    const watch = controller.args['watch-ingress-without-class'];
    if (watch !== undefined && /^(1|t|T|TRUE|true|True)$/.test(watch.trim())) options.includeClassless = true;
  }
  if (flags.authExtension) {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(flags.authExtension);
    if (!m) throw new CliError(`--auth-extension "${flags.authExtension}" is not namespace/name`, EXIT.usage);
    options.authExtension = { namespace: m[1]!, name: m[3]! };
  }
  if (flags.certManagerDefaultIssuer) {
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\.([a-z0-9]([-a-z0-9.]*[a-z0-9])?))?\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(flags.certManagerDefaultIssuer);
    if (!m) throw new CliError(`--cert-manager-default-issuer "${flags.certManagerDefaultIssuer}" is not Kind/name (e.g. ClusterIssuer/letsencrypt) or Kind.group/name`, EXIT.usage);
    options.certManagerDefaultIssuer = { kind: m[1]!, name: m[4]!, ...(m[2] ? { group: m[2] } : {}) };
  }
  return { options, defaultedTarget: flags.target === undefined };
}

/**
 * The one default-target rule when no cluster says which API it serves: IngressRoute (what
 * this tool is asked to produce), unless --contour-version names a Contour that no longer serves it.
 */
export function defaultTarget(contourVersion: string | undefined): Target {
  const parsed = contourVersion === undefined ? undefined : parseContourVersion(contourVersion);
  return parsed && versionAtLeast(parsed, FIRST_CONTOUR_WITHOUT_INGRESSROUTE) ? 'httpproxy' : 'ingressroute';
}

/** For the summary line: the target, the Contour versions that serve it, and how to get the other one. */
export function targetSummary(target: Target): string {
  return target === 'httpproxy'
    ? `target HTTPProxy (projectcontour.io/v1, served by Contour 1.0 and newer); for Contour ${LAST_INGRESSROUTE_CONTOUR} and older use --target ingressroute`
    : `target IngressRoute (contour.heptio.com/v1beta1, served by Contour ${LAST_INGRESSROUTE_CONTOUR} and older); for Contour ${FIRST_CONTOUR_WITHOUT_INGRESSROUTE} and newer use --target httpproxy`;
}

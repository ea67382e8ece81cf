// Flags shared by the commands that read Ingresses and convert them.
import { Option, type Command } from 'commander';
import type { ConvertOptions } from '../convert.js';
import { loadCatalogue } from '../map/catalogue.js';
import { DEFAULT_ANNOTATION_PREFIX } from '../map/engine.js';
import { CURRENT_CONTOUR, LAST_INGRESSROUTE_CONTOUR, parseContourVersion, versionAtLeast, type Target } from '../model/contour.js';
import type { Layout } from '../plan/plan.js';
import { CliError, EXIT } from './exit-codes.js';

export interface SharedFlags {
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
  onlyNamespace?: string[];
  skipIngress?: string[];
  publishUnprotected?: string[];
  /** `ns/name` of Ingresses without creationTimestamp, oldest first. */
  prefer?: string[];
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
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1) throw new CliError(`${flag} "${value}" is not a positive whole number`, EXIT.usage);
    return n;
  };
}

export function addSharedOptions(cmd: Command): Command {
  return cmd
    .option('-f, --filename <path>', 'file, directory or - (stdin) to read Ingresses from; repeatable', collect)
    .option('-R, --recursive', 'read directories given with -f recursively')
    .option('-n, --namespace <ns>', 'cluster: namespace to read (default: the context\'s); files: namespace for objects that have none (default: default)')
    .option('-A, --all-namespaces', 'cluster: read Ingresses in all namespaces')
    .option('-l, --selector <labels>', 'cluster: label selector for the Ingresses, e.g. team=shop,tier!=canary')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--chunk-size <n>', 'cluster: page size of list requests', positiveInt('--chunk-size'), 500)
    .option('--request-timeout <seconds>', 'cluster: give up on one request after this long', positiveInt('--request-timeout'), 30)
    .addOption(new Option('--target <kind>', 'what to emit').choices(['ingressroute', 'httpproxy']))
    .option('--contour-version <x.y>', `Contour version to emit for (default: ${CURRENT_CONTOUR} for httpproxy, ${LAST_INGRESSROUTE_CONTOUR} for ingressroute)`)
    .option('--root-namespace <ns>', 'namespace of the root objects (one per host)', 'projectcontour')
    .addOption(new Option('--include-scope <scope>', 'auto: prefixes only on hosts several namespaces share; prefix: each namespace gets only its paths\' prefix; none: full paths, no ownership').choices(['auto', 'prefix', 'none']).default('auto'))
    .addOption(new Option('--layout <layout>', 'root-namespace: roots in --root-namespace; app-namespace: a host used by one namespace gets its root there').choices(['root-namespace', 'app-namespace']).default('root-namespace'))
    .option('--ingress-class <name>', 'ingress-nginx class to convert', 'nginx')
    .option('--include-classless', 'also convert Ingresses without any class (nginx --watch-ingress-without-class)')
    .option('--annotation-prefix <prefix>', 'ingress-nginx annotation prefix', DEFAULT_ANNOTATION_PREFIX)
    .option('--contour-class <name>', 'Contour ingress class to put on every emitted object')
    .option('--auth-extension <ns/name>', 'ExtensionService (gRPC ext_authz) that takes over from auth-url')
    .option('--only-namespace <ns>', 'files: convert only the Ingresses of this namespace; repeatable', collect)
    .option('--skip-ingress <ns/name>', 'leave this Ingress out (it is reported as skipped); repeatable', collect)
    .option('--publish-unprotected <ns/name|all>', 'RISK: publish the routes of this Ingress even though an access control nginx enforced on them (auth, client certificates, IP lists, WAF) cannot be kept; default: they answer 403; repeatable', collect)
    .option('--no-color', 'no colours in output')
    .option('-k, --kustomization <dir>', 'render this kustomization with kubectl kustomize and read it (like kubectl apply -k); repeatable', collect)
    .option('--skip-invalid', 'convert the documents that could be read when others cannot (default: nothing is converted); which Ingress wins a path may then differ from nginx')
    .option('--prefer <ns/name>', 'precedence of Ingresses without creationTimestamp (files from Git): earlier = older, wins a duplicate host+path; repeatable', collect);
}

export function resolveConvertOptions(flags: SharedFlags): { options: ConvertOptions; defaultedTarget: boolean } {
  const target = flags.target ?? 'ingressroute';
  const versionText = flags.contourVersion ?? (target === 'httpproxy' ? CURRENT_CONTOUR : LAST_INGRESSROUTE_CONTOUR);
  const contourVersion = parseContourVersion(versionText);
  if (!contourVersion) throw new CliError(`--contour-version "${versionText}" is not a version like 1.33`, EXIT.usage);
  if (target === 'ingressroute' && versionAtLeast(contourVersion, '1.6')) {
    throw new CliError(`IngressRoute was removed in Contour 1.6; use --target httpproxy for Contour ${versionText}`, EXIT.usage);
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
    rootNamespace: flags.rootNamespace,
    includeScope: flags.includeScope,
    layout: flags.layout,
    ingressClass: flags.ingressClass,
    includeClassless: Boolean(flags.includeClassless),
    annotationPrefix: flags.annotationPrefix.replace(/\/+$/, ''),
    catalogue: loadCatalogue(),
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
  if (flags.authExtension) {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(flags.authExtension);
    if (!m) throw new CliError(`--auth-extension "${flags.authExtension}" is not namespace/name`, EXIT.usage);
    options.authExtension = { namespace: m[1]!, name: m[3]! };
  }
  return { options, defaultedTarget: flags.target === undefined };
}

export const TARGET_HINT = 'hint: emitting IngressRoute (contour.heptio.com/v1beta1, Contour ≤1.5); Contour 1.6 and newer need --target httpproxy';

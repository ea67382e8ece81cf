// The conversion pipeline as one pure function: selected Ingresses → mapped
// annotations → nginx route table → root/child plan → Contour objects + findings.
import { emitContourConfiguration, type ContourConfigResult } from './emit/contour-configuration.js';
import { emitEcosystem, type EcosystemInput } from './emit/ecosystem.js';
import { emitHttpProxy } from './emit/httpproxy.js';
import { emitIngressRoute } from './emit/ingressroute.js';
import { sortObjects, type EmitOptions, type KubeObject } from './emit/objects.js';
import type { Catalogue } from './map/catalogue.js';
import { appendVerdictFindings, mapIngress, strictPathViolations, type AnnotationVerdict, type MapContextOptions, type MappedIngress } from './map/engine.js';
import type { ControllerCatalogue } from './map/controller-catalogue.js';
import { checksForwardedAddress, resolveControllerConfig, routeDefaults } from './map/controller-config.js';
import type { ControllerConfig, NamespacedName, NginxSettings } from './model/controller.js';
import type { EcosystemCatalogue } from './map/ecosystem.js';
import type { IssuerRef } from './map/ecosystem/cert-manager.js';
import { ecosystemFindings, mapEcosystem, notConverted, type EcosystemOptions } from './map/ecosystem/index.js';
import { Capabilities, type ContourVersion, type Target } from './model/contour.js';
import { finding, sortFindings, withSubject, worseSeverity, type Finding } from './model/findings.js';
import { buildHosts, type VirtualHost } from './model/hosts.js';
import { ingressKey, type InputSet } from './model/ingress.js';
import { lower } from './plan/lower.js';
import { plan, type Layout } from './plan/plan.js';
import { selectByClass } from './read/ingress-class.js';

export interface ConvertOptions {
  target: Target;
  contourVersion: ContourVersion;
  rootNamespace: string;
  includeScope: 'auto' | 'prefix' | 'none';
  layout: Layout;
  ingressClass: string;
  includeClassless: boolean;
  annotationPrefix: string;
  contourClass?: string;
  /** Convert only the Ingresses of these namespaces (files; the cluster reader filters itself). */
  onlyNamespaces?: string[];
  /** Ingresses (`ns/name`) the user chose to leave out. */
  skipIngresses?: string[];
  /** `ns/name` of Ingresses without creationTimestamp, oldest first: the precedence the user states (--prefer). */
  prefer?: string[];
  /** ExtensionService that replaces auth-url (`namespace/name`). */
  authExtension?: { namespace: string; name: string };
  /**
   * Ingresses (`ns/name`, or `*` for all) whose routes may be published although an access
   * control nginx enforced on them cannot be kept. Default: none (such routes are denied).
   */
  publishUnprotected?: string[];
  /**
   * The ingress-nginx controller whose Ingresses these are (flags + ConfigMap); absent: nginx's
   * defaults are assumed (NGINX_SETTINGS_DEFAULT) and the report says so.
   */
  controller?: ControllerConfig;
  /** Where nginx's per-location defaults (timeouts, retries) go: on every route, or once in Contour's configuration. */
  defaults?: 'route' | 'cluster';
  /** Also produce Contour's configuration (ContourConfiguration + contour.yaml) with --defaults route; --defaults cluster always does. */
  emitContourConfig?: boolean;
  /** namespace/name of the ContourConfiguration (default projectcontour/contour). */
  contourConfigRef?: NamespacedName;
  /** `ingress2contour <version>`: stamped on every emitted object when set (the CLI sets it). */
  generator?: string;
  /** The catalogues (mappings/): loaded at the edge, so the conversion itself reads no file. */
  catalogue: Catalogue;
  /** Annotations of other tools (mappings/ecosystem). */
  ecosystem: EcosystemCatalogue;
  /** The controller's flags and ConfigMap keys (mappings/controller). */
  controllerCatalogue: ControllerCatalogue;
  /** cert-manager's default issuer (its controller flags), for kubernetes.io/tls-acme; unknown when absent. */
  certManagerDefaultIssuer?: IssuerRef;
}

/**
 * A mapped Ingress as the result keeps it: what the report and the CLI read. Its route policy,
 * the table's input, is no longer set (see dropPolicy).
 */
export type ConvertedIngress = Omit<MappedIngress, 'policy'> & { policy?: undefined };

export interface ConversionResult {
  objects: KubeObject[];
  /** Every finding, sorted: annotation verdicts and what later stages found. */
  findings: Finding[];
  /** The findings that state annotation verdicts (a subset of `findings`). */
  verdictFindings: ReadonlySet<Finding>;
  /** The selected Ingresses with their verdicts (their route policies, the table's input, are not kept). */
  mapped: ConvertedIngress[];
  /** Ingresses not served by ingress-nginx's class rules, with the reason. */
  skipped: { ingress: string; reason: string }[];
  /** Contour's cluster-wide side (with --defaults cluster or emitContourConfig); never part of `objects`, so apply leaves it alone unless asked. */
  contourConfiguration?: ContourConfigResult;
  /** The controller settings the conversion used (nginx's defaults when no controller was given). */
  settings: NginxSettings;
}

/**
 * `betweenStages` runs where a stage's intermediate data has just become garbage (the CLI
 * collects there at fleet scale: see cli/heap.ts); it must not touch the conversion.
 */
export function convert(input: InputSet, opts: ConvertOptions, betweenStages?: () => void): ConversionResult {
  const caps = new Capabilities(opts.target, opts.contourVersion);
  const findings: Finding[] = [];
  const skipped: ConversionResult['skipped'] = [];
  const mapped: MappedIngress[] = [];
  // The controller's flags decide which Ingresses nginx served (the CLI refuses conflicting flags).
  const controller = resolveControllerConfig(opts.controller, opts.controllerCatalogue);
  const settings = controller.settings;
  for (let i = 0; i < controller.findings.length; i++) findings.push(controller.findings[i]!);
  const args = opts.controller?.args ?? {};
  const ingressClass = args['ingress-class'] !== undefined ? settings.ingressClass : opts.ingressClass;
  const prefix = args['annotations-prefix'] !== undefined ? settings.annotationsPrefix : opts.annotationPrefix;
  const classOpts = {
    ingressClass,
    includeClassless: opts.includeClassless || settings.watchIngressWithoutClass,
    classes: input.ingressClasses,
    ...(args['controller-class'] ? { controllerClass: args['controller-class'] } : {}),
  };
  const watched = settings.watchNamespaces.length > 0 ? new Set(settings.watchNamespaces) : undefined;
  const only = opts.onlyNamespaces ? new Set(opts.onlyNamespaces) : undefined;
  const skip = new Set(opts.skipIngresses ?? []);
  // One options object for every Ingress (mapIngress only reads it).
  const mapOptions: MapContextOptions = {
    options: opts.authExtension ? { authExtension: opts.authExtension } : {},
    catalogue: opts.catalogue,
    caps,
    prefix,
    services: input.services,
    configMaps: input.configMaps,
    settings,
  };
  const ingresses = input.ingresses;
  for (let i = 0; i < ingresses.length; i++) {
    const ing = ingresses[i]!;
    if (only && !only.has(ing.namespace)) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: 'namespace not selected' });
      continue;
    }
    if (watched && !watched.has(ing.namespace)) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: 'namespace not watched by the controller (--watch-namespace)' });
      continue;
    }
    if (skip.size > 0 && skip.has(`${ing.namespace}/${ing.name}`)) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: 'skipped on request' });
      continue;
    }
    const verdict = selectByClass(ing, classOpts);
    if (!verdict.selected) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: verdict.reason });
      continue;
    }
    mapped.push(mapIngress(ing, mapOptions));
  }
  betweenStages?.();
  if (skipped.length > 0) findings.push(classSummary(skipped, { ...opts, ingressClass }));
  for (let i = 0; i < mapped.length; i++) {
    const m = mapped[i]!;
    if (m.notLoaded) findings.push(finding('controller.not-loaded', 'warn', { ingresses: [ingressKey(m.ingress)] }, { reason: m.notLoaded }));
    else {
      const violations = strictPathViolations(m.ingress, settings);
      for (let j = 0; j < violations.length; j++) {
        const v = violations[j]!;
        findings.push(finding('controller.strict-path-type', 'warn', { ingresses: [ingressKey(m.ingress)], path: v.path }, v));
      }
    }
  }

  // Annotations outside the nginx prefix: cert-manager, external-dns, housekeeping, unknown.
  const ecosystemOptions: EcosystemOptions = {
    catalogue: opts.ecosystem,
    prefix,
    target: opts.target,
    nginxClass: ingressClass,
    ...(opts.certManagerDefaultIssuer ? { defaultIssuer: opts.certManagerDefaultIssuer } : {}),
  };
  // Only Ingresses that give the ecosystem stage something (notes, Certificates, DNS names) are
  // kept for it: the others added nothing there, and were held through the route stages.
  const ecosystem: EcosystemInput[] = [];
  for (let i = 0; i < mapped.length; i++) {
    const m = mapped[i]!;
    const eco = mapEcosystem(m.ingress, ecosystemOptions);
    // (A result without verdicts may be shared by many Ingresses: it is left as it is.)
    if (m.skipReason && eco.verdicts.length > 0) eco.verdicts = notConverted(eco.verdicts);
    m.ecosystem = eco.verdicts;
    if (eco.shim.notes.length > 0 || eco.shim.certificates.length > 0 || eco.dns !== undefined) ecosystem.push({ ingress: m.ingress, eco, converted: !m.skipReason });
  }

  const converted = mapped.filter((m) => !m.skipReason);
  // Contour's side: computed before the routes, which leave off what it holds with --defaults cluster.
  const defaults = opts.defaults ?? 'route';
  const contourConfiguration =
    defaults === 'cluster' || opts.emitContourConfig
      ? emitContourConfiguration(settings, {
          contourVersion: opts.contourVersion,
          defaults,
          ...(opts.contourConfigRef ? { ref: opts.contourConfigRef } : {}),
          ...(opts.authExtension ? { authExtension: opts.authExtension } : {}),
          ...(opts.generator ? { generator: opts.generator } : {}),
        })
      : undefined;
  const clusterDefaults = contourConfiguration && defaults === 'cluster' && contourConfiguration.carried.idle !== undefined ? contourConfiguration.carried : undefined;
  const emitOpts: EmitOptions = {
    caps,
    ...(opts.contourClass ? { contourClass: opts.contourClass } : {}),
    ...(opts.generator ? { generator: opts.generator } : {}),
    ...(clusterDefaults ? { clusterDefaults } : {}),
    routeDefaults: routeDefaults(settings, caps),
    ipSource: checksForwardedAddress(settings) ? 'Remote' : 'Peer',
  };
  const emitted = routeStages(converted, { input, opts, caps, prefix, settings, emitOpts, findings, betweenStages });
  // The route table and the plan are garbage now (routeStages' frame holds them no longer).
  betweenStages?.();
  const others = emitEcosystem(ecosystem, emitted.objects, { target: opts.target, nginxClass: ingressClass, ...(opts.generator ? { generator: opts.generator } : {}) });
  for (let i = 0; i < others.findings.length; i++) findings.push(others.findings[i]!);
  if (contourConfiguration) for (let i = 0; i < contourConfiguration.findings.length; i++) findings.push(contourConfiguration.findings[i]!);
  if (emitted.objects.length > 0) findings.push(finding('route.nginx-defaults', 'warn', {}, { bodyLimit: bodyLimitText(settings.proxyBodySize) }));
  // Later stages name annotations by their short key; findings always carry the full one.
  const fullKeys = new Map<string, string>();
  const fullKey = (key: string): string => {
    let full = fullKeys.get(key);
    if (full === undefined) fullKeys.set(key, (full = `${prefix}/${key}`));
    return full;
  };
  // Indexed loops in this once-run code: an iterator allocated a result object per step.
  const stageFindings: Finding[] = new Array<Finding>(findings.length);
  // The later-stage findings about an annotation that can downgrade its verdict, by Ingress and
  // full annotation key: only the Ingresses they name have verdicts that can change, and a verdict
  // is looked up without a `key ingress` text per verdict.
  const causesIndex = new Map<string, Map<string, Finding[]>>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const annotation = f.subject.annotation;
    const g = annotation && !annotation.includes('/') ? withSubject(f, { ...f.subject, annotation: fullKey(annotation) }) : f;
    stageFindings[i] = g;
    if (annotation && f.severity !== 'info') addCause(causesIndex, g);
  }
  // One verdict per annotation: a later stage that found the annotation lost or changed downgrades it.
  // Verdict findings first, then the stages' (the order sortFindings keeps for equal ones).
  // At most one finding per verdict: the list is made at that size and cut to what it holds
  // (82k findings at 20k Ingresses; grown by push, it was copied at every step of its growth).
  let bound = stageFindings.length;
  for (let i = 0; i < mapped.length; i++) bound += mapped[i]!.verdicts.length + (mapped[i]!.ecosystem?.length ?? 0);
  const all = new Array<Finding>(bound);
  let count = 0;
  for (let i = 0; i < mapped.length; i++) {
    const m = mapped[i]!;
    const key = ingressKey(m.ingress);
    const causes = causesIndex.get(key);
    if (causes) m.verdicts = reconcileVerdicts(m.verdicts, causes, fullKey);
    count = appendVerdictFindings(m, prefix, key, all, count);
    if (m.ecosystem && m.ecosystem.length > 0) {
      if (causes) m.ecosystem = reconcileVerdicts(m.ecosystem, causes, fullKey);
      const eco = ecosystemFindings(m.ingress, m.ecosystem, key);
      for (let j = 0; j < eco.length; j++) all[count++] = eco[j]!;
    }
  }
  const verdictCount = count;
  for (let i = 0; i < stageFindings.length; i++) all[count++] = stageFindings[i]!;
  all.length = count;
  const findingsSorted = sortFindings(all);
  // The verdict findings are the first ones of `all`: the list keeps only those, and the Set the
  // report asks for is made when read (convert's CLI never reads it: 44k Set entries at 20k).
  all.length = verdictCount;
  let verdicts: ReadonlySet<Finding> | undefined;
  // Without the policies: nothing reads them once the routes are emitted, and they were kept
  // alive until the output was written (a few percent of the live heap).
  const kept = new Array<ConvertedIngress>(mapped.length);
  for (let i = 0; i < mapped.length; i++) kept[i] = dropPolicy(mapped[i]!);
  const result: ConversionResult = {
    objects: sortObjects(emitted.objects.concat(others.objects)),
    findings: findingsSorted,
    get verdictFindings(): ReadonlySet<Finding> {
      return (verdicts ??= new Set(all));
    },
    mapped: kept,
    skipped,
    settings,
  };
  if (contourConfiguration) result.contourConfiguration = contourConfiguration;
  return result;
}

/**
 * A mapped Ingress as the result keeps it: its policy unset in place (the object keeps its
 * shape; a copy without the field cost a rest spread per Ingress). Called once the route stages
 * are done: nothing reads a policy after them.
 */
function dropPolicy(m: MappedIngress): ConvertedIngress {
  const kept: Omit<MappedIngress, 'policy'> & { policy?: MappedIngress['policy'] } = m;
  kept.policy = undefined;
  return kept as ConvertedIngress;
}

interface RouteStageContext {
  input: InputSet;
  opts: ConvertOptions;
  caps: Capabilities;
  prefix: string;
  settings: NginxSettings;
  emitOpts: EmitOptions;
  /** The run's findings, appended to. */
  findings: Finding[];
  betweenStages: (() => void) | undefined;
}

/**
 * nginx's route table → lowered → planned → emitted. Each stage's input is its own function's
 * local, so it is unreachable once the next stage has it: an interpreted frame keeps every local
 * alive to its end, which made the collections between stages keep ≈ 120 MB at 100k, in some runs.
 */
function routeStages(converted: MappedIngress[], ctx: RouteStageContext): ReturnType<typeof emitHttpProxy> {
  const { opts, caps, findings } = ctx;
  const lowered = lowerStage(converted, ctx);
  ctx.betweenStages?.();
  const planned = plan(lowered.hosts, { caps, rootNamespace: opts.rootNamespace, includeScope: opts.includeScope, layout: opts.layout });
  for (let i = 0; i < planned.findings.length; i++) findings.push(planned.findings[i]!);
  const trustedHops = trustedHopsFinding(lowered.hosts, ctx.settings, opts);
  if (trustedHops) findings.push(trustedHops);
  ctx.betweenStages?.();
  const emitted = opts.target === 'httpproxy' ? emitHttpProxy(planned, ctx.emitOpts) : emitIngressRoute(planned, ctx.emitOpts);
  for (let i = 0; i < emitted.findings.length; i++) findings.push(emitted.findings[i]!);
  return emitted;
}

function lowerStage(converted: MappedIngress[], ctx: RouteStageContext): ReturnType<typeof lower> {
  const { opts, settings, findings } = ctx;
  const table = buildHosts(converted, {
    caps: ctx.caps,
    services: ctx.input.services,
    ...(opts.prefer ? { prefer: opts.prefer } : {}),
    ...(settings.defaultSslCertificate ? { defaultSslCertificate: settings.defaultSslCertificate } : {}),
  });
  // Loops, not push(...xs): a spread of an input-sized array overflows the call stack.
  for (let i = 0; i < table.findings.length; i++) findings.push(table.findings[i]!);
  const lowered = lower(table.hosts, converted, { caps: ctx.caps, prefix: ctx.prefix, entryOf: (key) => opts.catalogue.get(key), publishUnprotected: new Set(opts.publishUnprotected ?? []) });
  for (let i = 0; i < lowered.findings.length; i++) findings.push(lowered.findings[i]!);
  return lowered;
}

/** proxy-body-size "0" means no limit in nginx, as in Contour. */
const bodyLimitText = (size: string): string => (/^0+[bkmg]?$/i.test(size) ? '' : `request bodies over ${size} were refused with 413 (proxy-body-size; Contour sets no limit), and `);

/** Routes whose IP lists check the forwarded client address only work when Contour trusts the same proxies nginx did. */
function trustedHopsFinding(hosts: VirtualHost[], settings: NginxSettings, opts: ConvertOptions): Finding | undefined {
  if (opts.target !== 'httpproxy' || !checksForwardedAddress(settings)) return undefined;
  const routes = hosts.flatMap((h) => h.routes).filter((r) => !r.policy.deny && (r.policy.ipAllow || r.policy.ipDeny));
  if (routes.length === 0) return undefined;
  const header = settings.useProxyProtocol ? 'the PROXY protocol' : settings.forwardedForHeader;
  const contourSetting = settings.useProxyProtocol ? "Contour's --use-proxy-protocol" : "Contour's num-trusted-hops (ContourConfiguration envoy.network.numTrustedHops)";
  return finding('controller.trusted-hops', 'warn', { ingresses: [...new Set(routes.map((r) => r.source.ingress))].sort() }, { header, contourSetting, routes: routes.length });
}

/**
 * Applies what later stages found about an annotation of this Ingress to its verdict: an
 * error makes it unsupported, a warning makes an exact verdict approximate; the findings
 * that did so are its causes. An invalid value stays the verdict that matters. Most Ingresses
 * have no downgrading finding: their list is returned as it is, not copied.
 */
function reconcileVerdicts(list: AnnotationVerdict[], causesByAnnotation: Map<string, Finding[]>, fullKey: (key: string) => string): AnnotationVerdict[] {
  let out: AnnotationVerdict[] | undefined;
  // An indexed loop and one `prefix/key` per distinct key: this runs for every Ingress a stage finding names.
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    const causes = causesByAnnotation.get(v.annotation ?? fullKey(v.key));
    if (!causes || v.fidelity === 'invalid' || v.fidelity === 'unknown' || v.fidelity === 'not-carried') continue;
    let { fidelity, severity } = v;
    for (const c of causes) {
      severity = worseSeverity(severity, c.severity);
      if (c.severity === 'error') fidelity = 'unsupported';
      else if (fidelity === 'exact') fidelity = 'approximate';
    }
    const findingId = fidelity === v.fidelity ? v.findingId : fidelity === 'unsupported' ? 'annotation.unsupported' : 'annotation.approximate';
    (out ??= list.slice())[i] = { ...v, fidelity, severity, findingId, causes: causes.map((c) => c.id) };
  }
  return out ?? list;
}

/**
 * Adds a stage finding about an annotation to the causes of each Ingress it names (once each, in
 * finding order), as indexByAnnotation does with one `annotation ingress` key.
 */
function addCause(index: Map<string, Map<string, Finding[]>>, f: Finding): void {
  const ingresses = f.subject.ingresses;
  if (ingresses.length === 1) addCauseOf(index, ingresses[0]!, f);
  else for (const ingress of new Set(ingresses)) addCauseOf(index, ingress, f);
}

function addCauseOf(index: Map<string, Map<string, Finding[]>>, ingress: string, f: Finding): void {
  const annotation = f.subject.annotation!;
  let byAnnotation = index.get(ingress);
  if (byAnnotation === undefined) index.set(ingress, (byAnnotation = new Map<string, Finding[]>()));
  const list = byAnnotation.get(annotation);
  if (list) list.push(f);
  else byAnnotation.set(annotation, [f]);
}

function classSummary(skipped: ConversionResult['skipped'], opts: ConvertOptions): Finding {
  const reasons = new Map<string, number>();
  for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const detail = [...reasons.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${n} ${reason.startsWith('class') || reason === 'no class' ? `with ${reason} (ingress-nginx class is "${opts.ingressClass}")` : reason}`)
    .join(', ');
  const hint = reasons.has('no class') && !opts.includeClassless ? '; --include-classless takes class-less ones' : '';
  return finding('class.skipped', 'info', {}, { count: skipped.length, detail, hint });
}

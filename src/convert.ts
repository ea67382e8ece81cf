// The conversion pipeline as one pure function: selected Ingresses → mapped
// annotations → nginx route table → root/child plan → Contour objects + findings.
import { emitHttpProxy } from './emit/httpproxy.js';
import { emitIngressRoute } from './emit/ingressroute.js';
import { sortObjects, type EmitOptions, type KubeObject } from './emit/objects.js';
import type { Catalogue } from './map/catalogue.js';
import { mapIngress, verdictFindings, type AnnotationVerdict, type MappedIngress } from './map/engine.js';
import type { ControllerConfig } from './model/controller.js';
import { Capabilities, type ContourVersion, type Target } from './model/contour.js';
import { finding, sortFindings, worseSeverity, type Finding } from './model/findings.js';
import { buildHosts } from './model/hosts.js';
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
  /** `ingress2contour <version>`: stamped on every emitted object when set (the CLI sets it). */
  generator?: string;
  catalogue: Catalogue;
}

export interface ConversionResult {
  objects: KubeObject[];
  /** Every finding, sorted: annotation verdicts and what later stages found. */
  findings: Finding[];
  /** The findings that state annotation verdicts (a subset of `findings`). */
  verdictFindings: ReadonlySet<Finding>;
  mapped: MappedIngress[];
  /** Ingresses not served by ingress-nginx's class rules, with the reason. */
  skipped: { ingress: string; reason: string }[];
}

export function convert(input: InputSet, opts: ConvertOptions): ConversionResult {
  const caps = new Capabilities(opts.target, opts.contourVersion);
  const findings: Finding[] = [];
  const skipped: ConversionResult['skipped'] = [];
  const mapped: MappedIngress[] = [];
  const classOpts = { ingressClass: opts.ingressClass, includeClassless: opts.includeClassless, classes: input.ingressClasses };
  const only = opts.onlyNamespaces ? new Set(opts.onlyNamespaces) : undefined;
  const skip = new Set(opts.skipIngresses ?? []);
  for (const ing of input.ingresses) {
    if (only && !only.has(ing.namespace)) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: 'namespace not selected' });
      continue;
    }
    if (skip.has(`${ing.namespace}/${ing.name}`)) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: 'skipped on request' });
      continue;
    }
    const verdict = selectByClass(ing, classOpts);
    if (!verdict.selected) {
      skipped.push({ ingress: `${ing.namespace}/${ing.name}`, reason: verdict.reason });
      continue;
    }
    mapped.push(
      mapIngress(ing, {
        options: opts.authExtension ? { authExtension: opts.authExtension } : {},
        catalogue: opts.catalogue,
        caps,
        prefix: opts.annotationPrefix,
        services: input.services,
        configMaps: input.configMaps,
      }),
    );
  }
  if (skipped.length > 0) findings.push(classSummary(skipped, opts));

  const converted = mapped.filter((m) => !m.skipReason);
  const table = buildHosts(converted, { caps, services: input.services, ...(opts.prefer ? { prefer: opts.prefer } : {}) });
  // Loops, not push(...xs): a spread of an input-sized array overflows the call stack.
  for (const f of table.findings) findings.push(f);
  const lowered = lower(table.hosts, converted, { caps, prefix: opts.annotationPrefix, entryOf: (key) => opts.catalogue.get(key), publishUnprotected: new Set(opts.publishUnprotected ?? []) });
  for (const f of lowered.findings) findings.push(f);
  const planned = plan(lowered.hosts, { caps, rootNamespace: opts.rootNamespace, includeScope: opts.includeScope, layout: opts.layout });
  for (const f of planned.findings) findings.push(f);
  const emitOpts: EmitOptions = { caps, ...(opts.contourClass ? { contourClass: opts.contourClass } : {}), ...(opts.generator ? { generator: opts.generator } : {}) };
  const emitted = opts.target === 'httpproxy' ? emitHttpProxy(planned, emitOpts) : emitIngressRoute(planned, emitOpts);
  for (const f of emitted.findings) findings.push(f);
  if (emitted.objects.length > 0) findings.push(finding('route.nginx-defaults', 'warn', {}));
  // Later stages name annotations by their short key; findings always carry the full one.
  const stageFindings = findings.map((f) =>
    f.subject.annotation && !f.subject.annotation.includes('/') ? { ...f, subject: { ...f.subject, annotation: `${opts.annotationPrefix}/${f.subject.annotation}` } } : f,
  );
  // One verdict per annotation: a later stage that found the annotation lost or changed downgrades it.
  const verdicts = new Set<Finding>();
  const causesIndex = indexCauses(stageFindings);
  for (const m of mapped) {
    m.verdicts = reconcileVerdicts(m, causesIndex, opts.annotationPrefix);
    for (const f of verdictFindings(m, opts.annotationPrefix)) verdicts.add(f);
  }
  return { objects: sortObjects(emitted.objects), findings: sortFindings([...verdicts, ...stageFindings]), verdictFindings: verdicts, mapped, skipped };
}

/**
 * Applies what later stages found about an annotation of this Ingress to its verdict: an
 * error makes it unsupported, a warning makes an exact verdict approximate; the findings
 * that did so are its causes. An invalid value stays the verdict that matters.
 */
/**
 * Stage findings that can downgrade a verdict, by `annotation ingress`, in their original order:
 * looked up per verdict instead of filtering every finding for every verdict (quadratic: 20k
 * Ingresses took 53 s of CPU instead of 6.5 s).
 */
function indexCauses(stageFindings: Finding[]): Map<string, Finding[]> {
  const index = new Map<string, Finding[]>();
  for (const f of stageFindings) {
    if (f.severity === 'info' || !f.subject.annotation) continue;
    for (const ingress of new Set(f.subject.ingresses)) {
      const key = `${f.subject.annotation} ${ingress}`;
      const list = index.get(key);
      if (list) list.push(f);
      else index.set(key, [f]);
    }
  }
  return index;
}

function reconcileVerdicts(m: MappedIngress, causesIndex: Map<string, Finding[]>, prefix: string): AnnotationVerdict[] {
  const key = ingressKey(m.ingress);
  return m.verdicts.map((v) => {
    const full = `${prefix}/${v.key}`;
    const causes = causesIndex.get(`${full} ${key}`) ?? [];
    if (causes.length === 0 || v.fidelity === 'invalid' || v.fidelity === 'unknown') return v;
    let { fidelity, severity } = v;
    for (const c of causes) {
      severity = worseSeverity(severity, c.severity);
      if (c.severity === 'error') fidelity = 'unsupported';
      else if (fidelity === 'exact') fidelity = 'approximate';
    }
    const findingId = fidelity === v.fidelity ? v.findingId : fidelity === 'unsupported' ? 'annotation.unsupported' : 'annotation.approximate';
    return { ...v, fidelity, severity, findingId, causes: causes.map((c) => c.id) };
  });
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

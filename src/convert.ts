// The conversion pipeline as one pure function: selected Ingresses → mapped
// annotations → nginx route table → root/child plan → Contour objects + findings.
import { emitHttpProxy } from './emit/httpproxy.js';
import { emitIngressRoute } from './emit/ingressroute.js';
import { sortObjects, type KubeObject } from './emit/objects.js';
import type { Catalogue } from './map/catalogue.js';
import { mapIngress, verdictFindings, type MappedIngress } from './map/engine.js';
import { Capabilities, type ContourVersion, type Target } from './model/contour.js';
import { sortFindings, type Finding } from './model/findings.js';
import { buildHosts } from './model/hosts.js';
import type { InputSet } from './model/ingress.js';
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
  /** ExtensionService that replaces auth-url (`namespace/name`). */
  authExtension?: { namespace: string; name: string };
  catalogue: Catalogue;
}

export interface ConversionResult {
  objects: KubeObject[];
  findings: Finding[];
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
    const m = mapIngress(ing, { options: opts.authExtension ? { authExtension: opts.authExtension } : {}, catalogue: opts.catalogue, caps, prefix: opts.annotationPrefix, services: input.services, configMaps: input.configMaps });
    mapped.push(m);
    findings.push(...verdictFindings(m, opts.annotationPrefix));
  }
  if (skipped.length > 0) findings.push(classSummary(skipped, opts));

  const table = buildHosts(
    mapped.filter((m) => !m.skipReason),
    { caps, services: input.services },
  );
  findings.push(...table.findings);
  const planned = plan(table.hosts, { caps, rootNamespace: opts.rootNamespace, includeScope: opts.includeScope, layout: opts.layout });
  findings.push(...planned.findings);
  const emitOpts = opts.contourClass ? { caps, contourClass: opts.contourClass } : { caps };
  const emitted = opts.target === 'httpproxy' ? emitHttpProxy(planned, emitOpts) : emitIngressRoute(planned, emitOpts);
  findings.push(...emitted.findings);
  if (emitted.objects.length > 0) findings.push(NGINX_DEFAULTS);
  // Later stages name annotations by their short key; findings always carry the full one.
  const withPrefix = findings.map((f) => (f.annotation && !f.annotation.includes('/') ? { ...f, annotation: `${opts.annotationPrefix}/${f.annotation}` } : f));
  return { objects: sortObjects(emitted.objects), findings: sortFindings(withPrefix), mapped, skipped };
}

/** Said once per conversion: these nginx defaults applied to every Ingress, annotated or not. */
const NGINX_DEFAULTS: Finding = {
  id: 'route.nginx-defaults',
  severity: 'info',
  message:
    'nginx defaults that Contour does not reproduce on any route: request bodies over 1m were refused with 413 (proxy-body-size; Contour sets no limit), and the backend received X-Real-IP, X-Forwarded-Host, X-Forwarded-Port and X-Scheme (Envoy sends X-Forwarded-For, X-Forwarded-Proto and X-Request-Id)',
};

function classSummary(skipped: ConversionResult['skipped'], opts: ConvertOptions): Finding {
  const reasons = new Map<string, number>();
  for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const detail = [...reasons.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${n} ${reason.startsWith('class') || reason === 'no class' ? `with ${reason} (ingress-nginx class is "${opts.ingressClass}")` : reason}`)
    .join(', ');
  const hint = reasons.has('no class') && !opts.includeClassless ? '; --include-classless takes class-less ones' : '';
  return {
    id: 'class.skipped',
    severity: 'info',
    message: `${skipped.length} Ingress(es) not converted: ${detail}${hint}`,
  };
}

// Findings: everything the tool wants a person to know, each with a stable id.
// Ids never change meaning once released: CI gates and reports key on them.

export type Severity = 'info' | 'warn' | 'error';

export type Fidelity = 'exact' | 'approximate' | 'unsupported' | 'unknown' | 'invalid';

/** The catalogue of finding ids: description is what the README documents. */
export const FINDING_IDS = {
  'input.parse-error': 'A file or document is not valid YAML or JSON.',
  'input.not-an-object': 'A document is not a Kubernetes object (no apiVersion/kind map).',
  'input.unsupported-version': 'An Ingress with an apiVersion this tool does not read.',
  'input.invalid-object': 'An Ingress is missing a required field or has a field of the wrong shape.',
  'class.skipped': 'Ingresses not converted: another class, no class, or left out with --only-namespace / --skip-ingress.',
  'route.duplicate-path': 'Two Ingresses claim the same host, path and pathType; nginx keeps the oldest.',
  'route.location-collision': 'Two paths are the same nginx location (Prefix /p and /p/, or a path nginx adds twice): nginx fails its configuration test; the later path is left out.',
  'route.host-less': 'A rule without host: nginx serves it on its catch-all server, Contour cannot.',
  'route.catch-all-default-backend': 'An Ingress default backend without rules (nginx catch-all) cannot be expressed.',
  'route.default-backend': 'An Ingress default backend became the `/` route of the hosts it created.',
  'route.resource-backend': 'A path backend that is a resource reference, not a Service.',
  'route.port-unresolved': 'A named Service port that cannot be resolved to a number.',
  'route.wildcard-host': 'A wildcard host the target cannot express.',
  'route.string-prefix': 'Contour matches this prefix as a plain string, nginx by path segment.',
  'route.shared-host-prefix': 'A host shared by several namespaces: each is included under its prefix (ownership); the paths whose answers change for it.',
  'route.exact-approximated': 'An Exact path became a prefix match because the target has no exact match.',
  'route.regex-mode': 'The host uses nginx regex mode; how its paths were translated.',
  'route.regex-unsupported': 'A regex path the target cannot express.',
  'route.regex-order': 'Contour evaluates regex routes before prefix routes; nginx by path length.',
  'route.trailing-slash-redirect': 'nginx answers `/foo` with a 301 to `/foo/` for a `Prefix /foo/` path.',
  'route.empty-host': 'Nothing of a host could be converted, so no objects were emitted for it.',
  'route.nginx-defaults': 'nginx behaviour that applied to every Ingress without an annotation and that Contour does not reproduce.',
  'tls.delegation': 'The TLS secret lives in another namespace than the root; a TLSCertificateDelegation was emitted.',
  'tls.conflict': 'Two Ingresses give the same host different TLS secrets; nginx uses the oldest.',
  'tls.no-hosts': 'A TLS entry without hosts; applied to the hosts of its Ingress without checking the certificate.',
  'tls.no-secret': 'A TLS entry without secretName; nginx serves its default certificate, Contour cannot.',
  'tls.redirect-code': 'Contour redirects HTTP to HTTPS with 301; nginx uses 308 and exempts ACME challenges.',
  'canary.no-mainline': 'A canary Ingress has no mainline Ingress with the same host, path and pathType.',
  'canary.cross-namespace': 'A canary and its mainline live in different namespaces.',
  'canary.extra': 'More than one canary for one path; nginx only uses the first.',
  'annotation.exact': 'The annotation converts with the same behaviour.',
  'annotation.approximate': 'The annotation converts, with a stated difference in behaviour.',
  'annotation.unsupported': 'The target cannot express the annotation.',
  'annotation.version': 'The annotation needs a newer Contour than `--contour-version`.',
  'annotation.invalid-value': 'The annotation value is invalid; what nginx does with it is stated.',
  'annotation.unknown': 'A key under the annotation prefix that ingress-nginx does not know.',
  'annotation.ignored': 'nginx ignores the annotation in this combination; so does the output.',
  'annotation.ignored-on-canary': 'nginx ignores this annotation on a canary Ingress.',
  'annotation.ignored-host-level': 'A host-level annotation on an Ingress that is not the oldest of its host; nginx ignores it.',
  'annotation.snippet': 'A raw nginx configuration snippet: never translated.',
  'annotation.legacy': 'A legacy annotation current ingress-nginx no longer reads.',
} as const;

export type FindingId = keyof typeof FINDING_IDS;

export interface Finding {
  id: FindingId;
  severity: Severity;
  message: string;
  /** `Ingress ns/name`, `file.yaml#2`, or a host. */
  object?: string;
  annotation?: string;
  host?: string;
  fidelity?: Fidelity;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

export const severityAtLeast = (s: Severity, min: Severity): boolean => SEVERITY_RANK[s] >= SEVERITY_RANK[min];

/** Stable order for output: object, then annotation, then id, then message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      cmp(a.object ?? '', b.object ?? '') ||
      cmp(a.host ?? '', b.host ?? '') ||
      cmp(a.annotation ?? '', b.annotation ?? '') ||
      cmp(a.id, b.id) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Findings: everything the tool wants a person to know, as records. Each has a stable
// id with a message template (typescript-eslint's `meta.messages` model), typed data that
// fills it, and a structured subject, so reports group and gate on fields, never on text.
// Ids never change meaning once released: CI gates and reports key on them.
import { sortStrings } from './sort.js';

export type Severity = 'info' | 'warn' | 'error';

/** `not-carried`: an annotation of another tool (or of none known) that the output leaves out on purpose. */
export type Fidelity = 'exact' | 'approximate' | 'unsupported' | 'unknown' | 'invalid' | 'not-carried';

interface FindingMeta {
  /** What the id means (documented in docs/). */
  description: string;
  /** Message template: `{{name}}` is replaced by `data.name` (lists are joined with ", "). */
  message: string;
}

/** The catalogue of finding ids. */
export const FINDING_META = {
  'input.parse-error': { description: 'A file or document is not valid YAML or JSON.', message: '{{reason}}' },
  'input.not-an-object': { description: 'A document is not a Kubernetes object (no apiVersion/kind map).', message: '{{reason}}' },
  'input.unsupported-version': {
    description: 'An Ingress with an apiVersion this tool does not read.',
    message: 'apiVersion {{apiVersion}} is not an Ingress version this tool reads (networking.k8s.io/v1, networking.k8s.io/v1beta1, extensions/v1beta1)',
  },
  'input.invalid-object': { description: 'An Ingress is missing a required field or has a field of the wrong shape.', message: '{{reason}}' },
  'input.partial-read': { description: 'Only part of the input could be read.', message: '{{reason}}' },
  'controller.not-found': {
    description: "No ingress-nginx controller serving the converted class was found in the cluster: nginx's default flags and ConfigMap are assumed.",
    message:
      "no ingress-nginx controller serving class {{ingressClass}} was found (Deployments and DaemonSets running /nginx-ingress-controller){{detail}}; its flags and ConfigMap are unknown, so nginx's defaults are assumed",
  },
  'controller.unreadable': {
    description: "Something the controller's configuration is read from could not be read (no permission, or an unresolvable --configmap): what is assumed instead.",
    message: 'cannot read {{what}} ({{reason}}); {{assumed}}',
  },
  'controller.configmap-missing': {
    description: "The ConfigMap a controller's --configmap names does not exist: every key is taken as unset (nginx's defaults).",
    message: "ConfigMap {{configMap}} named by --configmap of {{controller}} does not exist: nginx's defaults are assumed for every ConfigMap key",
  },
  'controller.ambiguous': {
    description: 'Several ingress-nginx controllers serve the converted class: the configuration of one is used, the finding names them all.',
    message:
      'several ingress-nginx controllers serve class {{ingressClass}}: {{controllers}}; the flags and ConfigMap of {{used}} are used (each controller answered with its own where traffic reached it)',
  },
  'class.skipped': {
    description: 'Ingresses not converted: another class, no class, or left out with --only-namespace / --skip-ingress.',
    message: '{{count}} Ingress(es) not converted: {{detail}}{{hint}}',
  },
  'route.duplicate-path': {
    description: 'Two Ingresses claim the same host, path and pathType; nginx keeps the oldest.',
    message: '{{where}} is already claimed by {{owner}}; nginx ignores this one, and so does the output',
  },
  'route.precedence-assumed': {
    description: 'Ingresses without creationTimestamp claim the same host and path: the nginx order is assumed (one finding names every contender); --prefer states it.',
    message:
      "{{where}} is claimed by {{count}} Ingresses and not all have a creationTimestamp, so nginx's order is ASSUMED: {{order}}; the first one wins and the output routes to it. If that is not the order they were created in, state it with --prefer ns/name (oldest first, repeatable) or read them from the cluster",
  },
  'route.location-collision': {
    description: 'Two paths are the same nginx location (Prefix /p and /p/, or a path nginx adds twice): nginx fails its configuration test; the later path is left out.',
    message: '{{message}}',
  },
  'route.shared-host-prefix': {
    description: 'A host shared by several namespaces: each is included under its prefix (ownership); the paths whose answers change for it.',
    message: '{{message}}',
  },
  'route.host-less': {
    description: 'A rule without host: nginx serves it on its catch-all server, Contour cannot.',
    message: 'spec.rules[{{rule}}] has no host: nginx serves its {{paths}} path(s) for every host without a server of its own; Contour needs an fqdn, so they are not converted',
  },
  'route.catch-all-default-backend': {
    description: 'An Ingress default backend without rules (nginx catch-all) cannot be expressed.',
    message:
      "a defaultBackend without rules is nginx's catch-all for every unknown host; HTTPProxy and IngressRoute need a host, so it is not converted (keep it as an Ingress for Contour, or give it a host)",
  },
  'route.default-backend': {
    description: 'An Ingress default backend became the `/` route of the hosts it created.',
    message: 'spec.defaultBackend became the / route of {{host}}, as nginx serves it for the hosts this Ingress created',
  },
  'route.resource-backend': {
    description: 'A path backend that is a resource reference, not a Service.',
    message: '{{where}}: backend is a {{kind}} reference, not a Service; nginx sends it to the default backend; not converted',
  },
  'route.port-unresolved': { description: 'A named Service port that cannot be resolved to a number.', message: '{{where}}: {{reason}}; not converted' },
  'route.wildcard-host': { description: 'A wildcard host the target cannot express.', message: 'wildcard host {{host}}: {{reason}}; not converted' },
  'route.string-prefix': {
    description: 'Contour matches this prefix as a plain string, nginx by path segment.',
    message: '{{target}} matches these prefixes as plain strings, so /foo also matches /foobar (nginx: /foo and /foo/… only): {{paths}}',
  },
  'route.exact-approximated': { description: 'An Exact path became a prefix match because the target has no exact match.', message: '{{reason}}: {{paths}}' },
  'route.regex-mode': { description: 'The host uses nginx regex mode; how its paths were translated.', message: '{{reason}}: {{paths}}' },
  'route.regex-unsupported': { description: 'A regex path the target cannot express.', message: 'regex paths not converted ({{reason}}): {{paths}}' },
  'route.regex-order': {
    description: 'Contour evaluates regex routes before prefix routes; nginx by path length.',
    message: 'Contour tries regex routes before prefix routes, nginx tries all paths longest first: where both match, these regex paths now win over longer literal paths: {{paths}}',
  },
  'route.trailing-slash-redirect': {
    description: 'nginx answers `/foo` with a 301 to `/foo/` for a `Prefix /foo/` path.',
    message: 'nginx answers these paths without their trailing slash with a 301 to the slash form; {{target}} does not (404 or another route): {{paths}}',
  },
  'route.empty-host': { description: 'Nothing of a host could be converted, so no objects were emitted for it.', message: '{{reason}}' },
  'route.unconvertible-path': {
    description: 'A path that cannot be converted keeps its place as a deny route, so its requests never reach another backend.',
    message: '{{where}} cannot be converted ({{reason}}): {{outcome}}',
  },
  'route.implicit-root': {
    description: "Paths no Ingress routes on a TLS host: nginx's default location redirected them to HTTPS; a target without fixed-status routes answers 404.",
    message:
      "paths of {{host}} that no Ingress routes: nginx's default location redirected them to HTTPS over plain HTTP; {{target}} cannot answer a fixed status, so they answer 404 there (Contour 1.22+ keeps the redirect)",
  },
  'route.nginx-defaults': {
    description: 'nginx behaviour that applied to every Ingress without an annotation and that Contour does not reproduce.',
    message:
      'nginx defaults that Contour does not reproduce on any route: {{bodyLimit}}the backend received X-Real-IP, X-Forwarded-Host, X-Forwarded-Port and X-Scheme (Envoy sends X-Forwarded-For, X-Forwarded-Proto and X-Request-Id)',
  },
  'contour-config.defaults': {
    description: 'Which place the output assumes for nginx per-location defaults (--defaults route|cluster), and what moved into Contour configuration.',
    message: 'defaults {{mode}}: {{detail}}',
  },
  'contour-config.emitted': {
    description: 'A ContourConfiguration / contour.yaml fragment was produced: how Contour reads it, and that it applies to every route Contour serves.',
    message: 'Contour configuration {{name}}: {{detail}}',
  },
  'contour-config.tls-protocols': { description: 'ssl-protocols lists TLS versions Contour cannot serve.', message: 'ssl-protocols {{protocols}}: {{reason}}' },
  'contour-config.cipher-unmapped': { description: 'ssl-ciphers entries without a Contour (Envoy/BoringSSL) cipher suite.', message: 'ssl-ciphers {{ciphers}}: {{reason}}' },
  'contour-config.fallback-certificate': {
    description: "--default-ssl-certificate became Contour's fallback certificate, which is served in fewer cases.",
    message: 'default certificate {{secret}} became the fallback certificate: {{reason}}',
  },
  'contour-config.trusted-hops': {
    description: 'use-forwarded-headers became numTrustedHops: how Envoy picks the client address differs from nginx real_ip.',
    message: 'client address from X-Forwarded-For: {{reason}}',
  },
  'contour-config.connect-timeout': { description: 'proxy-connect-timeout cannot be set at this Contour version.', message: 'upstream connect timeout {{timeout}}: {{reason}}' },
  'contour-config.access-log': {
    description: 'log-format-upstream became an Envoy access log format; the variables left out or approximated.',
    message: '{{reason}}; left out: {{untranslatable}}; approximate: {{approximate}}',
  },
  'contour-config.global-auth': { description: 'global-auth-url: carried as globalExtAuth with --auth-extension, or not carried.', message: 'global-auth-url {{url}}: {{reason}}' },
  'contour-config.rate-limit-service': {
    description: 'nginx global rate limiting needs a Rate Limit Service in Contour; not emitted.',
    message: 'global rate limiting (memcached {{memcached}}): {{reason}}',
  },
  'contour-config.version': { description: 'Cluster-wide settings the chosen Contour version cannot hold.', message: 'Contour {{version}} cannot set: {{settings}}' },
  'security.route-denied': {
    description: 'An access control nginx enforced cannot be kept: the routes it protected answer 403 instead of being published open.',
    message:
      '{{control}} cannot be kept ({{reason}}): the {{routes}} route(s) it protected answer 403 instead of being published without it; pass --publish-unprotected {{ingress}} to publish them unprotected',
  },
  'security.host-withheld': {
    description: 'An access control cannot be kept and the target cannot answer a route with a fixed status: the whole host is left out.',
    message:
      '{{control}} cannot be kept ({{reason}}) and {{target}} cannot deny a route in place: host {{host}} is left out so nothing nginx protected is published open; pass --publish-unprotected {{ingress}} to publish it unprotected',
  },
  'security.published-unprotected': {
    description: 'An access control nginx enforced was dropped on request (--publish-unprotected): the routes are published without it.',
    message: '{{control}} cannot be kept ({{reason}}); published WITHOUT it because --publish-unprotected names this Ingress: {{routes}} route(s) are open to anyone',
  },
  'tls.delegation': {
    description: 'The TLS secret lives in another namespace than the root; a TLSCertificateDelegation was emitted.',
    message: 'secret {{secret}} is referenced from the root in {{rootNamespace}}; a TLSCertificateDelegation in {{secretNamespace}} allows it',
  },
  'tls.conflict': {
    description: 'Two Ingresses give the same host different TLS secrets; nginx uses the oldest.',
    message: 'TLS secret {{secret}} for {{host}} loses to {{winner}} from Ingress {{winnerIngress}} (oldest wins in nginx)',
  },
  'tls.no-hosts': {
    description: 'A TLS entry without hosts; applied to the hosts of its Ingress without checking the certificate.',
    message: 'a TLS entry without hosts: nginx uses secret {{secret}} for {{host}} only if the certificate covers the name; it was used for {{host}} without that check',
  },
  'tls.no-secret': {
    description: 'A TLS entry without secretName; nginx serves its default certificate, Contour cannot.',
    message:
      'TLS for {{host}} has no secretName: nginx serves its default certificate and still redirects to HTTPS; Contour needs a secret, so {{host}} is emitted without TLS (plain HTTP, no redirect)',
  },
  'tls.redirect-code': {
    description: 'Contour redirects HTTP to HTTPS with 301; nginx uses 308 and exempts ACME challenges.',
    message:
      'Contour redirects HTTP to HTTPS with 301 (nginx: 308, which keeps the method), keeps a trailing slash in the Location (nginx strips it) and also redirects /.well-known/acme-challenge (nginx does not); routes with ssl-redirect "false" stay on HTTP. Contour sends no HSTS header (nginx\'s default: max-age=31536000; includeSubDomains)',
  },
  'canary.no-mainline': {
    description: 'A canary Ingress has no mainline Ingress with the same host, path and pathType.',
    message: '{{where}}: no mainline Ingress has this host, path and pathType; nginx drops the canary backend (requests get 404 or the mainline of another path), and so does the output',
  },
  'canary.cross-namespace': {
    description: 'A canary and its mainline live in different namespaces.',
    message:
      "{{where}}: the mainline is Ingress {{mainline}} in another namespace; Contour routes only to Services of the route's own namespace, so the canary is not converted and all traffic goes to the mainline",
  },
  'canary.extra': {
    description: 'More than one canary for one path; nginx only uses the first.',
    message: '{{where}}: {{first}} is already the canary of this path; nginx uses only the first, and so does the output',
  },
  'controller.defaults-assumed': {
    description: "The ingress-nginx controller's configuration (or part of it) is not known: nginx's defaults are assumed.",
    message: '{{reason}}',
  },
  'controller.setting': {
    description: "The verdict on one controller flag or ConfigMap key: applied to the conversion, Contour's cluster-wide configuration, not expressible, or no effect on routing.",
    message: '{{key}} = {{value}} ({{verdict}}): {{message}}',
  },
  'controller.invalid-value': {
    description: 'A controller flag or ConfigMap value nginx cannot parse; what nginx does with it is stated.',
    message: '{{key}} = {{value}}: {{reason}}',
  },
  'controller.unknown-key': {
    description: 'A ConfigMap key or flag ingress-nginx does not know (typo, or from another release); nginx ignores it.',
    message: '{{kind}} {{key}} = {{value}} is not an ingress-nginx setting this tool knows (typo, or from another release?); {{consequence}}',
  },
  'controller.not-loaded': {
    description: "An Ingress the controller's configuration makes nginx refuse to load (risk level of its annotations, the word blocklist): it is not converted.",
    message: 'nginx does not load this Ingress ({{reason}}), so it served none of its paths; it is not converted',
  },
  'controller.strict-path-type': {
    description: "A Prefix or Exact path strict-validate-path-type refuses: ingress-nginx's admission webhook rejects the Ingress, but a stored one is still served; it is converted.",
    message:
      "path {{path}} with pathType {{pathType}} fails strict-validate-path-type: ingress-nginx's admission webhook refuses to create or update this Ingress (use ImplementationSpecific), but the controller still serves it as a plain path, and so does the output",
  },
  'controller.trusted-hops': {
    description: 'Source ranges check the forwarded client address (nginx trusted X-Forwarded-For or the PROXY protocol): Contour must be told how many proxies to trust.',
    message:
      'nginx checked source ranges against the client address from {{header}}; the output checks the same address (source: Remote), which Contour only knows right when {{contourSetting}} matches the proxies in front of Envoy: {{routes}} route(s) with IP lists depend on it',
  },
  'tls.default-certificate': {
    description: "A TLS host without a secretName gets the controller's --default-ssl-certificate, as nginx served it.",
    message: 'TLS for {{host}} has no secretName: nginx served its --default-ssl-certificate {{secret}}, and so does the output',
  },
  'annotation.exact': { description: 'The annotation converts with the same behaviour.', message: '{{message}}' },
  'annotation.approximate': { description: 'The annotation converts, with a stated difference in behaviour.', message: '{{message}}' },
  'annotation.unsupported': { description: 'The target cannot express the annotation.', message: '{{message}}' },
  'annotation.version': {
    description: 'The annotation needs a newer Contour than `--contour-version`.',
    message: '{{message}}',
  },
  'annotation.invalid-value': { description: 'The annotation value is invalid; what nginx does with it is stated.', message: 'value {{value}}: {{message}}' },
  'annotation.unknown': {
    description: 'A key under the annotation prefix that ingress-nginx does not know.',
    message: 'not an ingress-nginx annotation (typo, or from a newer release?); ignored',
  },
  'annotation.ignored': { description: 'nginx ignores the annotation in this combination; so does the output.', message: '{{message}}' },
  'annotation.ignored-on-canary': {
    description: 'nginx ignores this annotation on a canary Ingress.',
    message: 'nginx ignores this annotation on a canary Ingress (the mainline settings apply); not converted either',
  },
  'annotation.ignored-host-level': { description: 'A host-level annotation on an Ingress that is not the oldest of its host; nginx ignores it.', message: '{{message}}' },
  'annotation.snippet': { description: 'A raw nginx configuration snippet: never translated.', message: '{{message}}' },
  'annotation.legacy': { description: 'A legacy annotation current ingress-nginx no longer reads.', message: '{{message}}' },
  'annotation.not-carried': { description: 'An annotation of another tool that the output does not carry, with the reason (ecosystem catalogue).', message: '{{message}}' },
  'annotation.bookkeeping': {
    description: 'Housekeeping annotations of kubectl, Helm, Argo CD, Flux, kustomize… on an Ingress: not carried (one finding per Ingress lists them).',
    message: '{{count}} housekeeping annotation(s) of {{tools}} not carried (they describe the Ingress; the new objects get their own when applied with the same tools): {{keys}}',
  },
  'annotation.foreign': {
    description: 'Annotations that neither ingress-nginx nor a tool in the ecosystem catalogue reads: not carried (one finding per Ingress lists them).',
    message:
      '{{count}} annotation(s) that neither ingress-nginx nor a tool this conversion knows reads are not carried; if a controller or operator acts on them, it does not act on the new objects: {{keys}}',
  },
  'certmanager.certificate': {
    description: "A cert-manager Certificate emitted for an Ingress's TLS entry: ingress-shim does not watch HTTPProxy or IngressRoute.",
    message:
      "Certificate {{certificate}} for {{hosts}} ({{issuer}}): emitted because cert-manager's ingress-shim does not watch {{target}}. The Certificate ingress-shim keeps under this name is owned by the Ingress: delete the Ingress with --cascade=orphan (or apply this Certificate again afterwards), else garbage collection removes it with the Ingress",
  },
  'certmanager.no-certificate': {
    description: 'ingress-shim keeps no Certificate for this Ingress (or TLS entry), so none is emitted.',
    message: 'ingress-shim keeps no Certificate here ({{reason}}), and none is emitted: this Secret is not renewed by cert-manager',
  },
  'certmanager.tls-skipped': {
    description: 'A TLS entry ingress-shim skips (no hosts or no secretName).',
    message: '{{entry}} gets no Certificate from ingress-shim ({{reason}}), nor from the output',
  },
  'certmanager.default-issuer': {
    description: "kubernetes.io/tls-acme asks for cert-manager's default issuer, a controller flag that is not visible offline: no Certificate is emitted.",
    message: '{{message}}',
  },
  'certmanager.http01-nginx': {
    description: "An annotation binds cert-manager's HTTP-01 solver to ingress-nginx; it is not carried.",
    message: '{{message}}',
  },
  'certmanager.http01-solver': {
    description: 'Certificates use an issuer the conversion cannot see: if its HTTP-01 solver names the nginx class, renewal stops once nginx is gone.',
    message:
      '{{issuer}} issues {{certificates}}: offline its solvers are not visible. If it is an ACME issuer whose HTTP-01 solver sets class: {{nginxClass}} or ingressClassName: {{nginxClass}}, challenges stop working once ingress-nginx is gone and renewal fails; point the solver at Contour (ingressClassName of Contour) before removing nginx',
  },
  'certmanager.conflict': {
    description: "Ingresses ask for different Certificates for one Secret; ingress-shim keeps the first one that was created, the output the oldest Ingress's.",
    message:
      'secret {{secret}} is asked for by {{ingresses}} with different {{fields}}; ingress-shim keeps the Certificate of whichever created it first, the output keeps that of {{winner}} (oldest)',
  },
  'externaldns.conflict': {
    description: "Ingresses of one host set different values for an external-dns annotation; the root carries the oldest Ingress's.",
    message: '{{annotation}} differs between the Ingresses of {{host}} ({{values}}); the root carries {{value}} from {{winner}} (oldest)',
  },
  'externaldns.source': {
    description: 'Hosts whose external-dns annotations were carried to root HTTPProxies: external-dns reads them there only with its contour-httpproxy source.',
    message:
      "external-dns reads HTTPProxy only with --source=contour-httpproxy: enable it for {{hosts}}{{extra}}, or their DNS records go away with the Ingresses; records then point at the address in the HTTPProxy status (Contour's Envoy) unless a target annotation says otherwise",
  },
  'externaldns.no-source': {
    description: 'external-dns has no IngressRoute source: the DNS records of these hosts will not follow the conversion.',
    message:
      'external-dns has no IngressRoute source, so the external-dns annotations of {{hosts}} are not carried and their DNS records go away with the Ingresses (or stay stale with --policy=upsert-only); keep them with a DNSEndpoint or Service, or convert with --target httpproxy',
  },
  'externaldns.no-root': {
    description: 'No root was emitted for a host, so its external-dns annotations have nowhere to go.',
    message: 'no root HTTPProxy was emitted for {{host}}, so its external-dns annotations are not carried: its DNS records go away with the Ingresses',
  },
} as const satisfies Record<string, FindingMeta>;

export type FindingId = keyof typeof FINDING_META;

/** The one-line descriptions, by id (docs and the README's findings table). */
export const FINDING_IDS: Record<FindingId, string> = Object.fromEntries(Object.entries(FINDING_META).map(([id, m]) => [id, m.description])) as Record<FindingId, string>;

/** What a finding is about. Reports group by these fields; nothing parses message text. */
export interface Subject {
  /** Source Ingresses as `namespace/name`, sorted; empty for findings about the input or the run. */
  ingresses: string[];
  host?: string;
  /** A path as written in the Ingress (or several, in data.paths, for host-wide notes). */
  path?: string;
  /** The full annotation key (prefix included). */
  annotation?: string;
  /** For input findings: `file#document` (1-based) or `file` when the whole file failed. */
  source?: string;
}

export type FindingValue = string | number | boolean | readonly string[];
export type FindingData = Readonly<Record<string, FindingValue>>;

export interface Finding {
  id: FindingId;
  severity: Severity;
  subject: Subject;
  data: FindingData;
  /** The template of `id` filled with `data`: for people, never parsed. */
  message: string;
  /** Set on annotation verdict findings. */
  fidelity?: Fidelity;
}

/**
 * The message of a finding built here: rendered from the template when read, never stored. A
 * large fleet has hundreds of thousands of findings, and their rendered messages (ropes, then
 * flat copies once printed) were a tenth of the live heap. It is an own enumerable accessor,
 * defined right after `data`, so a finding still reads, spreads, clones and serializes (JSON key
 * order included) as a plain one; one shared getter keeps every finding on one hidden class.
 * A template without fields, or that is one string field and nothing else (`{{message}}`, most
 * findings of a fleet), renders to a string that already exists: it is stored as a plain field
 * instead, which costs no more memory and no defineProperty call.
 */
const LAZY_MESSAGE: PropertyDescriptor = {
  get(this: Finding): string {
    return renderMessage(this.id, this.data);
  },
  /** Finding.message is a plain field: a message set on purpose replaces the template's, in place. */
  set(this: Finding, text: string): void {
    Object.defineProperty(this, 'message', { value: text, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** A class rather than a literal: its spare in-object slots hold `fidelity` without a side store. */
class TemplatedFinding {
  declare id: FindingId;
  declare severity: Severity;
  declare subject: Subject;
  declare data: FindingData;
  declare message: string;
  declare fidelity?: Fidelity;

  /** `text`: storedMessage(id, data), when the caller has it already. */
  constructor(id: FindingId, severity: Severity, subject: Subject, data: FindingData, fidelity: Fidelity | undefined, text = storedMessage(id, data)) {
    this.id = id;
    this.severity = severity;
    this.subject = subject;
    this.data = data;
    if (text !== undefined) this.message = text;
    else Object.defineProperty(this, 'message', LAZY_MESSAGE);
    if (fidelity) this.fidelity = fidelity;
  }
}

/**
 * The subject's Ingress list of the previous finding when it named one Ingress: consecutive
 * findings about one Ingress (its annotation verdicts) share one array instead of a copy each
 * (hundreds of thousands of findings in a large fleet). Subject lists are never mutated.
 */
let lastIngress: string | undefined;
let lastIngresses: string[] = [];

/**
 * The data of findings given none (tls.redirect-code: one per TLS host), one frozen object for
 * all of them: nothing writes to a finding's data (withData makes a new object).
 */
const NO_DATA: FindingData = Object.freeze({});

/** Builds a finding: the message comes from the id's template and the data, nothing else. */
export function finding(id: FindingId, severity: Severity, subject: Partial<Subject>, data: FindingData = NO_DATA, fidelity?: Fidelity): Finding {
  const given = subject.ingresses;
  let ingresses: string[];
  if (given === undefined || given.length === 0) ingresses = [];
  else if (given.length === 1) {
    const only = given[0] as string;
    if (only !== lastIngress) {
      lastIngress = only;
      lastIngresses = [only];
    }
    ingresses = lastIngresses;
  } else ingresses = sortStrings(given.slice());
  return new TemplatedFinding(id, severity, { ...subject, ingresses }, data, fidelity);
}

/**
 * Another finding about the subject of `f` (the same object: subjects are never mutated), for
 * findings made in pairs about one host and Ingress (tls.delegation and tls.redirect-code).
 */
export function findingAbout(f: Finding, id: FindingId, severity: Severity, data: FindingData = NO_DATA): Finding {
  return new TemplatedFinding(id, severity, f.subject, data, undefined);
}

/** The same finding about another subject, its message still rendered on demand (a spread would render and keep it). */
export function withSubject(f: Finding, subject: Subject): Finding {
  // A copy stays templated while the message is still its template's.
  if (f instanceof TemplatedFinding) {
    const text = storedMessage(f.id, f.data);
    if (text !== undefined ? f.message === text : Object.getOwnPropertyDescriptor(f, 'message')?.get !== undefined) return new TemplatedFinding(f.id, f.severity, subject, f.data, f.fidelity, text);
  }
  return { ...f, subject };
}

/** Each id's template split once into text (even indexes) and data names (odd indexes). */
const TEMPLATES = new Map<FindingId, string[]>();

function templateParts(id: FindingId): string[] {
  let parts = TEMPLATES.get(id);
  if (parts === undefined) {
    parts = FINDING_META[id].message.split(/\{\{(\w+)\}\}/);
    TEMPLATES.set(id, parts);
  }
  return parts;
}

/**
 * The rendered message when it is a string that exists already (a template without fields, or
 * `{{name}}` alone with a string value), else undefined (rendered on demand).
 */
function storedMessage(id: FindingId, data: FindingData): string | undefined {
  const parts = templateParts(id);
  if (parts.length === 1) return parts[0];
  if (parts.length !== 3 || parts[0] !== '' || parts[2] !== '') return undefined;
  const text = data[parts[1]!];
  return typeof text === 'string' ? text : undefined;
}

export function renderMessage(id: FindingId, data: FindingData): string {
  const parts = templateParts(id);
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const v = data[parts[i] ?? ''];
    if (v !== undefined) out += typeof v === 'object' ? v.join(', ') : String(v);
    out += parts[i + 1] ?? '';
  }
  return out;
}

/** The same finding with more data (e.g. the paths a host-wide note collected), message re-rendered. */
export function withData(f: Finding, data: FindingData): Finding {
  const merged = { ...f.data, ...data };
  if (f instanceof TemplatedFinding) return new TemplatedFinding(f.id, f.severity, f.subject, merged, f.fidelity);
  return { ...f, data: merged, message: renderMessage(f.id, merged) };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

export const severityAtLeast = (s: Severity, min: Severity): boolean => SEVERITY_RANK[s] >= SEVERITY_RANK[min];

export const worseSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b);

/** `Ingress a/b, Ingress c/d` (or the input source) for one-line output. */
export function subjectLabel(s: Subject): string {
  if (s.ingresses.length === 1) return `Ingress ${s.ingresses[0]!}`;
  if (s.ingresses.length > 0) return s.ingresses.map((i) => `Ingress ${i}`).join(', ');
  return s.source ?? '';
}

/**
 * Findings about an annotation, by `annotation ingress` (each Ingress of the subject once), in
 * their order; `keep` leaves some out. Looked up per verdict instead of filtering every finding
 * for every verdict, which is quadratic in a fleet.
 */
export function indexByAnnotation(findings: Iterable<Finding>, keep?: (f: Finding) => boolean): Map<string, Finding[]> {
  const index = new Map<string, Finding[]>();
  // An array (the callers' case) by index: an iterator allocated a result object per finding.
  if (Array.isArray(findings)) {
    const list = findings as readonly Finding[];
    for (let i = 0; i < list.length; i++) indexFinding(index, list[i]!, keep);
  } else for (const f of findings) indexFinding(index, f, keep);
  return index;
}

function indexFinding(index: Map<string, Finding[]>, f: Finding, keep: ((f: Finding) => boolean) | undefined): void {
  const annotation = f.subject.annotation;
  if (!annotation || (keep && !keep(f))) return;
  const ingresses = f.subject.ingresses;
  if (ingresses.length === 1) addToIndex(index, `${annotation} ${ingresses[0]!}`, f);
  else for (const ingress of new Set(ingresses)) addToIndex(index, `${annotation} ${ingress}`, f);
}

function addToIndex(index: Map<string, Finding[]>, key: string, f: Finding): void {
  const list = index.get(key);
  if (list) list.push(f);
  else index.set(key, [f]);
}

/** Stable order for output: subject, then annotation, then id, then message. */
export function sortFindings(findings: Finding[]): Finding[] {
  // Grouped by source, then by the subject's Ingresses: only the distinct group keys are sorted
  // (the default string sort, no comparator calls), and the few findings of a group by the other
  // fields. A one-Ingress subject needs no joined key. 83k findings at 20k Ingresses: one sort
  // over joined keys of every finding cost ≈ 0.2 s. Groups keep the input order and the group
  // sort is stable, so equal findings stay in input order as before. A group is a chain of
  // finding indexes (first, last, next) in typed arrays rather than a list of its own: 20k
  // groups of a few findings each were as many arrays. Indexed loops: iterators allocated a
  // result object per step in this once-run code.
  const count = findings.length;
  const next = new Int32Array(count);
  const first = new Int32Array(count);
  const last = new Int32Array(count);
  let groups = 0;
  const bySource = new Map<string, Map<string, number>>();
  let lastSource: string | undefined;
  let byIngresses: Map<string, number> | undefined;
  // Findings come in runs about one Ingress (its verdicts, most of them): a run joins the group
  // of the one before without a lookup in a map of every Ingress.
  let lastKey: string | undefined;
  let lastGroup = -1;
  for (let i = 0; i < count; i++) {
    const s = findings[i]!.subject;
    const source = s.source ?? '';
    if (source !== lastSource || byIngresses === undefined) {
      byIngresses = bySource.get(source);
      if (byIngresses === undefined) bySource.set(source, (byIngresses = new Map<string, number>()));
      lastSource = source;
      lastKey = undefined;
    }
    const ingresses = s.ingresses.length === 1 ? (s.ingresses[0] as string) : s.ingresses.join(',');
    let group = ingresses === lastKey ? lastGroup : byIngresses.get(ingresses);
    next[i] = -1;
    if (group === undefined) {
      group = groups++;
      byIngresses.set(ingresses, group);
      first[group] = i;
    } else next[last[group]!] = i;
    last[group] = i;
    lastKey = ingresses;
    lastGroup = group;
  }
  const out: Finding[] = new Array<Finding>(count);
  let n = 0;
  const sources = [...bySource.keys()].sort();
  for (let i = 0; i < sources.length; i++) {
    const ids = bySource.get(sources[i]!)!;
    const keys = [...ids.keys()].sort();
    for (let j = 0; j < keys.length; j++) {
      const start = n;
      for (let k = first[ids.get(keys[j]!)!]!; k !== -1; k = next[k]!) out[n++] = findings[k]!;
      if (n - start > 1) sortGroup(out, start, n);
    }
  }
  return out;
}

/**
 * Sorts `list[start..end)` by compareInGroup, stably. Most groups hold a few findings (one
 * Ingress's): sorted by insertion in a loop of its own, which calls the comparator directly;
 * a large group (findings about the run, not an Ingress) by Array.prototype.sort.
 */
function sortGroup(list: Finding[], start: number, end: number): void {
  if (end - start > 32) {
    const sorted = list.slice(start, end).sort(compareInGroup);
    for (let i = 0; i < sorted.length; i++) list[start + i] = sorted[i]!;
    return;
  }
  // compareInGroup with its first two fields compared in the loop: host and annotation decide
  // nearly every comparison, and each call was a real call.
  for (let i = start + 1; i < end; i++) {
    const item = list[i]!;
    const host = item.subject.host ?? '';
    const annotation = item.subject.annotation ?? '';
    let j = i - 1;
    while (j >= start) {
      const before = list[j]!;
      const h = before.subject.host ?? '';
      const a = before.subject.annotation ?? '';
      if (h !== host ? h < host : a !== annotation ? a < annotation : compareIdAndMessage(before, item) <= 0) break;
      list[j + 1] = before;
      j--;
    }
    list[j + 1] = item;
  }
}

/** Host, annotation, id, then the message (rendered only for findings equal in all else). */
function compareInGroup(a: Finding, b: Finding): number {
  const ah = a.subject.host ?? '';
  const bh = b.subject.host ?? '';
  if (ah !== bh) return ah < bh ? -1 : 1;
  const aa = a.subject.annotation ?? '';
  const ba = b.subject.annotation ?? '';
  if (aa !== ba) return aa < ba ? -1 : 1;
  return compareIdAndMessage(a, b);
}

function compareIdAndMessage(a: Finding, b: Finding): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  const x = a.message;
  const y = b.message;
  return x < y ? -1 : x > y ? 1 : 0;
}

// Open defects: where real ingress-nginx and Contour + Envoy (configured by our output) answer
// differently and no finding of the tool names the difference. A traffic request listed here
// runs as `it.fails` (the suite stays green while the defect is open and turns red once it is
// fixed, so the entry gets deleted); a fuzz difference matching `fuzz` is counted as this defect
// instead of failing its case. The fix belongs in the mapping, the emitter or a finding, never
// in this table.
export interface FuzzDifference {
  cls: string;
  method: string;
  path: string;
  nginx: { status: number; backend: string; path?: string; location?: string };
  ours: { status: number; backend: string; path?: string; location?: string };
  /** `path pathType` of every Ingress path of the request's host. */
  hostPaths: string[];
}

export interface OpenDefect {
  /** Scenario id (traffic/scenarios.ts) the request belongs to. */
  scenario: string;
  /** Request or check name within the scenario. */
  request: string;
  /** Ingress + request + nginx's answer + our answer, and where the fix belongs. */
  defect: string;
  /** The same defect as the fuzzer sees it. */
  fuzz?: (d: FuzzDifference) => boolean;
}

export const OPEN_DEFECTS: OpenDefect[] = [
  {
    scenario: 'exact-trailing-slash',
    request: 'GET /docs (301 to /docs/)',
    defect:
      'Ingress path `/docs/` pathType Exact; GET /docs: nginx 301 Location /docs/ (its `location = /docs/` ' +
      'is proxied, so nginx redirects the slash-less URI), ours 404 (or another route), and no finding says so. ' +
      'src/emit/httpproxy.ts adds the exact redirect (or route.trailing-slash-redirect) only for Prefix/dir paths; ' +
      'the Exact kind needs the same.',
    // Ours answers 404, another route, or another route's redirect.
    fuzz: (d) =>
      (d.cls === 'redirect-vs-answer' || d.cls === 'redirect-location') &&
      d.nginx.status === 301 &&
      d.nginx.location !== undefined &&
      d.hostPaths.includes(`${new URL(d.nginx.location).pathname} Exact`) &&
      `${d.path.split('?')[0] ?? ''}/` === new URL(d.nginx.location).pathname,
  },
  {
    scenario: 'tls-cross-namespace',
    request: 'http GET /zzz (no route) redirected',
    defect:
      "A path no Ingress of the host routes is served by nginx's default `/` location of that host, which carries the " +
      "annotations of the host's oldest Ingress (controller.go: locationApplyAnnotations on the root location): its " +
      'ssl-redirect (TLS host) or permanent-redirect apply. Ingress with tls for multi-tls.traffic.test, paths /b and /c; ' +
      'GET http://multi-tls.traffic.test/zzz: nginx 308 to https://multi-tls.traffic.test/zzz (then 404 on HTTPS), ours 404 ' +
      'on HTTP. Fuzz: permanent-redirect on `/a/b/` ImplementationSpecific, GET /a/bx or /A/B: nginx 301 to the target, ' +
      'ours 404. No finding says it (tls.redirect-code in src/plan/plan.ts, or a host-level finding in src/model/hosts.ts).',
    fuzz: (d) => d.cls === 'redirect-vs-answer' && d.ours.status === 404 && d.nginx.status >= 300 && d.nginx.status < 400 && !routed(d.path, d.hostPaths),
  },
];

/**
 * Whether an Ingress path of the host matches the request path the way nginx does: in regex mode
 * (any path with a regex character) every path is a case-insensitive regex anchored at the start;
 * otherwise Exact is equality and Prefix/ImplementationSpecific match by segment.
 */
function routed(requestPath: string, hostPaths: string[]): boolean {
  const path = requestPath.split('?')[0] ?? requestPath;
  const paths = hostPaths.map((hp) => {
    const [p = '', type = ''] = hp.split(' ');
    return { p, type };
  });
  if (paths.some(({ p }) => /[[\](){}*+?|^$\\]/.test(p))) {
    return paths.some(({ p }) => {
      try {
        return new RegExp(`^${p}`, 'i').test(path);
      } catch {
        return true;
      }
    });
  }
  return paths.some(({ p, type }) => {
    if (type === 'Exact') return path === p;
    const base = p.replace(/\/+$/, '');
    return base === '' || path === base || path.startsWith(`${base}/`);
  });
}

export function openDefect(scenario: string, request: string): OpenDefect | undefined {
  return OPEN_DEFECTS.find((d) => d.scenario === scenario && d.request === request);
}

/** The open defect a fuzz difference is an instance of, if any. */
export function fuzzDefect(d: FuzzDifference): OpenDefect | undefined {
  return OPEN_DEFECTS.find((x) => x.fuzz?.(d));
}

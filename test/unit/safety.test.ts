// Safe by default: a route whose source had an access control the output cannot keep is
// never published open. Each row is an Ingress with one access control; for each target and
// Contour version the protected path must either keep the control, answer 403 in place, or
// have its host left out; never reach the backend without it.
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/map/catalogue.js';
import { runCli } from '../support/run-cli.js';
import { convertYaml, type Result } from '../support/convert.js';

type Obj = Record<string, unknown>;

function ingress(annotations: Record<string, string>, opts: { tls?: boolean; host?: string } = {}): string {
  const host = opts.host ?? 'admin.example.com';
  const ann = Object.entries(annotations)
    .map(([k, v]) => `    nginx.ingress.kubernetes.io/${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin
  namespace: ops
  creationTimestamp: "2024-01-01T00:00:00Z"
  annotations:
${ann}
spec:
  ingressClassName: nginx
${opts.tls ? `  tls:\n  - hosts: [${host}]\n    secretName: admin-cert\n` : ''}  rules:
  - host: ${host}
    http:
      paths:
      - {path: /admin, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: public
  namespace: ops
  creationTimestamp: "2024-01-02T00:00:00Z"
spec:
  ingressClassName: nginx
  rules:
  - host: ${host}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: public, port: {number: 80}}}}
`;
}

/** Routes (HTTPProxy or IngressRoute) that send requests to the protected `admin` Service. */
function adminRoutes(r: Result): Obj[] {
  return r.objects.flatMap((o) => ((o.spec.routes as Obj[] | undefined) ?? []).filter((route) => ((route.services as Obj[] | undefined) ?? []).some((s) => s.name === 'admin')));
}

const securityIds = (r: Result): string[] => r.findings.filter((f) => f.id.startsWith('security.')).map((f) => f.id);

// Access controls the output cannot keep, with the target/version and TLS that make it so.
// hostWide: nginx enforces it for the whole server (catalogue scope host), so every path of the host is denied.
const LOST: { name: string; annotations: Record<string, string>; target: 'httpproxy' | 'ingressroute'; version?: string; tls?: boolean; options?: Obj; hostWide?: boolean }[] = [
  { name: 'basic auth, HTTPProxy', annotations: { 'auth-type': 'basic', 'auth-secret': 'users' }, target: 'httpproxy' },
  { name: 'digest auth, IngressRoute', annotations: { 'auth-type': 'digest', 'auth-secret': 'users' }, target: 'ingressroute' },
  { name: 'auth-url without --auth-extension', annotations: { 'auth-url': 'https://auth.example/check' }, target: 'httpproxy', tls: true },
  {
    name: 'auth-url with an extension on a host without TLS',
    annotations: { 'auth-url': 'https://auth.example/check' },
    target: 'httpproxy',
    options: { authExtension: { namespace: 'auth', name: 'ext' } },
  },
  {
    name: 'auth-url on Contour 1.8',
    annotations: { 'auth-url': 'https://auth.example/check' },
    target: 'httpproxy',
    version: '1.8',
    tls: true,
    options: { authExtension: { namespace: 'auth', name: 'ext' } },
  },
  { name: 'client certificates on a host without TLS', annotations: { 'auth-tls-secret': 'ops/ca' }, target: 'httpproxy', hostWide: true },
  { name: 'client certificates, optional, on Contour 1.20', annotations: { 'auth-tls-secret': 'ops/ca', 'auth-tls-verify-client': 'optional' }, target: 'httpproxy', version: '1.20', tls: true },
  { name: 'client certificate CN match', annotations: { 'auth-tls-secret': 'ops/ca', 'auth-tls-match-cn': 'CN=admin' }, target: 'httpproxy', tls: true },
  { name: 'allow list on IngressRoute', annotations: { 'whitelist-source-range': '10.0.0.0/8' }, target: 'ingressroute' },
  { name: 'deny list on Contour 1.24', annotations: { 'denylist-source-range': '10.0.0.0/8' }, target: 'httpproxy', version: '1.24' },
  { name: 'ModSecurity', annotations: { 'enable-modsecurity': 'true' }, target: 'httpproxy' },
  { name: 'OWASP rules (Go bool "1")', annotations: { 'enable-owasp-core-rules': '1' }, target: 'httpproxy' },
];

// Controls that are kept, or that nginx did not enforce either: no security finding.
const KEPT: { name: string; annotations: Record<string, string>; target: 'httpproxy' | 'ingressroute'; tls?: boolean; options?: Obj }[] = [
  { name: 'allow list on HTTPProxy 1.33', annotations: { 'allowlist-source-range': '10.0.0.0/8' }, target: 'httpproxy' },
  {
    name: 'auth-url with an extension on a TLS host',
    annotations: { 'auth-url': 'https://auth.example/check' },
    target: 'httpproxy',
    tls: true,
    options: { authExtension: { namespace: 'auth', name: 'ext' } },
  },
  { name: 'client certificates on a TLS host', annotations: { 'auth-tls-secret': 'ops/ca' }, target: 'httpproxy', tls: true },
  { name: 'client certificates with verify off (nginx asks for none)', annotations: { 'auth-tls-secret': 'ops/ca', 'auth-tls-verify-client': 'off' }, target: 'ingressroute' },
  { name: 'ModSecurity off', annotations: { 'enable-modsecurity': 'false' }, target: 'httpproxy' },
  { name: 'ModSecurity with an invalid bool (nginx keeps it off)', annotations: { 'enable-modsecurity': 'maybe' }, target: 'ingressroute' },
];

describe('an access control that cannot be kept is never published open', () => {
  for (const row of LOST) {
    it(row.name, () => {
      const r = convertYaml(ingress(row.annotations, { tls: row.tls }), { target: row.target, ...(row.version ? { contourVersion: row.version } : {}), ...row.options });
      expect(adminRoutes(r)).toEqual([]);
      const ids = securityIds(r);
      expect(ids.length).toBeGreaterThan(0);
      if (row.target === 'httpproxy' && (row.version === undefined || Number(row.version.split('.')[1]) >= 22)) {
        // Denied in place: the path answers 403, and the other Ingress's `/` still works.
        expect(ids).toContain('security.route-denied');
        const denied = r.objects.flatMap((o) => (o.spec.routes as Obj[] | undefined) ?? []).filter((route) => (route.directResponsePolicy as Obj | undefined)?.statusCode === 403);
        expect(denied.length).toBeGreaterThan(0);
        const publicServed = r.objects.flatMap((o) => (o.spec.routes as Obj[] | undefined) ?? []).some((route) => ((route.services as Obj[] | undefined) ?? []).some((s) => s.name === 'public'));
        expect(publicServed).toBe(!row.hostWide);
      } else {
        expect(ids).toContain('security.host-withheld');
        expect(r.objects.filter((o) => (o.spec.virtualhost as Obj | undefined)?.fqdn === 'admin.example.com')).toEqual([]);
      }
      // The verdict of the annotation says the control is lost, with the finding that decided it.
      const lostKeys = r.findings.filter((f) => f.id.startsWith('security.')).map((f) => f.subject.annotation);
      for (const key of lostKeys) {
        const verdict = r.mapped[0]?.verdicts.find((v) => `nginx.ingress.kubernetes.io/${v.key}` === key);
        expect(verdict).toMatchObject({ fidelity: 'unsupported', severity: 'error' });
      }
    });
  }
  for (const row of KEPT) {
    it(`${row.name}: no security finding`, () => {
      const r = convertYaml(ingress(row.annotations, { tls: row.tls }), { target: row.target, ...row.options });
      expect(securityIds(r)).toEqual([]);
      expect(adminRoutes(r).length).toBeGreaterThan(0);
    });
  }

  it('--publish-unprotected publishes on request, and says so', () => {
    const text = ingress({ 'auth-type': 'basic', 'auth-secret': 'users' });
    const r = convertYaml(text, { publishUnprotected: ['ops/admin'] });
    expect(adminRoutes(r).length).toBeGreaterThan(0);
    expect(r.findings.filter((f) => f.id === 'security.published-unprotected')).toMatchObject([
      { severity: 'error', subject: { ingresses: ['ops/admin'], host: 'admin.example.com' }, data: { routes: 1 } },
    ]);
    // Naming another Ingress does not publish this one.
    expect(adminRoutes(convertYaml(text, { publishUnprotected: ['ops/public'] }))).toEqual([]);
  });

  it('every access-control key of the catalogue is covered by a row above', () => {
    const covered = new Set([...LOST, ...KEPT].flatMap((row) => Object.keys(row.annotations)));
    const keys = loadCatalogue()
      .entries()
      .filter((e) => e.accessControl)
      .map((e) => e.aliasOf ?? e.key);
    for (const key of keys)
      expect(
        [...covered].some((c) => c === key || loadCatalogue().spellings(key).includes(c)),
        key,
      ).toBe(true);
  });
});

describe('exit code 6 and the summary line', () => {
  const text = ingress({ 'enable-modsecurity': 'true' });
  it('convert: exit 6, one security line, output written', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], text);
    expect(r.code).toBe(6);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('security:'))).toHaveLength(1);
    expect(r.stdout).toContain('statusCode: 403');
  });
  it('convert --publish-unprotected: still exit 6 (the exit code says a control was dropped)', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--publish-unprotected', 'all'], text);
    expect(r.code).toBe(6);
    expect(r.stdout).not.toContain('statusCode: 403');
    expect(r.stderr).toMatch(/^security: .*PUBLISHED WITHOUT PROTECTION/m);
  });
  it('a bad --publish-unprotected value is a usage error', async () => {
    expect((await runCli(['convert', '-f', '-', '--publish-unprotected', 'nope'], text)).code).toBe(2);
  });
  it('report shows the reason with the verdict, in every format', async () => {
    const json = JSON.parse((await runCli(['report', '-f', '-', '--target', 'httpproxy', '-o', 'json'], text)).stdout) as {
      totals: { security: { routesDenied: number } };
      ingresses: { ingress: string; findings: { id: string }[] }[];
    };
    expect(json.totals.security.routesDenied).toBe(1);
    expect(json.ingresses.find((i) => i.ingress === 'ops/admin')?.findings.map((f) => f.id)).toContain('security.route-denied');
    for (const format of ['text', 'markdown']) {
      expect((await runCli(['report', '-f', '-', '--target', 'httpproxy', '-o', format], text)).stdout).toContain('security.route-denied');
    }
  });
});

describe("nginx's implicit / location", () => {
  const tlsHost = ingress({}, { tls: true });
  const rootRoutes = (r: ReturnType<typeof convertYaml>): Obj[] => r.objects.filter((o) => o.spec.virtualhost !== undefined).flatMap((o) => (o.spec.routes as Obj[] | undefined) ?? []);
  it('is a root 404 route where the target can answer a fixed status (Contour redirects it to HTTPS first)', () => {
    const r = convertYaml(ingress({}, { tls: true, host: 'only.example.com' }).split('---')[0]!);
    expect(rootRoutes(r)).toContainEqual({ conditions: [{ prefix: '/' }], directResponsePolicy: { statusCode: 404 } });
    expect(r.findings.map((f) => f.id)).not.toContain('route.implicit-root');
  });
  it('is named where the target cannot (IngressRoute, Contour < 1.22)', () => {
    for (const o of [{ target: 'ingressroute' as const }, { target: 'httpproxy' as const, contourVersion: '1.20' }]) {
      const r = convertYaml(tlsHost.split('---')[0]!, o);
      expect(r.findings.filter((f) => f.id === 'route.implicit-root')).toMatchObject([{ severity: 'warn', subject: { host: 'admin.example.com' } }]);
    }
  });
});

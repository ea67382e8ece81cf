// Annotations outside the nginx prefix, through the whole pipeline: every one gets a verdict line
// naming its Ingress, cert-manager annotations become Certificates, external-dns annotations go to
// the root HTTPProxy of each host.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verdictAnnotation } from '../../src/map/engine.js';
import { convertYaml } from '../support/convert.js';

function ing(name: string, annotations: Record<string, string>, extra = ''): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: web
  creationTimestamp: "2024-01-0${name.length}T00:00:00Z"
  annotations:
${ann || '    {}'}
spec:
  ingressClassName: nginx
${extra}  rules:
  - host: ${name}.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}
`;
}

const MIXED = {
  'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
  'cert-manager.io/cluster-issuer': 'le',
  'external-dns.alpha.kubernetes.io/ttl': '60',
  'kubectl.kubernetes.io/last-applied-configuration': '{}',
  'argocd.argoproj.io/tracking-id': 'app:networking.k8s.io/Ingress:web/a',
  'example.com/owner': 'team-a',
  'vendor.io/waf-policy': 'strict',
  'kubernetes.io/ingress.class': 'nginx',
};
const TLS = '  tls:\n  - {hosts: [a.example.com], secretName: a-tls}\n';

describe('no annotation is invisible', () => {
  for (const target of ['httpproxy', 'ingressroute'] as const) {
    it(`${target}: every annotation of a selected Ingress has exactly one verdict line`, () => {
      const r = convertYaml(ing('a', MIXED, TLS), { target });
      const m = r.mapped[0]!;
      const lines = [...m.verdicts, ...(m.ecosystem ?? [])].map((v) => verdictAnnotation(v, 'nginx.ingress.kubernetes.io'));
      expect(lines.sort()).toEqual(Object.keys(MIXED).sort());
      const byKey = new Map([...m.verdicts, ...(m.ecosystem ?? [])].map((v) => [verdictAnnotation(v, 'nginx.ingress.kubernetes.io'), v]));
      expect(byKey.get('kubectl.kubernetes.io/last-applied-configuration')).toMatchObject({ fidelity: 'not-carried', severity: 'info', tool: 'kubectl' });
      expect(byKey.get('example.com/owner')).toMatchObject({ fidelity: 'not-carried', severity: 'warn', findingId: 'annotation.foreign' });
      expect(byKey.get('kubernetes.io/ingress.class')).toMatchObject({ fidelity: 'exact' });
      // One list finding per Ingress, info for housekeeping keys, warn for unknown ones.
      const lists = r.findings.filter((f) => f.id === 'annotation.bookkeeping' || f.id === 'annotation.foreign');
      expect(lists.map((f) => [f.id, f.severity, f.subject.ingresses, f.data.keys])).toEqual([
        ['annotation.bookkeeping', 'info', ['web/a'], ['argocd.argoproj.io/tracking-id', 'kubectl.kubernetes.io/last-applied-configuration']],
        ['annotation.foreign', 'warn', ['web/a'], ['example.com/owner', 'vendor.io/waf-policy']],
      ]);
      // Certificates do not depend on the target.
      expect(r.objects.filter((o) => o.kind === 'Certificate').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['web/a-tls']);
    });
  }

  it('under a custom --annotation-prefix, keys of the default prefix are not nginx keys any more', () => {
    const r = convertYaml(ing('a', { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false', 'custom.io/ssl-redirect': 'false' }), { annotationPrefix: 'custom.io' });
    const m = r.mapped[0]!;
    expect(m.verdicts.map((v) => v.key)).toEqual(['ssl-redirect']);
    expect(m.ecosystem?.map((v) => [v.key, v.findingId])).toEqual([['nginx.ingress.kubernetes.io/ssl-redirect', 'annotation.foreign']]);
  });
});

describe('external-dns across Ingresses of a host', () => {
  const shared = (name: string, ttl: string): string =>
    ing(name, { 'external-dns.alpha.kubernetes.io/ttl': ttl }).replace(`host: ${name}.example.com`, 'host: shared.example.com').replace('path: /', `path: /${name}`);

  it('the root carries the oldest Ingress’s value; a different value is a conflict; one finding lists the hosts', () => {
    const r = convertYaml(`${shared('bb', '300')}---\n${shared('a', '60')}`);
    const root = r.objects.find((o) => (o.spec.virtualhost as { fqdn?: string } | undefined)?.fqdn === 'shared.example.com');
    expect(root?.metadata.annotations?.['external-dns.alpha.kubernetes.io/ttl']).toBe('60');
    const conflict = r.findings.find((f) => f.id === 'externaldns.conflict');
    expect(conflict).toMatchObject({
      severity: 'warn',
      subject: { host: 'shared.example.com', annotation: 'external-dns.alpha.kubernetes.io/ttl', ingresses: ['web/a', 'web/bb'] },
      data: { winner: 'web/a' },
    });
    expect(r.findings.filter((f) => f.id === 'externaldns.source').map((f) => f.data.hosts)).toEqual([['shared.example.com']]);
    // the conflict downgrades both verdicts, with the conflict as the reason
    for (const m of r.mapped) expect(m.ecosystem?.[0]).toMatchObject({ fidelity: 'approximate', causes: ['externaldns.conflict'] });
  });

  it('IngressRoute: nothing carried, one warning that DNS records will not follow', () => {
    const r = convertYaml(shared('a', '60'), { target: 'ingressroute' });
    expect(r.objects.some((o) => Object.keys(o.metadata.annotations ?? {}).some((k) => k.startsWith('external-dns')))).toBe(false);
    expect(r.findings.filter((f) => f.id === 'externaldns.no-source').map((f) => [f.severity, f.data.hosts])).toEqual([['warn', ['shared.example.com']]]);
  });
});

describe('cert-manager across Ingresses', () => {
  it('two Ingresses sharing a secret with different issuers: one Certificate (oldest), a conflict finding', () => {
    const a = ing('a', { 'cert-manager.io/cluster-issuer': 'le' }, TLS);
    const b = ing('bb', { 'cert-manager.io/issuer': 'internal' }, TLS);
    const r = convertYaml(`${b}---\n${a}`);
    const certs = r.objects.filter((o) => o.kind === 'Certificate');
    expect(certs).toHaveLength(1);
    expect(certs[0]?.spec.issuerRef).toEqual({ name: 'le', kind: 'ClusterIssuer' });
    expect(r.findings.find((f) => f.id === 'certmanager.conflict')).toMatchObject({ severity: 'warn', data: { secret: 'web/a-tls', winner: 'web/a', fields: ['issuers'] } });
  });

  it('the same request from two Ingresses is one Certificate without a conflict', () => {
    const a = ing('a', { 'cert-manager.io/cluster-issuer': 'le' }, TLS);
    const b = ing('bb', { 'cert-manager.io/cluster-issuer': 'le' }, TLS);
    const r = convertYaml(`${a}---\n${b}`);
    expect(r.objects.filter((o) => o.kind === 'Certificate').map((o) => o.metadata.annotations?.['ingress2contour/sources'])).toEqual(['web/a,web/bb']);
    expect(r.findings.some((f) => f.id === 'certmanager.conflict')).toBe(false);
  });
});

describe('docs/ecosystem.md', () => {
  it('is generated from mappings/ecosystem (run `npm run docs` when this fails)', () => {
    const check = spawnSync(process.execPath, ['scripts/gen-ecosystem-doc.mjs', '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const text = spawnSync(process.execPath, ['scripts/gen-ecosystem-doc.mjs'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('`cert-manager.io/cluster-issuer`');
    expect(readFileSync('docs/ecosystem.md', 'utf8')).toBe(text);
  });
});

describe('hostile values of other tools’ annotations', () => {
  it('stay one bounded line in every finding, and no Certificate carries them', () => {
    const huge = `x\n${'y'.repeat(5000)}`;
    const r = convertYaml(ing('a', { 'cert-manager.io/cluster-issuer': 'le', 'cert-manager.io/usages': huge, 'example.com/x': huge, 'external-dns.alpha.kubernetes.io/ttl': huge }, TLS));
    for (const f of r.findings) {
      expect(f.message).not.toMatch(/[\r\n]/);
      expect(f.message.length, f.id).toBeLessThan(2000);
    }
    expect(r.objects.filter((o) => o.kind === 'Certificate')).toEqual([]);
    expect(r.mapped[0]?.ecosystem?.find((v) => v.key === 'cert-manager.io/usages')?.fidelity).toBe('invalid');
  });
});

describe('--cert-manager-default-issuer', () => {
  const acme = ing('a', { 'kubernetes.io/tls-acme': 'true' }, TLS);

  it('without it, tls-acme gets no Certificate and a warning naming the flag; with it, the Certificate uses that issuer', async () => {
    const { runCli } = await import('../support/run-cli.js');
    const without = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], acme);
    expect(without.code).toBe(0);
    expect(without.stdout).not.toContain('kind: Certificate');
    expect(without.stderr).toMatch(/kubernetes\.io\/tls-acme: .*--cert-manager-default-issuer .*\[certmanager\.default-issuer\]/);
    const given = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '-o', 'json', '--cert-manager-default-issuer', 'AWSPCAClusterIssuer.awspca.cert-manager.io/pca'], acme);
    expect(given.code).toBe(0);
    const items = (JSON.parse(given.stdout) as { items: { kind: string; spec: Record<string, unknown> }[] }).items;
    expect(items.find((o) => o.kind === 'Certificate')?.spec.issuerRef).toEqual({ name: 'pca', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' });
  });

  it('a malformed value is one line and a usage exit code', async () => {
    const { runCli } = await import('../support/run-cli.js');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--cert-manager-default-issuer', 'letsencrypt'], acme);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--cert-manager-default-issuer "letsencrypt" is not Kind/name');
  });
});

describe('the report shows other tools’ annotations by their full key', () => {
  it('text, Markdown and JSON agree, with the owning tool and not-carried totals', async () => {
    const { runCli } = await import('../support/run-cli.js');
    const input = ing('a', MIXED, TLS);
    const args = ['report', '-f', '-', '--target', 'httpproxy'];
    const json = JSON.parse((await runCli([...args, '-o', 'json'], input)).stdout) as {
      totals: { verdicts: Record<string, number> };
      ingresses: { annotations: { annotation: string; verdict: string; tool?: string; foreign?: boolean }[] }[];
    };
    const lines = json.ingresses[0]!.annotations;
    expect(lines.map((l) => l.annotation).sort()).toEqual(Object.keys(MIXED).sort());
    expect(lines.find((l) => l.annotation === 'argocd.argoproj.io/tracking-id')).toMatchObject({ verdict: 'not-carried', tool: 'Argo CD', foreign: true });
    expect(lines.find((l) => l.annotation === 'nginx.ingress.kubernetes.io/ssl-redirect')?.foreign).toBeUndefined();
    expect(json.totals.verdicts['not-carried']).toBe(4);
    const text = (await runCli([...args, '-o', 'text'], input)).stdout;
    expect(text).toContain('not-carried example.com/owner="team-a": not carried');
    expect(text).toContain('not-carried 4');
    const markdown = (await runCli([...args, '-o', 'markdown'], input)).stdout;
    expect(markdown).toContain('| `example.com/owner` | `team-a` | not-carried |');
    expect(markdown).toContain('| `ssl-redirect` | `false` |');
  });
});

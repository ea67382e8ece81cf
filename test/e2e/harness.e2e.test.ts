// Smoke test of the e2e harness itself: apiserver, CRDs, schema validation and RBAC.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { kubectl, kubectlOk } from './harness/kubectl.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin };

function dryRunApply(fixture: string): ReturnType<typeof kubectl> {
  return kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=ingress2contour-e2e', '-f', path.join(fixtures, fixture)], k);
}

describe('e2e harness', () => {
  beforeAll(async () => {
    await kubectlOk(['apply', '--server-side', '--field-manager=ingress2contour-e2e', '-f', path.join(fixtures, 'rbac.yaml')], k);
  });

  it('serves the API with the pinned version', async () => {
    expect(await kubectlOk(['get', '--raw', '/readyz'], k)).toBe('ok');
    const version = JSON.parse(await kubectlOk(['get', '--raw', '/version'], k)) as { gitVersion: string };
    if (harness.kubeVersion) expect(version.gitVersion).toBe(harness.kubeVersion);
  });

  it('serves the five Contour CRDs', async () => {
    const served = await Promise.all(['projectcontour.io', 'contour.heptio.com'].map((group) => kubectlOk(['api-resources', `--api-group=${group}`, '-o', 'name'], k)));
    expect(served.join('').split('\n').filter(Boolean).sort()).toEqual(expect.arrayContaining([...harness.crds].sort()));
    expect(harness.crds).toHaveLength(5);
  });

  it.each([
    ['HTTPProxy root + child', 'httpproxy-root-child.yaml', 2],
    ['IngressRoute root + child', 'ingressroute-root-child.yaml', 2],
    ['TLSCertificateDelegation in both groups', 'tls-certificate-delegations.yaml', 2],
  ])('accepts %s in a server-side dry-run', async (_name, fixture, count) => {
    const res = await dryRunApply(fixture);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.match(/serverside-applied \(server dry run\)/g)).toHaveLength(count);
  });

  it('rejects an HTTPProxy that violates the schema', async () => {
    const res = await dryRunApply('httpproxy-invalid.yaml');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/spec\.virtualhost\.fqdn.*should match/);
    expect(res.stderr).toMatch(/spec\.routes\[0\]\.services\[0\]\.port: Invalid value: 70000/);
  });

  it('applies RBAC to the restricted users', async () => {
    const asReader = { ...k, context: harness.contexts.reader };
    await kubectlOk(['get', 'ingresses', '-n', 'team-a'], asReader);

    const denied = await kubectl(['get', 'ingresses', '-n', 'team-b'], asReader);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Forbidden.*User "reader" cannot list resource "ingresses".*namespace "team-b"/);

    const nobody = await kubectl(['get', 'ingresses', '-n', 'team-a'], { ...k, context: harness.contexts.nobody });
    expect(nobody.stderr).toMatch(/Forbidden.*User "nobody"/);
  });
});

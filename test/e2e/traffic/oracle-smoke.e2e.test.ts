// Smoke test of the ingress-nginx oracle alone: real ingress-nginx answers host routing, the 404
// default server, Exact vs Prefix, and a ConfigMap change, against the echo backends in the netns.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingressNginxMissing, startIngressNginx, type IngressNginx } from '../harness/ingress-nginx.js';
import { startBackends, type Backends } from '../harness/netns.js';
import { apply, remove, serviceObjects, type Obj } from './apply.js';
import { send, type Target } from './client.js';
import { ingressObject } from './model.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const log = (m: string): void => {
  process.stderr.write(`[oracle-smoke] ${m}\n`);
};
const missing = harness.external ? ['an external cluster'] : ingressNginxMissing();
if (missing.length > 0) log(`skipped: ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)('ingress-nginx oracle: a real controller answers', () => {
  let nginx: IngressNginx | undefined;
  let backends: Backends | undefined;
  const objects: Obj[] = [];
  let target: Target;
  const host = 'smoke.oracle.test';

  beforeAll(async () => {
    backends = await startBackends(
      [
        { name: 'or-smoke/exact', proto: 'http', instances: 1 },
        { name: 'or-smoke/prefix', proto: 'http', instances: 1 },
        { name: 'or-smoke/other', proto: 'http', instances: 2 },
      ],
      { log },
    );
    nginx = await startIngressNginx({ kubeconfig, log });
    target = { httpPort: nginx.httpPort, httpsPort: nginx.httpsPort, ca: '', timeoutMs: 10_000 };
    await apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'or-smoke' } }], k);
    for (const svc of ['exact', 'prefix', 'other']) {
      objects.push(...serviceObjects({ namespace: 'or-smoke', name: svc, port: 80 }, backends, `or-smoke/${svc}`));
    }
    objects.push(
      ingressObject({
        ns: 'or-smoke',
        name: 'paths',
        host,
        paths: [
          ['/foo', 'Exact', 'exact'],
          ['/foo', 'Prefix', 'prefix'],
        ],
      }) as Obj,
      ingressObject({ ns: 'or-smoke', name: 'other', host: 'other.oracle.test', paths: [['/', 'Prefix', 'other']] }) as Obj,
    );
    await apply(objects, k);
    await nginx.waitForSync();
  });

  afterAll(async () => {
    await remove(objects, k).catch(() => undefined);
    await nginx?.stop();
    await backends?.stop();
  });

  const get = async (h: string, p: string): Promise<{ status: number; backend: string; path?: string }> => {
    const res = await send(target, { host: h, path: p, fresh: true });
    return { status: res.status, backend: res.echo?.name ?? '(proxy)', ...(res.echo ? { path: res.echo.url } : {}) };
  };

  it('routes by host, Exact before Prefix, Prefix on segment boundaries', async () => {
    expect(await get(host, '/foo')).toEqual({ status: 200, backend: 'or-smoke/exact', path: '/foo' });
    expect(await get(host, '/foo/')).toEqual({ status: 200, backend: 'or-smoke/prefix', path: '/foo/' });
    expect(await get(host, '/foo/bar?x=1')).toEqual({ status: 200, backend: 'or-smoke/prefix', path: '/foo/bar?x=1' });
    expect(await get(host, '/foobar')).toEqual({ status: 404, backend: '(proxy)' });
    expect(await get('other.oracle.test', '/anything')).toEqual({ status: 200, backend: 'or-smoke/other', path: '/anything' });
  });

  it('answers 404 from the default server for an unknown host', async () => {
    expect(await get('unknown.oracle.test', '/')).toEqual({ status: 404, backend: '(proxy)' });
  });

  it('applies ConfigMap changes (add-headers on, then back to the defaults)', async () => {
    if (!nginx) throw new Error('not started');
    const before = await send(target, { host, path: '/foo', fresh: true });
    expect(String(before.headers['x-oracle-smoke'] ?? '')).toBe('');
    await apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'oracle-smoke-headers', namespace: 'or-smoke' }, data: { 'X-Oracle-Smoke': 'on' } }], k);
    await nginx.setConfig({ 'add-headers': 'or-smoke/oracle-smoke-headers' });
    const after = await send(target, { host, path: '/foo', fresh: true });
    expect(after.headers['x-oracle-smoke']).toBe('on');
    await nginx.setConfig({});
    const reset = await send(target, { host, path: '/foo', fresh: true });
    expect(reset.headers['x-oracle-smoke']).toBeUndefined();
  });
});

// Contour's configuration through the real apiserver and the real Contour: every emitted
// ContourConfiguration (the golden settings cases) validates against the published CRD schema
// (installed from the Contour Go module), and Contour started with --contour-config-name on one
// that sets everything runs, serves, and programs Envoy with the emitted values.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emitContourConfiguration, type ContourConfigOptions } from '../../src/emit/contour-configuration.js';
import { parseContourVersion } from '../../src/model/contour.js';
import { NGINX_SETTINGS_DEFAULT, type NginxSettings } from '../../src/model/controller.js';
import { convertYaml } from '../support/convert.js';
import { startContourEnvoy, type ContourEnvoy } from './harness/contour.js';
import { installContourConfigurationCrd } from './harness/crds.js';
import { kubectl } from './harness/kubectl.js';
import { apply, makePki, remove, waitValid, type Obj, type Pki } from './traffic/apply.js';
import { send } from './traffic/client.js';
import { cli, ensureNamespaces, ingressYaml, summaryRow } from './support/cli.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const NAMESPACE = 'cc-contour';
const GOLDEN = path.resolve('test/golden/contour-config');
const log = (m: string): void => {
  process.stderr.write(`[contour-config] ${m}\n`);
};

interface Case {
  settings: Partial<NginxSettings>;
  options?: Omit<Partial<ContourConfigOptions>, 'contourVersion'> & { contourVersion?: string };
}

function goldenObjects(): { name: string; object: Obj }[] {
  const out: { name: string; object: Obj }[] = [];
  for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.json'))) {
    const c = JSON.parse(readFileSync(path.join(GOLDEN, file), 'utf8')) as Case;
    const { contourVersion, ...rest } = c.options ?? {};
    const r = emitContourConfiguration(
      { ...NGINX_SETTINGS_DEFAULT, ...c.settings },
      { defaults: 'route', ...rest, ref: { namespace: NAMESPACE, name: file.replace(/\.json$/, '') }, contourVersion: parseContourVersion(contourVersion ?? '1.33')! },
    );
    if (r.object) out.push({ name: file, object: r.object as unknown as Obj });
  }
  // And the one the conversion itself emits with --defaults cluster.
  const converted = convertYaml('', { target: 'httpproxy', defaults: 'cluster', contourConfigRef: { namespace: NAMESPACE, name: 'from-convert' } });
  if (converted.contourConfiguration?.object) out.push({ name: 'convert --defaults cluster', object: converted.contourConfiguration.object as unknown as Obj });
  return out;
}

describe.skipIf(harness.external)('ContourConfiguration against the real apiserver and Contour', () => {
  let proxy: ContourEnvoy | undefined;
  let pki: Pki | undefined;
  const cleanup: Obj[] = [];

  beforeAll(async () => {
    await installContourConfigurationCrd(kubeconfig, { cacheDir: harness.kubectlCacheDir });
    await apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }], k);
    // globalExtAuth names an ExtensionService; Contour refuses to start when it does not exist.
    const ext: Obj[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'auth' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'oauth2-ext', namespace: 'auth' }, spec: { ports: [{ name: 'grpc', port: 9001, protocol: 'TCP' }] } },
      {
        apiVersion: 'projectcontour.io/v1alpha1',
        kind: 'ExtensionService',
        metadata: { name: 'oauth2-ext', namespace: 'auth' },
        spec: { protocol: 'h2c', services: [{ name: 'oauth2-ext', port: 9001 }] },
      },
    ];
    await apply(ext, k);
    cleanup.push(ext[2]!, ext[1]!);
  }, 180_000);

  afterAll(async () => {
    await remove(cleanup, k).catch(() => {});
    await proxy?.stop();
    pki?.remove();
  });

  const objects = goldenObjects();
  it('there are emitted objects to check', () => expect(objects.length).toBeGreaterThanOrEqual(9));

  for (const { name, object } of objects) {
    it(`${name}: accepted by the published CRD schema (server-side dry-run, strict field validation)`, async () => {
      await apply([object], k, true);
    });
  }

  // Contour validates the spec (cipher names, access log operators, TLS versions) only when it
  // loads it: each emitted configuration must let it start and push listeners to Envoy.
  for (const { name, object } of objects) {
    it(`${name}: the real Contour starts from it (--contour-config-name) and Envoy gets ready`, async () => {
      await apply([object], k);
      cleanup.push(object);
      const started = await startContourEnvoy({ kubeconfig, log: () => {}, contourConfiguration: { object: object as unknown as Record<string, unknown>, cacheDir: harness.kubectlCacheDir } });
      try {
        started.assertAlive();
        expect(await started.admin('/ready')).toMatch(/LIVE/);
      } finally {
        await started.stop();
      }
    }, 120_000);
  }

  it('the schema check is not vacuous: an unknown field is refused', async () => {
    const bad = structuredClone(objects[0]!.object);
    (bad.spec as Record<string, unknown>).envoy = { timeouts: { streamIdleTimeot: '60s' } };
    const res = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=ingress2contour-e2e', '-f', '-'], { ...k, input: JSON.stringify(bad) });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/streamIdleTimeot/);
  });

  it('Contour started with --contour-config-name on an emitted configuration runs, serves, and programs Envoy with its values', async () => {
    pki = makePki();
    const settings: NginxSettings = {
      ...NGINX_SETTINGS_DEFAULT,
      useForwardedHeaders: true,
      proxyReadTimeout: 300,
      proxySendTimeout: 120,
      proxyConnectTimeout: 3,
      sslProtocols: ['TLSv1.2'],
      sslCiphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:HIGH',
      defaultSslCertificate: { namespace: NAMESPACE, name: 'fallback' },
      logFormatEscapeJson: true,
      logFormatUpstream: '{"status": $status, "ua": "$http_user_agent", "up": "$upstream_addr"}',
    };
    const cc = emitContourConfiguration(settings, { contourVersion: parseContourVersion('1.33')!, defaults: 'cluster', ref: { namespace: NAMESPACE, name: 'contour' } });
    const object = cc.object as unknown as Obj;
    const secrets = [pki.secret(NAMESPACE, 'fallback', ['fallback.cc.test']), pki.secret(NAMESPACE, 'site', ['site.cc.test'])];
    const service: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nowhere', namespace: NAMESPACE }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
    const proxyObj: Obj = {
      apiVersion: 'projectcontour.io/v1',
      kind: 'HTTPProxy',
      metadata: { name: 'site', namespace: NAMESPACE },
      spec: {
        virtualhost: { fqdn: 'site.cc.test', tls: { secretName: 'site' } },
        routes: [
          { conditions: [{ prefix: '/fixed' }], directResponsePolicy: { statusCode: 204 }, permitInsecure: true },
          { services: [{ name: 'nowhere', port: 80 }], timeoutPolicy: { response: 'infinity' }, permitInsecure: true },
        ],
      },
    };
    await apply([...secrets, service, proxyObj], k);
    cleanup.push(proxyObj, service, ...secrets, object);

    proxy = await startContourEnvoy({ kubeconfig, log, contourConfiguration: { object: object as unknown as Record<string, unknown>, cacheDir: harness.kubectlCacheDir } });
    const statuses = await waitValid([proxyObj], k, 30_000);
    expect([...statuses.values()]).toEqual(['valid']);

    // It serves: a fixed answer over plain HTTP (the route permits it).
    const res = await send({ httpPort: proxy.httpPort, httpsPort: proxy.httpsPort, ca: pki.caCrt, timeoutMs: 10_000 }, { host: 'site.cc.test', path: '/fixed' });
    expect(res.status).toBe(204);

    // Envoy holds what the configuration says (not Contour's defaults: 2s connect, no idle, 0 hops, 1.2-1.3).
    const listeners = await proxy.admin('/config_dump?resource=dynamic_listeners');
    expect(listeners).toContain('"stream_idle_timeout": "300s"');
    expect(listeners).toContain('"xff_num_trusted_hops": 1');
    expect(listeners).toMatch(/"tls_maximum_protocol_version": "TLSv1_2"/);
    expect(listeners).toMatch(/"cipher_suites": \[\s*"ECDHE-ECDSA-AES256-GCM-SHA384",\s*"ECDHE-RSA-AES256-GCM-SHA384"\s*\]/);
    expect(listeners).toContain('"ua": "%REQ(USER-AGENT)%"');
    const clusters = await proxy.admin('/config_dump?resource=dynamic_active_clusters');
    expect(clusters).toContain('"connect_timeout": "3s"');
    proxy.assertAlive();
  }, 240_000);
});

describe.skipIf(harness.external)('apply --apply-contour-config', () => {
  const input = ingressYaml([{ namespace: 'cca-app', name: 'web', host: 'web.cca.example.com' }]);
  const common = ['-f', '-', '--root-namespace', 'cca-roots', '--contour-config', 'cca-contour/contour'];
  const get = async (): Promise<Record<string, unknown> | undefined> => {
    const r = await kubectl(['get', 'contourconfigurations.projectcontour.io', '-n', 'cca-contour', 'contour', '-o', 'json', '--show-managed-fields'], k);
    return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined;
  };

  beforeAll(async () => {
    await installContourConfigurationCrd(kubeconfig, { cacheDir: harness.kubectlCacheDir });
    await ensureNamespaces(['cca-app', 'cca-roots', 'cca-contour']);
  }, 180_000);

  it('without the flag apply leaves Contour alone and, with --defaults cluster, warns that the routes rely on it', async () => {
    const a = await cli(['apply', ...common, '--defaults', 'cluster'], { stdin: input });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('warning: --defaults cluster: the routes rely on');
    expect(await get()).toBeUndefined();
  });

  it('with the flag: created (server-side, field manager ingress2contour), then unchanged; dry-run server writes nothing', async () => {
    await kubectl(['delete', 'contourconfigurations.projectcontour.io', '-n', 'cca-contour', 'contour', '--ignore-not-found'], k);
    const dry = await cli(['apply', ...common, '--defaults', 'cluster', '--apply-contour-config', '--dry-run=server'], { stdin: input });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('ContourConfiguration cca-contour/contour: created (dry run: server; nothing was written)');
    expect(await get()).toBeUndefined();

    const a1 = await cli(['apply', ...common, '--defaults', 'cluster', '--apply-contour-config'], { stdin: input });
    expect(a1.code, a1.stderr).toBe(0);
    expect(a1.stderr).toMatch(/^ContourConfiguration cca-contour\/contour: created; Contour uses it only when started with --contour-config-name contour$/m);
    expect(summaryRow(a1.stderr, 'total')).toMatchObject({ failed: 0 });
    const live = (await get())!;
    expect((live.spec as { envoy: { timeouts: Record<string, string> } }).envoy.timeouts).toEqual({ requestTimeout: 'infinity', streamIdleTimeout: '60s', connectTimeout: '5s' });
    const managers = (live.metadata as { managedFields: { manager: string }[] }).managedFields.map((m) => m.manager);
    expect(managers).toEqual(['ingress2contour']);

    const a2 = await cli(['apply', ...common, '--defaults', 'cluster', '--apply-contour-config'], { stdin: input });
    expect(a2.stderr).toContain('ContourConfiguration cca-contour/contour: unchanged');
  });

  it('fields another manager set on the object stay (only the emitted fields are owned)', async () => {
    await kubectl(['patch', 'contourconfigurations.projectcontour.io', '-n', 'cca-contour', 'contour', '--type=merge', '-p', '{"spec":{"xdsServer":{"port":8001}}}'], k);
    const a = await cli(['apply', ...common, '--apply-contour-config'], { stdin: input });
    expect(a.code, a.stderr).toBe(0);
    const live = (await get())!;
    expect((live.spec as { xdsServer?: { port: number } }).xdsServer?.port).toBe(8001);
    // --defaults route: the idle timeout is no longer ours to set, so server-side apply removes it.
    expect((live.spec as { envoy: { timeouts: Record<string, string> } }).envoy.timeouts.streamIdleTimeout).toBeUndefined();
  });
});

// Finding the ingress-nginx controller(s) of a cluster and reading their flags and ConfigMap
// (issue 12): not found, found (the official manifest's $(POD_NAMESPACE) args), two classes each
// with its own controller, two controllers of one class, and a user who may read Ingresses but
// not the controller. The workloads never run (no scheduler): reading them is all that matters.
import { EXIT } from '../../src/cli/exit-codes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/cluster/client.js';
import { discoverControllers } from '../../src/cluster/controller.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import type { Finding } from '../../src/model/findings.js';
import type { Report } from '../../src/report/report.js';
import { cli, credentialsOf, ensureNamespaces, ensureRbac, expectNoCredentials, k, kubeconfig, kubectlOk } from './support/cli.js';

type Obj = Record<string, unknown>;

const APP = 'ctrl-app';
const MAIN = 'i2c-ctrl';
const INTERNAL = 'i2c-ctrl-internal';
const SECOND = 'i2c-other';
const INTERNAL_CLASS = 'i2c-internal';
const INTERNAL_CONTROLLER = 'example.com/i2c-internal';

const apply = (items: Obj[]): Promise<string> =>
  kubectlOk(['apply', '--server-side', '--field-manager=e2e', '--force-conflicts', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });

function ingress(namespace: string, name: string, ingressClassName: string): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: { ingressClassName, rules: [{ host: `${name}.${namespace}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
  };
}

const POD_ENV = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
];

/** A workload whose one container runs the controller; replicas 0 (nothing is scheduled here anyway). */
function workload(kind: 'Deployment' | 'DaemonSet', namespace: string, name: string, container: Obj): Obj {
  const labels = { 'app.kubernetes.io/name': name };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'controller', env: POD_ENV, ...container }] } };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: { ...(kind === 'Deployment' ? { replicas: 0 } : {}), selector: { matchLabels: labels }, template },
  };
}

/** The official static manifest's controller (deploy/static/provider/cloud/deploy.yaml), trimmed. */
const official = workload('Deployment', MAIN, 'ingress-nginx-controller', {
  image: 'registry.k8s.io/ingress-nginx/controller:v1.11.0',
  args: [
    '/nginx-ingress-controller',
    '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
    '--election-id=ingress-nginx-leader',
    '--controller-class=k8s.io/ingress-nginx',
    '--ingress-class=nginx',
    '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
    '--validating-webhook=:8443',
    '--enable-ssl-passthrough',
  ],
});
const officialConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: MAIN }, data: { 'ssl-redirect': 'false', 'proxy-read-timeout': '120' } };

/** A second class with its own controller: a DaemonSet, flags as separate words after `command`. */
const internal = workload('DaemonSet', INTERNAL, 'internal-controller', {
  image: 'registry.k8s.io/ingress-nginx/controller:v1.11.0',
  command: ['/nginx-ingress-controller'],
  args: ['--controller-class', INTERNAL_CONTROLLER, '--ingress-class', INTERNAL_CLASS, '--configmap', '$(POD_NAMESPACE)/internal-config', '--watch-ingress-without-class'],
});
const internalConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'internal-config', namespace: INTERNAL }, data: { 'use-forwarded-headers': 'true' } };

const WORKLOADS = [
  ['deployment', MAIN, 'ingress-nginx-controller'],
  ['daemonset', INTERNAL, 'internal-controller'],
  ['deployment', SECOND, 'second'],
] as const;

async function report(args: string[]): Promise<{ code: number; stderr: string; report: Report }> {
  const r = await cli(['report', '-o', 'json', '--target', 'httpproxy', ...args]);
  expect(r.stdout, r.stderr).not.toBe('');
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
}

/** The findings of discovery itself (the resolved configuration adds controller.setting and others). */
const DISCOVERY_IDS = new Set(['controller.not-found', 'controller.unreadable', 'controller.configmap-missing', 'controller.ambiguous']);
const controllerFindings = (findings: Finding[]): [string, Finding['data']][] => findings.filter((f) => DISCOVERY_IDS.has(f.id)).map((f) => [f.id, f.data]);

describe('ingress-nginx controller discovery', () => {
  beforeAll(async () => {
    await ensureRbac();
    await ensureNamespaces([APP, MAIN, INTERNAL, SECOND]);
    await apply([ingress(APP, 'web', 'nginx'), ingress(APP, 'intranet', INTERNAL_CLASS), ingress('team-a', 'ctrl-forbidden', 'nginx')]);
  });

  afterAll(async () => {
    // team-a is read by other files (read.e2e counts its Ingresses): leave nothing there.
    await kubectlOk(['delete', 'ingress', '-n', 'team-a', 'ctrl-forbidden', '--ignore-not-found'], k);
    for (const [kind, ns, name] of WORKLOADS) await kubectlOk(['delete', kind, '-n', ns, name, '--ignore-not-found'], k);
    await kubectlOk(['delete', 'clusterrolebinding', 'i2c-e2e-controller-reader', '--ignore-not-found'], k);
  });

  it('no controller: a warning that the defaults are assumed; output and exit code as without discovery', async () => {
    const without = await cli(['convert', '-n', APP, '--target', 'httpproxy', '--no-controller-discovery']);
    const r = await cli(['convert', '-n', APP, '--target', 'httpproxy']);
    expect(without.code).toBe(0);
    expect(r.code).toBe(without.code);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect(r.stdout).toBe(without.stdout);
    expect(r.stderr).toContain('[controller.not-found]');
    expect(without.stderr).not.toContain('[controller.');
    const { report: json } = await report(['-n', APP]);
    expect(json.controller).toBeUndefined();
    expect(controllerFindings(json.general)).toEqual([['controller.not-found', { ingressClass: 'nginx', found: [], detail: '' }]]);
  });

  it("found: the official manifest's args with $(POD_NAMESPACE) expanded, its ConfigMap read", async () => {
    await apply([officialConfig, official, { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }]);
    const client = new KubeClient(loadKubeConfig({ kubeconfig, context: 'admin' }));
    try {
      // Page size 1: every list is paged.
      const d = await discoverControllers(client, { chunkSize: 1 });
      expect(d.complete).toBe(true);
      expect(d.warnings).toEqual([]);
      expect(d.controllers).toHaveLength(1);
      const [c] = d.controllers;
      expect(c?.source).toBe(`deployment ${MAIN}/ingress-nginx-controller`);
      expect(c?.args).toEqual({
        'publish-service': `${MAIN}/ingress-nginx-controller`,
        'election-id': 'ingress-nginx-leader',
        'controller-class': 'k8s.io/ingress-nginx',
        'ingress-class': 'nginx',
        configmap: `${MAIN}/ingress-nginx-controller`,
        'validating-webhook': ':8443',
        'enable-ssl-passthrough': 'true',
      });
      expect(c?.configMapSource).toBe(`${MAIN}/ingress-nginx-controller`);
      expect(c?.configMap).toEqual({ 'ssl-redirect': 'false', 'proxy-read-timeout': '120' });
      expect(c?.ingressClasses).toContain('nginx');
    } finally {
      client.close();
    }

    const r = await cli(['convert', '-n', APP, '--target', 'httpproxy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[controller.');
    expect(r.stderr).toContain(`controller: class nginx: deployment ${MAIN}/ingress-nginx-controller (ConfigMap ${MAIN}/ingress-nginx-controller)`);
    const { report: json } = await report(['-n', APP]);
    expect(json.controller).toMatchObject({ source: `deployment ${MAIN}/ingress-nginx-controller`, configMap: `${MAIN}/ingress-nginx-controller` });
    expect(controllerFindings(json.general)).toEqual([]);
  });

  it('two classes: --ingress-class picks the controller of that class', async () => {
    await apply([internalConfig, internal, { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: INTERNAL_CLASS }, spec: { controller: INTERNAL_CONTROLLER } }]);
    const nginx = await report(['-n', APP]);
    const other = await report(['-n', APP, '--ingress-class', INTERNAL_CLASS]);
    expect(nginx.report.controller).toMatchObject({ source: `deployment ${MAIN}/ingress-nginx-controller`, configMap: `${MAIN}/ingress-nginx-controller` });
    expect(other.report.controller).toEqual({ source: `daemonset ${INTERNAL}/internal-controller`, ingressClasses: [INTERNAL_CLASS], configMap: `${INTERNAL}/internal-config` });
    // Each conversion covers its own class's Ingress (the class selection, src/read/ingress-class.ts, also
    // takes every class whose IngressClass names k8s.io/ingress-nginx, whatever --ingress-class says).
    expect(nginx.report.ingresses.map((i) => i.ingress)).toEqual([`${APP}/web`]);
    expect(other.report.ingresses.map((i) => i.ingress)).toContain(`${APP}/intranet`);
    expect(controllerFindings([...nginx.report.general, ...other.report.general])).toEqual([]);

    const client = new KubeClient(loadKubeConfig({ kubeconfig, context: 'admin' }));
    try {
      const d = await discoverControllers(client, { chunkSize: 500 });
      const c = d.controllers.find((x) => x.source.startsWith('daemonset'));
      expect(c?.args).toEqual({ 'controller-class': INTERNAL_CONTROLLER, 'ingress-class': INTERNAL_CLASS, configmap: `${INTERNAL}/internal-config`, 'watch-ingress-without-class': 'true' });
      expect(c?.configMap).toEqual({ 'use-forwarded-headers': 'true' });
    } finally {
      client.close();
    }
  });

  it('two controllers of one class: a warning names both; a missing ConfigMap is a warning too', async () => {
    await apply([
      workload('Deployment', SECOND, 'second', {
        image: 'registry.k8s.io/ingress-nginx/controller:v1.11.0',
        args: ['/nginx-ingress-controller', '--ingress-class=nginx', '--configmap=$(POD_NAMESPACE)/absent'],
      }),
    ]);
    const { code, report: json } = await report(['-n', APP]);
    expect(code).toBe(0);
    expect(controllerFindings(json.general)).toEqual([
      [
        'controller.ambiguous',
        { ingressClass: 'nginx', controllers: [`deployment ${MAIN}/ingress-nginx-controller`, `deployment ${SECOND}/second`], used: `deployment ${MAIN}/ingress-nginx-controller` },
      ],
    ]);
    expect(json.controller?.source).toBe(`deployment ${MAIN}/ingress-nginx-controller`);

    const client = new KubeClient(loadKubeConfig({ kubeconfig, context: 'admin' }));
    try {
      const d = await discoverControllers(client, { chunkSize: 500 });
      expect(d.controllers.find((c) => c.source === `deployment ${SECOND}/second`)?.configMap).toEqual({});
      expect(controllerFindings(d.warnings)).toEqual([['controller.configmap-missing', { configMap: `${SECOND}/absent`, controller: `deployment ${SECOND}/second` }]]);
    } finally {
      client.close();
    }
    await kubectlOk(['delete', 'deployment', '-n', SECOND, 'second'], k);
  });

  it('forbidden: a user who may read Ingresses but not the controller gets warnings, and the conversion goes on', async () => {
    const secrets = credentialsOf();
    // `reader` may list Ingresses in team-a only: no Deployments, DaemonSets, IngressClasses or ConfigMaps.
    const without = await cli(['convert', '--context', 'reader', '--target', 'httpproxy', '--no-controller-discovery']);
    const r = await cli(['convert', '--context', 'reader', '--target', 'httpproxy']);
    // team-a is shared with other files, whose Ingresses may carry errors (exit 4): what matters is that discovery changes nothing.
    expect([EXIT.ok, EXIT.partial], without.stderr).toContain(without.code);
    expect(r.code).toBe(without.code);
    expect(r.stdout).toBe(without.stdout);
    expect(r.stdout).toContain('ctrl-forbidden');
    expect(r.stderr).toContain('[controller.unreadable]');
    expect(r.stderr).not.toContain('[controller.not-found]');
    expectNoCredentials(r, secrets);
    const listed = await report(['--context', 'reader']);
    expect(listed.report.controller).toBeUndefined();
    expect(
      controllerFindings(listed.report.general)
        .map(([id, data]) => [id, data.what])
        .sort(),
    ).toEqual([
      ['controller.unreadable', 'daemonsets'],
      ['controller.unreadable', 'deployments'],
      ['controller.unreadable', 'ingressclasses'],
    ]);

    // Allowed to find the controller, not to read its ConfigMap: the controller is used, its keys are unknown.
    await apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'i2c-e2e-controller-reader' },
        rules: [
          { apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: ['list'] },
          { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['list'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'i2c-e2e-controller-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'i2c-e2e-controller-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'reader' }],
      },
    ]);
    try {
      const partial = await report(['--context', 'reader']);
      expect(partial.code).toBe(0);
      expect(partial.report.controller).toMatchObject({ source: `deployment ${MAIN}/ingress-nginx-controller`, configMap: `${MAIN}/ingress-nginx-controller` });
      expect(controllerFindings(partial.report.general).map(([id, data]) => [id, data.what, data.controller])).toEqual([
        ['controller.unreadable', `ConfigMap ${MAIN}/ingress-nginx-controller`, `deployment ${MAIN}/ingress-nginx-controller`],
      ]);
      expectNoCredentials(await cli(['convert', '--context', 'reader', '--target', 'httpproxy']), secrets);
    } finally {
      await kubectlOk(['delete', 'clusterrolebinding', 'i2c-e2e-controller-reader', '--ignore-not-found'], k);
    }
  });
});

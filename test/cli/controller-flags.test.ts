// --nginx-configmap, --nginx-args and --nginx-arg as a user gives them: the controller's
// configuration changes the output, bad files and contradicting flags fail with one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/emit/objects.js';
import { runCli } from '../support/run-cli.js';

const ING = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: internal
  tls: [{hosts: [shop.example.com]}]
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

const dir = mkdtempSync(path.join(tmpdir(), 'i2c-ctrl-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ingress = file('ing.yaml', ING);
const cm = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\ndata:\n  proxy-read-timeout: "300"\n  ssl-redirect: "false"\n');
const cmJson = file('cm.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ingress-nginx' }, data: { 'proxy-read-timeout': '300' } }));
const base = ['convert', '-f', ingress, '--contour-version', '1.33', '-o', 'json'];
const objects = (stdout: string): KubeObject[] => {
  const parsed = JSON.parse(stdout) as { items?: KubeObject[] } | KubeObject[];
  return Array.isArray(parsed) ? parsed : (parsed.items ?? []);
};
const routes = (objs: KubeObject[]): Record<string, unknown>[] => objs.flatMap((o) => (o.spec.routes ?? []) as Record<string, unknown>[]).filter((r) => r.services);

describe('controller configuration from files', () => {
  it('applies the ConfigMap (YAML or JSON) and the flags: class, default certificate, timeouts, ssl-redirect', async () => {
    for (const configmap of [cm, cmJson]) {
      const r = await runCli([...base, '--nginx-configmap', configmap, '--nginx-args', '/nginx-ingress-controller --ingress-class=internal --default-ssl-certificate=ingress-nginx/wild']);
      expect(r.code, r.stderr).toBe(0);
      const objs = objects(r.stdout);
      expect(routes(objs)[0]?.timeoutPolicy).toEqual({ response: 'infinity', idle: '300s' });
      expect(objs.find((o) => o.spec.virtualhost)?.spec.virtualhost).toMatchObject({ tls: { secretName: 'ingress-nginx/wild' } });
    }
    const redirectOff = await runCli([...base, '--nginx-configmap', cm, '--nginx-arg', '--ingress-class=internal']);
    expect(routes(objects(redirectOff.stdout))[0]?.permitInsecure).toBe(true);
  });

  it('without controller flags the class is the CLI default: the internal Ingress is not converted', async () => {
    const r = await runCli([...base, '--nginx-configmap', cm]);
    expect(objects(r.stdout)).toEqual([]);
  });

  it('a repeatable --nginx-arg takes flags with or without dashes', async () => {
    const r = await runCli([...base, '--nginx-arg', 'ingress-class=internal', '--nginx-arg=--default-ssl-certificate=ingress-nginx/wild']);
    expect(r.code, r.stderr).toBe(0);
    expect(objects(r.stdout).some((o) => o.kind === 'TLSCertificateDelegation' && o.metadata.namespace === 'ingress-nginx')).toBe(true);
  });

  it('a CLI flag contradicting the controller is a usage error naming both', async () => {
    const r = await runCli([...base, '--ingress-class', 'public', '--nginx-args', '--ingress-class=internal']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.trim() !== '')).toHaveLength(1);
    expect(r.stderr).toContain('--ingress-class');
    expect(r.stderr).toContain('internal');
    expect(r.stderr).toContain('public');
    const prefix = await runCli([...base, '--annotation-prefix', 'a.example', '--nginx-args', '--ingress-class=internal --annotations-prefix=b.example']);
    expect(prefix.code).toBe(2);
  });

  it.each([
    ['missing file', path.join(dir, 'nope.yaml')],
    ['not YAML', file('bad.yaml', 'data: [unclosed\n')],
    ['no ConfigMap', file('secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n')],
    ['two ConfigMaps', file('two.yaml', 'kind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\nmetadata: {name: b}\n')],
    ['data not a map', file('list.yaml', 'kind: ConfigMap\nmetadata: {name: a}\ndata: [1, 2]\n')],
  ])('a bad --nginx-configmap (%s) is one line and the input exit code', async (_why, p) => {
    const r = await runCli([...base, '--nginx-configmap', p]);
    expect(r.code).toBe(3);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--nginx-configmap');
    expect(r.stdout).toBe('');
  });

  it('bad --nginx-args is a usage error', async () => {
    const r = await runCli([...base, '--nginx-args', '--ingress-class "internal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--nginx-args');
  });

  it('each ConfigMap key is named in the report with its verdict', async () => {
    const r = await runCli(['report', '-f', ingress, '--contour-version', '1.33', '-o', 'json', '--nginx-configmap', cm, '--nginx-args', '--ingress-class=internal']);
    const report = yaml.load(r.stdout) as { general: { id: string; data: Record<string, unknown>; subject: { source?: string } }[] };
    const settings = report.general.filter((f) => f.id === 'controller.setting');
    expect(settings.map((f) => f.data.key).sort()).toEqual(['--ingress-class', 'proxy-read-timeout', 'ssl-redirect']);
    expect(settings.find((f) => f.data.key === 'ssl-redirect')?.subject.source).toContain('ingress-nginx/ingress-nginx-controller');
  });
});

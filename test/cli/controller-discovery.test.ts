// What the commands do with the controllers a cluster read found (the finding itself is
// tested against the real apiserver in test/e2e/controller-discovery.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert.js';
import { useDiscoveredController, type Source } from '../../src/cli/cluster-source.js';
import type { Io } from '../../src/cli/io.js';
import { resolveConvertOptions, type SharedFlags } from '../../src/cli/options.js';
import type { ControllerConfig } from '../../src/model/controller.js';
import { finding } from '../../src/model/findings.js';
import { emptyCollected } from '../../src/read/normalize.js';
import { renderMarkdown, renderText } from '../../src/report/render.js';
import { buildReport } from '../../src/report/report.js';

const flags: SharedFlags = {
  rootNamespace: 'projectcontour',
  includeScope: 'auto',
  layout: 'root-namespace',
  ingressClass: 'nginx',
  annotationPrefix: 'nginx.ingress.kubernetes.io',
  chunkSize: 500,
  requestTimeout: 30,
  target: 'httpproxy',
};

const nginx: ControllerConfig = {
  source: 'deployment ingress-nginx/ingress-nginx-controller',
  ingressClasses: ['nginx'],
  args: { configmap: 'ingress-nginx/ingress-nginx-controller' },
  configMap: { 'ssl-redirect': 'false' },
  configMapSource: 'ingress-nginx/ingress-nginx-controller',
};
const internal: ControllerConfig = { source: 'daemonset internal/ctrl', ingressClasses: ['internal'], args: { 'ingress-class': 'internal' }, configMap: {} };

function io(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, stdout: () => {}, stderr: (l: string) => lines.push(l), stderrIsTty: false, stdoutIsTty: false, exitCode: 0 };
}

function source(controllers: ControllerConfig[], warnings = [finding('controller.unreadable', 'warn', { source: 'cluster' }, { what: 'ingressclasses', reason: 'forbidden', assumed: 'x' })]): Source {
  return { collected: emptyCollected(), scope: { all: true }, fromCluster: true, controllers: { controllers, warnings, complete: true } };
}

describe('useDiscoveredController', () => {
  it("sets the converted class's controller, names it on stderr, and adds the discovery warnings to the input's findings", () => {
    for (const [ingressClass, want] of [
      ['nginx', nginx],
      ['internal', internal],
    ] as const) {
      const { options } = resolveConvertOptions({ ...flags, ingressClass });
      const s = source([nginx, internal]);
      const out = io();
      useDiscoveredController(options, s, out);
      expect(options.controller).toBe(want);
      expect(s.collected.findings.map((f) => f.id)).toEqual(['controller.unreadable']);
      expect(out.lines).toHaveLength(1);
      expect(out.lines[0]).toContain(want.source);
    }
  });

  it('keeps a controller the user gave (files win), and adds nothing', () => {
    const { options } = resolveConvertOptions(flags);
    const given: ControllerConfig = { source: 'file cm.yaml', ingressClasses: ['nginx'], args: {}, configMap: {} };
    options.controller = given;
    const s = source([nginx]);
    const out = io();
    useDiscoveredController(options, s, out);
    expect(options.controller).toBe(given);
    expect(s.collected.findings).toEqual([]);
    expect(out.lines).toEqual([]);
  });

  it('no controller for the class: a warning finding, options.controller stays unset; quiet names nothing', () => {
    const { options } = resolveConvertOptions({ ...flags, ingressClass: 'other' });
    const s = source([nginx], []);
    const out = io();
    useDiscoveredController(options, s, out, true);
    expect(options.controller).toBeUndefined();
    expect(s.collected.findings.map((f) => [f.id, f.severity, f.data.ingressClass])).toEqual([['controller.not-found', 'warn', 'other']]);
    expect(out.lines).toEqual([]);
  });

  it('without discovery (files, --no-controller-discovery) nothing changes', () => {
    const { options } = resolveConvertOptions(flags);
    const s: Source = { collected: emptyCollected(), scope: { all: true }, fromCluster: true };
    useDiscoveredController(options, s, io());
    expect(options.controller).toBeUndefined();
    expect(s.collected.findings).toEqual([]);
  });
});

describe('the report names the controller whose configuration was used', () => {
  it('JSON, text and Markdown; absent without one', () => {
    const { options } = resolveConvertOptions(flags);
    const input = emptyCollected();
    const without = buildReport(convert(input, options), [], 0, options, options.annotationPrefix);
    expect(without.controller).toBeUndefined();
    options.controller = nginx;
    const report = buildReport(convert(input, options), [], 0, options, options.annotationPrefix);
    expect(report.controller).toEqual({ source: nginx.source, ingressClasses: ['nginx'], configMap: nginx.configMapSource });
    expect(report.contentHash).not.toBe(without.contentHash);
    for (const text of [renderText(report), renderMarkdown(report)]) expect(text).toContain(nginx.source);
    for (const text of [renderText(without), renderMarkdown(without)]) expect(text).not.toContain(nginx.source);
  });
});

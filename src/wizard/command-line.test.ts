import { describe, expect, it } from 'vitest';
import { commandLine, shellQuote, type WizardChoices } from './command-line.js';

const base: WizardChoices = {
  source: { kind: 'files', paths: ['manifests dir'] },
  namespaces: ['shop', 'api'],
  ingressClass: 'nginx',
  includeClassless: false,
  target: 'httpproxy',
  contourVersion: '1.33',
  rootNamespace: 'projectcontour',
  layout: 'root-namespace',
  includeScope: 'auto',
  skipped: ["team/it's"],
};

describe('commandLine', () => {
  it('reproduces the file choices with flags the commands accept', () => {
    expect(commandLine('convert', base, ['--output-dir', 'out'])).toBe(
      "ingress2contour convert -f 'manifests dir' -R --only-namespace shop --only-namespace api --target httpproxy --contour-version 1.33 --root-namespace projectcontour --skip-ingress 'team/it'\\''s' --output-dir out",
    );
  });
  it('uses the context and namespaces for a cluster', () => {
    const c: WizardChoices = { ...base, source: { kind: 'cluster', context: 'prod' }, namespaces: 'all', skipped: [], layout: 'app-namespace', includeClassless: true, ingressClass: 'internal' };
    expect(commandLine('apply', c)).toBe('ingress2contour apply --context prod -A --target httpproxy --contour-version 1.33 --root-namespace projectcontour --layout app-namespace --ingress-class internal --include-classless');
  });
  it('carries the answers to findings: include scope and the auth ExtensionService', () => {
    expect(commandLine('report', { ...base, namespaces: 'all', skipped: [], includeScope: 'none', authExtension: 'auth/ext-authz' })).toBe(
      "ingress2contour report -f 'manifests dir' -R --target httpproxy --contour-version 1.33 --root-namespace projectcontour --include-scope none --auth-extension auth/ext-authz",
    );
  });
  it('quotes for a POSIX shell', () => {
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm -rf x)')).toBe("'$(rm -rf x)'");
    expect(shellQuote('ns/name')).toBe('ns/name');
  });
});

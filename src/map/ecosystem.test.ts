import { describe, expect, it } from 'vitest';
import { EcosystemCatalogue, loadEcosystem, parseEcosystemFile } from './ecosystem.js';

describe('ecosystem catalogue', () => {
  it('loads the bundled files and finds keys and prefixes (longest prefix wins)', () => {
    const c = loadEcosystem();
    expect(c.files.map((f) => f.file)).toEqual(expect.arrayContaining(['bookkeeping.yaml', 'cert-manager.yaml', 'external-dns.yaml']));
    expect(c.lookup('cert-manager.io/cluster-issuer')).toMatchObject({ tool: 'cert-manager', output: 'certificate' });
    expect(c.lookup('cert-manager.io/certificate-name')).toMatchObject({ prefix: 'cert-manager.io/', output: 'ignored' });
    expect(c.lookup('external-dns.alpha.kubernetes.io/ttl')).toMatchObject({ tool: 'external-dns', output: 'root-annotation' });
    expect(c.lookup('external-dns.alpha.kubernetes.io/ingress-hostname-source')).toMatchObject({ output: 'not-carried', severity: 'warn' });
    expect(c.lookup('kubectl.kubernetes.io/last-applied-configuration')).toMatchObject({ tool: 'kubectl', output: 'not-carried', severity: 'info' });
    expect(c.lookup('argocd.argoproj.io/sync-wave')).toMatchObject({ tool: 'Argo CD' });
    expect(c.lookup('example.com/whatever')).toBeUndefined();
    // a prefix matches on whole segments only: "helm.sh/" must not cover "meta.helm.sh/" by accident
    expect(c.lookup('meta.helm.sh/release-name')?.prefix).toBe('meta.helm.sh/');
  });

  it.each([
    ['tool: x\n', 'mappings/ecosystem/t.yaml: needs tool and annotations'],
    ['tool: x\nannotations: [1]\n', 'mappings/ecosystem/t.yaml: entry 1: not a map'],
    ['tool: x\nannotations:\n  - does: d\n    output: read\n    severity: info\n    message: m\n', 'entry 1: key or prefix: exactly one of them is required'],
    ['tool: x\nannotations:\n  - key: a/b\n    prefix: a/\n    does: d\n    output: read\n    severity: info\n    message: m\n', 'entry 1 (a/b): key or prefix'],
    ['tool: x\nannotations:\n  - key: a/b\n    does: d\n    output: carried\n    severity: info\n    message: m\n', 'entry 1 (a/b): output must be one of'],
    ['tool: x\nannotations:\n  - key: a/b\n    does: d\n    output: read\n    severity: high\n    message: m\n', 'entry 1 (a/b): severity must be one of'],
    ['tool: x\nannotations:\n  - key: a/b\n    does: d\n    output: read\n    severity: info\n', 'entry 1 (a/b): message must be a non-empty string'],
    ['tool: x\nannotations:\n  - prefix: a\n    does: d\n    output: read\n    severity: info\n    message: m\n', 'entry 1 (a): prefix must be a DNS prefix ending in /'],
    ['tool: x\nannotations:\n  - key: a/b\n    does: d\n    output: read\n    severity: info\n    message: m\n    sevrity: warn\n', 'entry 1 (a/b): sevrity is not a field'],
    ['tool: [\n', 'mappings/ecosystem/t.yaml: not valid YAML'],
  ])('rejects bad data with one line naming file, entry and field: %#', (text, message) => {
    let error: Error | undefined;
    try {
      parseEcosystemFile(text, 't.yaml');
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('\n');
  });

  it('rejects a key listed twice across files', () => {
    const entry = '  - key: a.io/b\n    does: d\n    output: read\n    severity: info\n    message: m\n';
    const one = parseEcosystemFile(`tool: x\nannotations:\n${entry}`, 'one.yaml');
    const two = parseEcosystemFile(`tool: y\nannotations:\n${entry}`, 'two.yaml');
    expect(() => new EcosystemCatalogue([one, two])).toThrow('mappings/ecosystem/two.yaml: a.io/b: duplicate key (also in mappings/ecosystem/one.yaml)');
  });
});

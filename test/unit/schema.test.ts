// Every object the demo fixtures produce, for both targets and several Contour
// versions, validates against the real CRD schema; known-bad objects do not.
import { describe, expect, it } from 'vitest';
import { convertFiles } from '../support/convert.js';
import { crdsAvailable, CRD_DIR, schemaErrors } from '../support/crd-schema.js';

const available = crdsAvailable();
if (!available) console.warn(`schema tests skipped: no CRD manifests at ${CRD_DIR}`);

describe.skipIf(!available)('emitted objects validate against the Contour CRD schemas', () => {
  for (const [target, version] of [
    ['httpproxy', '1.33'],
    ['httpproxy', '1.20'],
    ['httpproxy', '1.10'],
    ['ingressroute', '1.5'],
  ] as const) {
    it(`fixtures/demo as ${target} for Contour ${version}`, async () => {
      const { objects } = await convertFiles(['fixtures/demo'], { target, contourVersion: version });
      expect(objects.length).toBeGreaterThan(5);
      expect(objects.flatMap((o) => schemaErrors(o))).toEqual([]);
    });
  }

  it('rejects what the apiserver would reject', () => {
    const bad = {
      apiVersion: 'projectcontour.io/v1',
      kind: 'HTTPProxy',
      metadata: { name: 'x' },
      spec: { virtualhost: { fqdn: 'UPPER.example.com' }, routes: [{ services: [{ name: 's', port: 70000, protocol: 'http' }], timeoutPolicy: { response: '10 seconds' } }] },
    };
    const errors = schemaErrors(bad).join('\n');
    expect(errors).toContain('/spec/virtualhost/fqdn');
    expect(errors).toContain('/spec/routes/0/services/0/port');
    expect(errors).toContain('/spec/routes/0/services/0/protocol');
    expect(errors).toContain('/spec/routes/0/timeoutPolicy/response');
    expect(schemaErrors({ apiVersion: 'contour.heptio.com/v1beta1', kind: 'IngressRoute', metadata: { name: 'x' }, spec: { routes: [{ services: [{ name: 's' }] }] } }).join('\n')).toMatch(
      /match|port/,
    );
  });
});

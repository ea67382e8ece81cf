// One verdict per annotation, the same in every output: each catalogue key goes through
// convert + report, and the final verdict, its severity and the findings that decided it
// agree in the JSON report, the text report, the Markdown report and the convert findings.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, type CatalogueEntry } from '../../src/map/catalogue.js';
import { buildReport } from '../../src/report/report.js';
import { renderMarkdown, renderText } from '../../src/report/render.js';
import { convertYaml, options } from '../support/convert.js';

const PREFIX = 'nginx.ingress.kubernetes.io';

/** A value nginx accepts for the key, so the verdict is about the mapping, not a typo. */
function sampleValue(e: CatalogueEntry): string {
  if (e.values && e.values.length > 0) return e.values.find((v) => v !== e.default) ?? e.values[0]!;
  switch (e.valueType) {
    case 'bool':
      return e.default === 'true' ? 'false' : 'true';
    case 'int':
      return '7';
    case 'duration':
    case 'seconds':
      return '30';
    case 'size':
      return '8m';
    case 'url':
      return 'https://auth.example/check';
    case 'cidr-list':
      return '10.0.0.0/8';
    case 'secret-ref':
      return 'n/secret';
    default:
      return e.default ?? 'x';
  }
}

function ingress(key: string, value: string, tls: boolean): string {
  return yaml.dump({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'app', namespace: 'n', annotations: { [`${PREFIX}/${key}`]: value } },
    spec: {
      ingressClassName: 'nginx',
      ...(tls ? { tls: [{ hosts: ['a.example.com'], secretName: 'cert' }] } : {}),
      rules: [{ host: 'a.example.com', http: { paths: [{ path: '/app', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
    },
  });
}

const entries = loadCatalogue().entries();

describe('every catalogue key: the verdict and its findings agree in every output', () => {
  for (const target of ['httpproxy', 'ingressroute'] as const) {
    for (const tls of [true, false]) {
      it(`${target}, ${tls ? 'TLS host' : 'plain host'}: ${entries.length} keys`, () => {
        let errors = 0;
        for (const e of entries) {
          const r = convertYaml(ingress(e.key, sampleValue(e), tls), { target, authExtension: { namespace: 'auth', name: 'ext' } });
          const report = buildReport(r, r.input.findings, r.input.ingresses.length, options({ target }), PREFIX);
          const verdict = r.mapped[0]?.verdicts.find((v) => v.key === e.key);
          expect(verdict, e.key).toBeDefined();
          if (!verdict) continue;
          const line = report.ingresses[0]?.annotations.find((a) => a.annotation === `${PREFIX}/${e.key}`);
          expect(line, e.key).toMatchObject({ verdict: verdict.fidelity, severity: verdict.severity, findingId: verdict.findingId });
          // Every later-stage finding about this annotation is a reason on the line, and the verdict is at least as severe.
          const causes = r.findings.filter((f) => !r.verdictFindings.has(f) && f.subject.annotation === `${PREFIX}/${e.key}` && f.severity !== 'info');
          expect(line?.reasons?.map((x) => x.id).sort() ?? [], e.key).toEqual(causes.map((f) => f.id).sort());
          if (causes.some((f) => f.severity === 'error')) expect(verdict, e.key).toMatchObject({ severity: 'error', fidelity: 'unsupported' });
          if (verdict.severity !== 'error') continue;
          errors++;
          // An error verdict is visible with its reason in every format and on convert's stderr.
          const text = renderText(report);
          const markdown = renderMarkdown(report);
          for (const out of [text, markdown]) {
            expect(out, e.key).toContain(e.key);
            for (const c of causes) expect(out, `${e.key} ${c.id}`).toContain(c.id);
          }
          expect(r.findings.some((f) => r.verdictFindings.has(f) && f.severity === 'error' && f.subject.annotation === `${PREFIX}/${e.key}`), e.key).toBe(true);
        }
        // Not vacuous: the catalogue has error verdicts on every target.
        expect(errors).toBeGreaterThan(5);
      });
    }
  }
});

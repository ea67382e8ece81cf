// enable-cors on HTTPProxy: every way Envoy's CORS filter answers differently from nginx's CORS
// block is named in data.differences, and where there is a choice the output is the closest to
// nginx that is never more permissive (no credentials with an echoed Origin where nginx said *).
import { describe, expect, it } from 'vitest';
import { convertYaml } from '../support/convert.js';

type Obj = Record<string, unknown>;

const ingress = (ann: Record<string, string>): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  namespace: web
  annotations:
${Object.entries({ 'enable-cors': 'true', ...ann })
  .map(([k, v]) => `    nginx.ingress.kubernetes.io/${k}: "${v}"`)
  .join('\n')}
spec:
  rules:
  - host: app.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
`;

function run(ann: Record<string, string>): { cors: Obj; differences: string[]; severity: string } {
  const res = convertYaml(ingress(ann));
  const root = res.objects.find((o) => (o.spec as Obj).virtualhost) as unknown as Obj;
  const cors = ((root.spec as Obj).virtualhost as Obj).corsPolicy as Obj;
  const f = res.findings.find((x) => x.id === 'annotation.approximate' && x.subject.annotation?.endsWith('/enable-cors') && x.data.differences);
  return { cors, differences: [...((f?.data.differences as string[] | undefined) ?? [])], severity: f?.severity ?? 'none' };
}

describe('CORS differences', () => {
  it('the default origin *: echoed by Envoy, credentials not allowed, every difference named', () => {
    const r = run({});
    expect(r.cors.allowOrigin).toEqual(['*']);
    expect(r.cors.allowCredentials).toBe(false);
    expect(r.differences).toEqual(['preflight-status', 'preflight-detection', 'response-headers', 'no-origin', 'origin-echoed', 'credentials-dropped']);
    expect(r.severity).toBe('warn');
  });
  it('* without credentials: nothing to drop', () => {
    const r = run({ 'cors-allow-credentials': 'false' });
    expect(r.cors.allowCredentials).toBe(false);
    expect(r.differences).toEqual(['preflight-status', 'preflight-detection', 'response-headers', 'no-origin', 'origin-echoed']);
  });
  it('a list of origins: nginx echoed the matching Origin too; credentials kept', () => {
    const r = run({ 'cors-allow-origin': 'https://a.example.com, https://b.example.com' });
    expect(r.cors.allowOrigin).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(r.cors.allowCredentials).toBe(true);
    expect(r.differences).toEqual(['preflight-status', 'preflight-detection', 'response-headers']);
  });
  it('the verdict of enable-cors is approximate and names the finding as its cause', () => {
    const res = convertYaml(ingress({}));
    const verdict = [...res.verdictFindings].find((f) => f.subject.annotation?.endsWith('/enable-cors'));
    expect(verdict?.fidelity).toBe('approximate');
    const v = res.mapped[0]?.verdicts.find((x) => x.key.endsWith('enable-cors'));
    expect(v?.causes).toContain('annotation.approximate');
  });
});

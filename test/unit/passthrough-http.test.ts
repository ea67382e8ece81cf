// ssl-passthrough: nginx passes TLS through to the backend of `/`, and serves plain HTTP on port 80
// as any other host; an HTTPS redirect only comes with spec.tls (ssl-redirect). The output's
// passthrough virtual host is a TLS one in Contour, so its routes must say permitInsecure exactly then.
import { describe, expect, it } from 'vitest';
import { convertYaml } from '../support/convert.js';

type Obj = Record<string, unknown>;

const ingress = (tls: boolean): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: vault
  namespace: sec
  annotations:
    nginx.ingress.kubernetes.io/ssl-passthrough: "true"
spec:
  ingressClassName: nginx
${tls ? '  tls: [{hosts: [vault.example.com], secretName: vault-cert}]\n' : ''}  rules:
  - host: vault.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: vault, port: {number: 8200}}}}
      - {path: /ui, pathType: Prefix, backend: {service: {name: vault-ui, port: {number: 80}}}}
`;

const httpRoutes = (text: string): Obj[] =>
  convertYaml(text)
    .objects.flatMap((o) => (o.spec.routes as Obj[] | undefined) ?? [])
    .filter((r) => Array.isArray(r.services));

describe('plain HTTP on ssl-passthrough hosts', () => {
  it('without spec.tls every HTTP route is served insecurely, as nginx served it', () => {
    const routes = httpRoutes(ingress(false));
    expect(routes.length).toBeGreaterThan(1);
    for (const r of routes) expect(r.permitInsecure).toBe(true);
  });
  it('with spec.tls nginx redirected plain HTTP to HTTPS, and so does the output', () => {
    const routes = httpRoutes(ingress(true));
    expect(routes.length).toBeGreaterThan(1);
    for (const r of routes) expect(r.permitInsecure).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { collectDocument, emptyCollected, HOST_PATTERN, isHostName, own } from './normalize.js';

const collect = (value: unknown) => {
  const into = emptyCollected();
  collectDocument(value, { source: 'f.yaml', document: 0, line: 1 }, { defaultNamespace: 'default' }, into);
  return into;
};

describe('collectDocument', () => {
  it('normalizes extensions/v1beta1 to the v1 model', () => {
    const { ingresses, findings } = collect({
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'old' },
      spec: {
        backend: { serviceName: 'fallback', servicePort: 80 },
        rules: [{ host: 'A.Example.com', http: { paths: [{ path: '/x', backend: { serviceName: 'svc', servicePort: 'http' } }] } }],
      },
    });
    expect(findings).toEqual([]);
    expect(ingresses[0]).toMatchObject({
      namespace: 'default',
      name: 'old',
      defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
      rules: [{ host: 'a.example.com', paths: [{ path: '/x', pathType: 'ImplementationSpecific', backend: { service: { name: 'svc', port: { name: 'http' } } } }] }],
    });
  });

  it('flattens List items', () => {
    const ing = (name: string) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: 'n' },
      spec: { defaultBackend: { service: { name: 's', port: { number: 1 } } } },
    });
    const { ingresses } = collect({ apiVersion: 'v1', kind: 'List', items: [ing('a'), ing('b')] });
    expect(ingresses.map((i) => i.name)).toEqual(['a', 'b']);
  });

  it('skips a bad path but keeps the rest of the Ingress', () => {
    const { ingresses, findings } = collect({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x', namespace: 'n' },
      spec: {
        rules: [
          {
            host: 'h.example.com',
            http: {
              paths: [
                { path: '/ok', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } },
                { path: '/bad', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 70000 } } } },
                { path: '/worse', pathType: 'Fuzzy', backend: { service: { name: 's', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    });
    expect(ingresses[0]?.rules[0]?.paths.map((p) => p.path)).toEqual(['/ok']);
    expect(findings.map((f) => f.message)).toEqual([
      'spec.rules[0].http.paths[1].backend.service.port.number 70000 is not a port number (1-65535); path skipped',
      'spec.rules[0].http.paths[2].pathType "Fuzzy" is not Exact, Prefix or ImplementationSpecific; path skipped',
    ]);
  });

  it.each([
    [{ metadata: {} }, 'metadata.name is missing'],
    [{ metadata: { name: 'x' } }, 'spec is missing'],
    [{ metadata: { name: 'x' }, spec: {} }, 'spec has neither rules nor a defaultBackend'],
    [{ metadata: { name: 'x' }, spec: { rules: [{ host: 'bad host!' }] } }, 'is not a valid DNS name'],
    [{ metadata: { name: 'x' }, spec: { rules: 'nope' } }, 'spec.rules is not a list'],
  ])('rejects an invalid Ingress with one clear finding (%#)', (partial, message) => {
    const { ingresses, findings } = collect({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...partial });
    expect(ingresses).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
    expect(findings[0]?.severity).toBe('error');
  });

  it('reports documents that are not objects and unknown Ingress versions', () => {
    expect(collect('text').findings[0]?.id).toBe('input.not-an-object');
    expect(collect({ kind: 'Ingress' }).findings[0]?.id).toBe('input.not-an-object');
    expect(collect({ apiVersion: 'networking.k8s.io/v2', kind: 'Ingress', metadata: { name: 'x' } }).findings[0]?.id).toBe('input.unsupported-version');
  });

  it('counts other kinds and keeps Services, IngressClasses and ConfigMaps', () => {
    const into = emptyCollected();
    const opts = { defaultNamespace: 'd' };
    collectDocument({ apiVersion: 'apps/v1', kind: 'Deployment' }, { source: 'f' }, opts, into);
    collectDocument({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'http', port: 80 }] } }, { source: 'f' }, opts, into);
    collectDocument(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
      { source: 'f' },
      opts,
      into,
    );
    expect(into.skippedKinds.get('Deployment')).toBe(1);
    expect(into.services[0]).toMatchObject({ namespace: 'd', name: 's', ports: [{ name: 'http', port: 80 }] });
    expect(into.ingressClasses[0]).toEqual({ name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true });
  });

  it('reads non-string annotation values as strings, with a warning', () => {
    const { ingresses, findings } = collect({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x', annotations: { 'nginx.ingress.kubernetes.io/use-regex': true } },
      spec: { defaultBackend: { service: { name: 's', port: { number: 1 } } } },
    });
    expect(ingresses[0]?.annotations['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    expect(findings[0]?.severity).toBe('warn');
  });

  it('keeps string maps in order, drops what is not a string and a __proto__ key', () => {
    const backend = { service: { name: 's', port: { number: 1 } } };
    const document = (annotations: unknown, labels: unknown) =>
      JSON.parse(JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x', annotations, labels }, spec: { defaultBackend: backend } })) as unknown;
    const strings = collect(document({ b: '1', a: 'two', '10': 'ten' }, { app: 'web', tier: 'front' }));
    expect(strings.findings).toEqual([]);
    expect(Object.entries(strings.ingresses[0]?.annotations ?? {})).toEqual([
      ['10', 'ten'],
      ['b', '1'],
      ['a', 'two'],
    ]);
    expect(strings.ingresses[0]?.labels).toEqual({ app: 'web', tier: 'front' });
    // JSON.parse makes `__proto__` an own key; the model never has one.
    const mixed = collect(JSON.parse(JSON.stringify(document({ a: 1, b: 'x', c: null }, { app: 'web', n: 2 })).replace('"b":"x"', '"__proto__":"p","b":"x"')));
    const annotations = mixed.ingresses[0]?.annotations ?? {};
    expect(Object.keys(annotations)).toEqual(['a', 'b']);
    expect(Object.prototype.hasOwnProperty.call(annotations, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(annotations)).toBe(Object.prototype);
    expect(mixed.ingresses[0]?.labels).toEqual({ app: 'web' });
    expect(mixed.findings.map((f) => [f.severity, f.subject.annotation])).toEqual([
      ['warn', 'a'],
      ['error', 'c'],
    ]);
    expect(mixed.findings[0]?.subject).toMatchObject({ ingresses: ['default/x'], source: 'f.yaml#1 (line 1)' });
    const protoLabel = collect(
      JSON.parse(
        '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"x","labels":{"__proto__":"p","a":"b"}},"spec":{"defaultBackend":{"service":{"name":"s","port":{"number":1}}}}}',
      ),
    );
    expect(Object.keys(protoLabel.ingresses[0]?.labels ?? {})).toEqual(['a']);
  });

  it('keeps every value right once the table of shared values is full', () => {
    const into = emptyCollected();
    const values: string[] = [];
    for (let i = 0; i < 10000; i++) values.push(i % 3 === 0 ? 'true' : `value-${i}`, `${i}`.repeat(1 + (i % 9)));
    for (let i = 0; i < values.length; i += 2) {
      const document = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `x${i}`, annotations: { a: values[i], b: values[i + 1] } },
        spec: { defaultBackend: { service: { name: 's', port: { number: 1 } } } },
      };
      collectDocument(JSON.parse(JSON.stringify(document)), { source: 'f' }, { defaultNamespace: 'd' }, into);
    }
    expect(into.ingresses.flatMap((ingress) => [ingress.annotations.a, ingress.annotations.b])).toEqual(values);
  });

  it('reads rules, paths and TLS hosts into lists of their own length', () => {
    const path = (p: string, port: number) => ({ path: p, pathType: 'Prefix', backend: { service: { name: 's', port: { number: port } } } });
    const { ingresses, findings } = collect({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x', namespace: 'n' },
      spec: {
        rules: [{ host: 'A.example.com', http: { paths: [path('/a', 0), path('/b', 80), path('/c', 0), path('/d', 81)] } }, { host: 'b.example.com' }, { http: { paths: [] } }],
        tls: [{ hosts: ['a.EXAMPLE.com', 7, 'c.example.com'], secretName: 's' }, { hosts: [] }, {}],
      },
    });
    const ingress = ingresses[0];
    expect(findings.map((f) => f.message)).toEqual([
      'spec.rules[0].http.paths[0].backend.service.port.number 0 is not a port number (1-65535); path skipped',
      'spec.rules[0].http.paths[2].backend.service.port.number 0 is not a port number (1-65535); path skipped',
    ]);
    expect(findings[0]?.subject).toEqual(findings[1]?.subject);
    expect(ingress?.rules).toEqual([
      { host: 'a.example.com', paths: [path('/b', 80), path('/d', 81)].map((p) => ({ ...p, backend: { service: { name: 's', port: { number: p.backend.service.port.number } } } })) },
      { host: 'b.example.com', paths: [] },
      { paths: [] },
    ]);
    expect(ingress?.rules[0]?.paths).toHaveLength(2);
    expect(ingress?.tls).toEqual([{ hosts: ['a.example.com', 'c.example.com'], secretName: 's' }, { hosts: [] }, { hosts: [] }]);
    expect(ingress?.tls[0]?.hosts[0]).toBe(ingress?.rules[0]?.host);
  });
});

describe('own', () => {
  it('returns the same text, short or long', () => {
    const text = 'prefix: svc-9134.apps.example.com and more';
    for (const s of ['', 'a', 'short-string', text.slice(8, 33), text, 'é'.repeat(20)]) expect(own(s)).toBe(s);
  });
});

describe('isHostName', () => {
  it('agrees with the DNS name pattern', () => {
    const fixed = ['a', 'a.b', '*.a.b', '*.', '*', '*.*.a', 'a..b', '.a', 'a.', '-a', 'a-', 'a-b', 'a--b.c', '0.9', 'xn--bcher-kva.example', 'A.b', 'a_b', 'a.b-', 'a.-b', '', '*a.b', 'a.*.b'];
    const pieces = ['a', 'z', '0', '9', '-', '.', '*', '*.', '_', 'A', 'é', ' '];
    let seed = 7;
    const random: string[] = [];
    for (let i = 0; i < 20000; i++) {
      let s = '';
      for (let n = (seed = (seed * 1103515245 + 12345) % 2147483648) % 9; n > 0; n--) s += pieces[(seed = (seed * 1103515245 + 12345) % 2147483648) % pieces.length];
      random.push(s);
    }
    for (const host of [...fixed, ...random]) expect(isHostName(host), host).toBe(HOST_PATTERN.test(host));
  });
});

import { describe, expect, it } from 'vitest';
import { Capabilities, parseContourVersion } from './contour.js';
import type { Ingress } from './ingress.js';
import { buildHosts, nginxOrder, type MappedForModel } from './hosts.js';
import type { RoutePolicy } from './policy.js';

const ing = (namespace: string, name: string, creationTimestamp?: string): Ingress => ({
  namespace,
  name,
  annotations: {},
  labels: {},
  rules: [],
  tls: [],
  apiVersion: 'networking.k8s.io/v1',
  origin: { source: 't' },
  ...(creationTimestamp ? { creationTimestamp } : {}),
});

describe('nginxOrder', () => {
  it('puts the oldest first, breaks ties by namespace/name descending, undated last', () => {
    const list = [ing('a', 'x', '2024-01-02T00:00:00Z'), ing('z', 'undated'), ing('a', 'y', '2024-01-01T00:00:00Z'), ing('b', 'y', '2024-01-01T00:00:00Z'), ing('a', 'undated')];
    expect(list.sort(nginxOrder).map((i) => `${i.namespace}/${i.name}`)).toEqual(['b/y', 'a/y', 'a/x', 'z/undated', 'a/undated']);
  });

  it('compares timestamps as times, not strings', () => {
    expect(nginxOrder(ing('a', 'a', '2024-01-01T10:00:00+02:00'), ing('a', 'b', '2024-01-01T09:00:00Z'))).toBeLessThan(0);
  });
});

describe('buildHosts: Ingresses in nginx order', () => {
  const caps = new Capabilities('httpproxy', parseContourVersion('1.33')!);
  /** The Ingresses in the order buildHosts took them: each has its own path on one host, and routes are numbered as they are added. */
  const takenOrder = (ingresses: Ingress[]): string[] => {
    const mapped: MappedForModel[] = ingresses.map((i, n) => ({
      ingress: { ...i, rules: [{ host: 'h.example.com', paths: [{ path: `/p${n}`, pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] }] },
      policy: { route: {}, host: {} },
      isCanary: false,
    }));
    const routes = buildHosts(mapped, { caps, services: [] }).hosts[0]!.routes.filter((r) => !r.implicit);
    return routes.sort((a, b) => a.order! - b.order!).map((r) => r.source.ingress);
  };
  /** Many Ingresses with few distinct times (ties), some undated, some names repeated. */
  const fleet = (stamp: (n: number) => string | undefined): Ingress[] => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    return Array.from({ length: 300 }, () => ing(`ns${next() % 5}`, `i${next() % 40}`, next() % 10 === 0 ? undefined : stamp(next() % 12)));
  };
  const expected = (ingresses: Ingress[]): string[] => [...ingresses].sort(nginxOrder).map((i) => `${i.namespace}/${i.name}`);

  it('orders whole-second timestamps, ties and undated Ingresses as nginxOrder', () => {
    const list = fleet((t) => `2023-0${(t % 9) + 1}-1${t % 3}T0${t % 4}:00:0${t % 2}Z`);
    expect(takenOrder(list)).toEqual(expected(list));
  });

  it('orders other timestamp forms (fractions, offsets, before 1970) as nginxOrder', () => {
    const forms = ['2024-01-01T00:00:00.500Z', '2024-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2024-01-01T01:00:00+01:00', '2024-01-01T00:00:00.250Z'];
    const list = fleet((t) => forms[t % forms.length]);
    expect(takenOrder(list)).toEqual(expected(list));
  });
});

describe('buildHosts: nginx locations', () => {
  type P = [path: string, type?: 'Exact' | 'Prefix'];
  const caps = new Capabilities('httpproxy', parseContourVersion('1.33')!);
  let day = 0;
  const mainline = (name: string, paths: P[], route: RoutePolicy = {}, host = 'h.example.com'): MappedForModel => ({
    ingress: {
      ...ing(name, name, `2024-01-${String(++day).padStart(2, '0')}T00:00:00Z`),
      rules: [{ host, paths: paths.map(([path, pathType = 'Prefix']) => ({ path, pathType, backend: { service: { name, port: { number: 80 } } } })) }],
    },
    policy: { route, host: {} },
    isCanary: false,
  });
  const build = (...mapped: MappedForModel[]) => {
    day = 0;
    const table = buildHosts(mapped, { caps, services: [] });
    const host = table.hosts[0]!;
    return {
      regexMode: host.regexMode,
      // nginx's implicit `/` (default backend) is not a claim of any Ingress path.
      routes: host.routes.filter((r) => !r.implicit).map((r) => `${r.source.ingress} ${r.match.kind} ${r.match.path}`),
      ids: table.findings.map((f) => `${f.id} ${f.subject.ingresses.map((i) => `Ingress ${i}`).join(', ')}`),
      messages: table.findings.map((f) => f.message),
    };
  };

  describe('regex mode comes only from Ingresses that keep a location', () => {
    it.each<[string, () => MappedForModel[], boolean]>([
      ['use-regex on an Ingress whose only path lost its claim', () => [mainline('a', [['/x']]), mainline('b', [['/x']], { useRegex: true })], false],
      ['use-regex on an Ingress that keeps one of its paths', () => [mainline('a', [['/x']]), mainline('b', [['/x'], ['/y']], { useRegex: true })], true],
      ['rewrite-target equal to the only path', () => [mainline('a', [['/x']]), mainline('b', [['/same']], { rewriteTarget: '/same' })], false],
      // The implicit `/` of the creator has the creator's rewrite-target too, and `/` differs from it.
      ['rewrite-target equal to the only path of the Ingress that created the host', () => [mainline('a', [['/same']], { rewriteTarget: '/same' })], true],
      ['rewrite-target on a path that lost its claim', () => [mainline('a', [['/x']]), mainline('b', [['/x']], { rewriteTarget: '/' })], false],
      ['rewrite-target on a kept path', () => [mainline('a', [['/x']]), mainline('b', [['/z']], { rewriteTarget: '/' })], true],
      // The creator's annotations also sit on the server's implicit `/` location ...
      ['use-regex on the Ingress that created the host, without paths', () => [mainline('a', [], { useRegex: true }), mainline('b', [['/x']])], true],
      // ... until a Prefix / path of another Ingress replaces that location.
      ["the creator's implicit / replaced by a Prefix /", () => [mainline('a', [], { useRegex: true }), mainline('b', [['/']])], false],
      ['an Exact / does not replace the implicit /', () => [mainline('a', [], { useRegex: true }), mainline('b', [['/', 'Exact']])], true],
    ])('%s', (_name, input, regexMode) => {
      expect(build(...input()).regexMode).toBe(regexMode);
    });

    it('a path whose backend is a resource makes no location, so it switches nothing', () => {
      // (created after `a`: the creator's annotations would reach the implicit `/`)
      const first = mainline('a', [['/x']]);
      const resource = mainline('r', [['/files']], { useRegex: true });
      resource.ingress.rules[0]!.paths[0]!.backend = { resource: { kind: 'StorageBucket', name: 'b' } };
      expect(build(first, resource).regexMode).toBe(false);
    });

    it('reports the lost claim of a regex Ingress as a plain duplicate', () => {
      const r = build(mainline('a', [['/x']]), mainline('b', [['/x']], { useRegex: true }));
      expect(r.ids).toEqual(['route.duplicate-path Ingress b/b']);
      expect(r.routes).toEqual(['a/a segment /x']);
    });
  });

  describe('location normalisation: Prefix /p is location /p/ plus = /p', () => {
    it('Prefix /p and Prefix /p/ of two Ingresses collide; the older is kept and both are named', () => {
      const r = build(mainline('old', [['/p']]), mainline('new', [['/p/']]));
      expect(r.ids).toEqual(['route.location-collision Ingress new/new']);
      expect(r.messages[0]).toContain('old/old');
      expect(r.messages[0]).toContain('location /p/');
      expect(r.routes).toEqual(['old/old segment /p']);
    });

    it('the order does not matter: the later path loses', () => {
      const r = build(mainline('old', [['/p/']]), mainline('new', [['/p']]));
      expect(r.ids).toEqual(['route.location-collision Ingress new/new']);
      expect(r.routes).toEqual(['old/old dir /p/']);
    });

    it('collides inside one Ingress too', () => {
      const r = build(mainline('one', [['/q/'], ['/q']]));
      expect(r.ids).toEqual(['route.location-collision Ingress one/one']);
      expect(r.routes).toEqual(['one/one dir /q/']);
    });

    it('Exact /p next to Prefix /p/ and Exact /p/ next to Prefix /p/ are distinct locations', () => {
      expect(build(mainline('a', [['/p', 'Exact']]), mainline('b', [['/p/']])).ids).toEqual([]);
      expect(build(mainline('a', [['/p/', 'Exact']]), mainline('b', [['/p/']])).ids).toEqual([]);
      expect(build(mainline('a', [['/p', 'Exact']]), mainline('b', [['/p']])).ids).toEqual([]);
    });

    it('a path repeated after a location of the other type is added again by nginx: duplicate location', () => {
      const r = build(mainline('e', [['/a', 'Exact']]), mainline('p1', [['/a']]), mainline('p2', [['/a']]));
      expect(r.ids).toEqual(['route.location-collision Ingress p2/p2']);
      expect(r.messages[0]).toContain('p1/p1');
      expect(r.routes).toEqual(['e/e exact /a', 'p1/p1 segment /a']);
    });

    it('a repeated path whose first location has its type is only ignored', () => {
      const r = build(mainline('p1', [['/a']]), mainline('e', [['/a', 'Exact']]), mainline('p2', [['/a']]));
      expect(r.ids).toEqual(['route.duplicate-path Ingress p2/p2']);
    });

    it("two Exact / collide: the server's implicit / (Prefix) is always the first / location", () => {
      const r = build(mainline('a', [['/', 'Exact']]), mainline('b', [['/', 'Exact']]));
      expect(r.ids).toEqual(['route.location-collision Ingress b/b']);
      expect(r.messages[0]).toContain('location = /');
    });

    it('regex mode has no such collision: nginx accepts repeated regex locations', () => {
      const r = build(mainline('old', [['/p']]), mainline('new', [['/p/']]), mainline('rx', [['/z']], { useRegex: true }));
      expect(r.ids).toEqual([]);
      expect(r.regexMode).toBe(true);
    });
  });
});

describe('buildHosts: host-level settings', () => {
  const caps = new Capabilities('httpproxy', parseContourVersion('1.33')!);
  const withRules = (name: string, hosts: string[], created: string, appRoot?: string): MappedForModel => ({
    ingress: {
      ...ing('ns', name, created),
      rules: hosts.map((host) => ({ host, paths: [{ path: `/${name}`, pathType: 'Prefix' as const, backend: { service: { name, port: { number: 80 } } } }] })),
    },
    policy: { route: {}, host: appRoot ? { appRoot } : {} },
    isCanary: false,
  });

  it('applies them once to each host of the rules, with few rules or many, and leaves other hosts without', () => {
    for (const count of [3, 20]) {
      const names = Array.from({ length: count }, (_, i) => `h${i % 5}.example.com`);
      const table = buildHosts(
        [withRules('a', names, '2024-01-01T00:00:00Z', '/app'), withRules('b', names, '2024-01-02T00:00:00Z', '/other'), withRules('c', ['plain.example.com'], '2024-01-03T00:00:00Z')],
        {
          caps,
          services: [],
        },
      );
      const distinct = [...new Set(names)];
      for (const fqdn of distinct) {
        const host = table.hosts.find((h) => h.fqdn === fqdn)!;
        expect(host.policy).toEqual({ appRoot: '/app' });
        expect(host.policySources).toEqual({ appRoot: 'ns/a' });
      }
      expect(table.hosts.find((h) => h.fqdn === 'plain.example.com')!.policy).toEqual({});
      // One finding per host for the later Ingress's ignored setting, not one per rule.
      expect(table.findings.filter((f) => f.id === 'annotation.ignored-host-level').map((f) => f.subject.host)).toEqual(distinct);
    }
  });
});

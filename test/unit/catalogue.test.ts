// The annotation catalogue (mappings/*.yaml) against an independent, hand-typed
// list of ingress-nginx annotation keys, plus the rules every entry must follow.
// The key lists below are typed from the research notes (nginx-annotations.md §2)
// and ingress-nginx's history, never generated from mappings/.
import { describe, expect, it } from 'vitest';
import { loadCatalogue, type CatalogueEntry, type TargetMapping } from '../../src/map/catalogue.js';
import { TRANSFORMS } from '../../src/map/transforms/index.js';

/** The 130 keys of ingress-nginx's annotations.md (controller v1.15.1). */
const DOCUMENTED_KEYS = [
  // routing / rewrite
  'rewrite-target',
  'use-regex',
  'app-root',
  'x-forwarded-prefix',
  'server-alias',
  'default-backend',
  'custom-http-errors',
  // TLS, HTTPS enforcement and redirects
  'ssl-redirect',
  'force-ssl-redirect',
  'preserve-trailing-slash',
  'from-to-www-redirect',
  'permanent-redirect',
  'permanent-redirect-code',
  'temporal-redirect',
  'temporal-redirect-code',
  'ssl-passthrough',
  'ssl-ciphers',
  'ssl-prefer-server-ciphers',
  // backend protocol and upstream TLS
  'backend-protocol',
  'proxy-ssl-secret',
  'proxy-ssl-verify',
  'proxy-ssl-verify-depth',
  'proxy-ssl-name',
  'proxy-ssl-server-name',
  'proxy-ssl-ciphers',
  'proxy-ssl-protocols',
  'proxy-http-version',
  'service-upstream',
  // canary
  'canary',
  'canary-by-header',
  'canary-by-header-value',
  'canary-by-header-pattern',
  'canary-by-cookie',
  'canary-weight',
  'canary-weight-total',
  // session affinity and load balancing
  'affinity',
  'affinity-mode',
  'affinity-canary-behavior',
  'session-cookie-name',
  'session-cookie-path',
  'session-cookie-domain',
  'session-cookie-samesite',
  'session-cookie-conditional-samesite-none',
  'session-cookie-expires',
  'session-cookie-max-age',
  'session-cookie-secure',
  'session-cookie-change-on-failure',
  'load-balance',
  'upstream-hash-by',
  'upstream-hash-by-subset',
  'upstream-hash-by-subset-size',
  // authentication
  'auth-type',
  'auth-secret',
  'auth-secret-type',
  'auth-realm',
  'auth-url',
  'auth-method',
  'auth-signin',
  'auth-signin-redirect-param',
  'auth-response-headers',
  'auth-proxy-set-headers',
  'auth-request-redirect',
  'auth-cache-key',
  'auth-cache-duration',
  'auth-keepalive',
  'auth-keepalive-share-vars',
  'auth-keepalive-requests',
  'auth-keepalive-timeout',
  'auth-always-set-cookie',
  'auth-snippet',
  'enable-global-auth',
  'satisfy',
  'auth-tls-secret',
  'auth-tls-verify-client',
  'auth-tls-verify-depth',
  'auth-tls-error-page',
  'auth-tls-pass-certificate-to-upstream',
  'auth-tls-match-cn',
  // access control by source IP
  'whitelist-source-range',
  'denylist-source-range',
  // CORS
  'enable-cors',
  'cors-allow-origin',
  'cors-allow-methods',
  'cors-allow-headers',
  'cors-expose-headers',
  'cors-allow-credentials',
  'cors-max-age',
  // timeouts, retries, buffering, body size
  'proxy-connect-timeout',
  'proxy-send-timeout',
  'proxy-read-timeout',
  'proxy-next-upstream',
  'proxy-next-upstream-timeout',
  'proxy-next-upstream-tries',
  'proxy-request-buffering',
  'proxy-buffering',
  'proxy-buffers-number',
  'proxy-buffer-size',
  'proxy-busy-buffers-size',
  'proxy-max-temp-file-size',
  'proxy-body-size',
  'client-body-buffer-size',
  // rate limiting
  'limit-rps',
  'limit-rpm',
  'limit-burst-multiplier',
  'limit-connections',
  'limit-rate',
  'limit-rate-after',
  'limit-whitelist',
  // headers, Host, cookie/Location rewriting
  'upstream-vhost',
  'custom-headers',
  'connection-proxy-header',
  'proxy-cookie-domain',
  'proxy-cookie-path',
  'proxy-redirect-from',
  'proxy-redirect-to',
  // snippets
  'configuration-snippet',
  'server-snippet',
  'stream-snippet',
  'modsecurity-snippet',
  // WAF, logging, tracing, HTTP/2 push, mirroring
  'enable-modsecurity',
  'enable-owasp-core-rules',
  'modsecurity-transaction-id',
  'enable-access-log',
  'enable-rewrite-log',
  'enable-opentelemetry',
  'opentelemetry-trust-incoming-span',
  'http2-push-preload',
  'mirror-target',
  'mirror-host',
  'mirror-request-body',
];

/** The 8 keys the parsers accept but annotations.md does not list. */
const PARSER_ONLY_KEYS = [
  'allowlist-source-range',
  'limit-allowlist',
  'disable-proxy-intercept-errors',
  'fastcgi-index',
  'fastcgi-params-configmap',
  'opentelemetry-operation-name',
  'relative-redirects',
  'use-port-in-redirects',
];

/** Keys removed from ingress-nginx that old manifests still carry. */
const LEGACY_KEYS = [
  'secure-backends',
  'grpc-backend', // 0.21.0
  'add-base-url',
  'base-url-scheme', // 0.22.0
  'session-cookie-hash', // 0.24.0
  'enable-opentracing',
  'opentracing-trust-incoming-span', // 1.10.0
  'enable-influxdb',
  'influxdb-measurement',
  'influxdb-port',
  'influxdb-host',
  'influxdb-server-name', // 1.7.1
  'secure-verify-ca-secret', // inert since 0.27.0, gone in 1.7.1
  'lua-resty-waf',
  'lua-resty-waf-debug',
  'lua-resty-waf-ignore-rulesets',
  'lua-resty-waf-extra-rules',
  'lua-resty-waf-allow-unknown-content-types',
  'lua-resty-waf-score-threshold',
  'lua-resty-waf-process-multipart-body', // 0.27.0
  'global-rate-limit',
  'global-rate-limit-window',
  'global-rate-limit-key',
  'global-rate-limit-ignored-cidrs', // 1.12.0
  'mirror-uri', // 0.29.0 (became mirror-target)
  'upstream-max-fails',
  'upstream-fail-timeout', // 0.21.0
  'vts-filter-key', // 0.16.0
];

const SNIPPET_KEYS = ['configuration-snippet', 'server-snippet', 'stream-snippet', 'modsecurity-snippet', 'auth-snippet'];

const ALIASES: Record<string, string> = { 'whitelist-source-range': 'allowlist-source-range', 'limit-whitelist': 'limit-allowlist' };

const EXPECTED_KEYS = [...DOCUMENTED_KEYS, ...PARSER_ONLY_KEYS, ...LEGACY_KEYS];

const TARGETS = ['ingressroute', 'httpproxy'] as const;
const FIDELITIES = ['exact', 'approximate', 'unsupported'];
const SEVERITIES = ['info', 'warn', 'error'];
const SCOPES = ['ingress', 'host'];
const INVALID = ['silent-default', 'location-denied', 'ingress-skipped', 'none'];
/** Keys that act on the whole host (first Ingress wins, or OR-ed over the host). */
const HOST_KEYS = [
  'server-alias',
  'server-snippet',
  'ssl-ciphers',
  'ssl-prefer-server-ciphers',
  'use-regex',
  'app-root',
  'ssl-passthrough',
  'from-to-www-redirect',
  'auth-tls-secret',
  'auth-tls-verify-client',
  'auth-tls-verify-depth',
  'auth-tls-error-page',
  'auth-tls-pass-certificate-to-upstream',
  'auth-tls-match-cn',
  'proxy-ssl-secret',
  'proxy-ssl-verify',
  'proxy-ssl-verify-depth',
  'proxy-ssl-name',
  'proxy-ssl-server-name',
  'proxy-ssl-ciphers',
  'proxy-ssl-protocols',
];

const catalogue = loadCatalogue();
const entries = catalogue.entries();

/** Runs a check per entry and returns the failures, each naming its key. */
function problems(check: (e: CatalogueEntry) => string[]): string[] {
  return entries.flatMap((e) => check(e).map((p) => `${e.key}: ${p}`));
}

describe('expected key list (typed by hand)', () => {
  it('has 130 documented + 8 parser-only keys, no duplicates', () => {
    expect(DOCUMENTED_KEYS.length).toBe(130);
    expect(PARSER_ONLY_KEYS.length).toBe(8);
    const dupes = EXPECTED_KEYS.filter((k, i) => EXPECTED_KEYS.indexOf(k) !== i);
    expect(dupes, `listed twice: ${dupes.join(', ')}`).toEqual([]);
  });
});

describe('catalogue coverage', () => {
  it('has an entry for every expected key', () => {
    const missing = EXPECTED_KEYS.filter((k) => !catalogue.get(k));
    expect(missing, `keys without an entry in mappings/: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no entry that is not an expected key', () => {
    const extra = entries.map((e) => e.key).filter((k) => !EXPECTED_KEYS.includes(k));
    expect(extra, `entries for keys not in the expected list: ${extra.join(', ')}`).toEqual([]);
  });

  it('marks exactly the legacy keys as legacy', () => {
    const wrong = problems((e) => (Boolean(e.legacy) !== LEGACY_KEYS.includes(e.key) ? [`legacy is ${String(e.legacy)}`] : []));
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('gives valueType snippet to exactly the snippet keys', () => {
    const wrong = problems((e) => ((e.valueType === 'snippet') !== SNIPPET_KEYS.includes(e.key) ? [`valueType is ${e.valueType}`] : []));
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('marks canary: true on exactly the keys nginx still reads on a canary Ingress', () => {
    // nginx-annotations.md §1.6: canary-*, affinity*/session-cookie-*, load-balance, upstream-hash-by*.
    const honoured = (k: string): boolean => !LEGACY_KEYS.includes(k) && /^(canary|canary-.+|affinity|affinity-.+|session-cookie-.+|load-balance|upstream-hash-by(-.+)?)$/.test(k);
    const wrong = problems((e) => ((e.canary === true) !== honoured(e.key) ? [`canary is ${String(e.canary)}`] : []));
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('puts the host-level keys at host scope and nothing else', () => {
    const wrong = problems((e) => ((e.scope === 'host') !== HOST_KEYS.includes(e.key) ? [`scope is ${e.scope}`] : []));
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});

describe('entry fields', () => {
  it('families have a name and a title', () => {
    const bad = catalogue.families.filter((f) => !f.family.trim() || !f.title.trim() || f.title === f.family).map((f) => f.file);
    expect(bad, `families without a real title: ${bad.join(', ')}`).toEqual([]);
  });

  it('every entry has valid enums and non-empty texts', () => {
    const bad = problems((e) => {
      const out: string[] = [];
      if (typeof e.valueType !== 'string' || !e.valueType.trim()) out.push('valueType missing');
      if (!SCOPES.includes(e.scope)) out.push(`scope ${String(e.scope)}`);
      if (!INVALID.includes(e.invalid)) out.push(`invalid ${String(e.invalid)}`);
      if (typeof e.nginx !== 'string' || !e.nginx.trim()) out.push('nginx sentence missing');
      else if (/\n/.test(e.nginx.trim())) out.push('nginx sentence spans lines');
      if (e.default !== undefined && typeof e.default !== 'string') out.push(`default must be a string, is ${typeof e.default}`);
      if (e.values !== undefined && (!Array.isArray(e.values) || e.values.length === 0 || e.values.some((v) => typeof v !== 'string'))) out.push('values must be a non-empty list of strings');
      if (e.values !== undefined && e.valueType !== 'enum') out.push('values given but valueType is not enum');
      if (e.valueType === 'enum' && e.values === undefined) out.push('enum without values');
      if (e.default !== undefined && e.values !== undefined && !e.values.includes(e.default)) out.push(`default ${e.default} not among values`);
      if (e.legacy !== undefined && typeof e.legacy !== 'boolean') out.push('legacy must be a boolean');
      if (e.canary !== undefined && typeof e.canary !== 'boolean') out.push('canary must be a boolean');
      if (e.transform !== undefined && (typeof e.transform !== 'string' || !e.transform)) out.push('transform must be a name');
      for (const t of TARGETS) {
        const m = e[t] as TargetMapping | undefined;
        if (!m) {
          out.push(`${t} mapping missing`);
          continue;
        }
        if (!FIDELITIES.includes(m.fidelity)) out.push(`${t}.fidelity ${String(m.fidelity)}`);
        if (!SEVERITIES.includes(m.severity)) out.push(`${t}.severity ${String(m.severity)}`);
        if (typeof m.message !== 'string' || !m.message.trim()) out.push(`${t}.message missing`);
        else if (/[\r\n]/.test(m.message.trim())) out.push(`${t}.message is not one line`);
        if (m.minContour !== undefined && !/^1\.\d+$/.test(String(m.minContour))) out.push(`${t}.minContour ${String(m.minContour)} is not a quoted 1.x version`);
        if (m.field !== undefined && (typeof m.field !== 'string' || !m.field.trim())) out.push(`${t}.field empty`);
      }
      return out;
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('legacy entries are unsupported everywhere and say nginx ignores them', () => {
    const bad = problems((e) => {
      if (!e.legacy) return [];
      const out: string[] = [];
      if (e.transform) out.push('legacy entry names a transform');
      for (const t of TARGETS) {
        if (e[t].fidelity !== 'unsupported') out.push(`${t} is ${e[t].fidelity}`);
        if (!/ignored by current ingress-nginx/i.test(e[t].message)) out.push(`${t}.message does not say current ingress-nginx ignores it`);
      }
      return out;
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('snippet entries are error severity on both targets', () => {
    const bad = problems((e) =>
      e.valueType === 'snippet'
        ? TARGETS.flatMap((t) => [...(e[t].severity !== 'error' ? [`${t}.severity is ${e[t].severity}`] : []), ...(e[t].fidelity !== 'unsupported' ? [`${t}.fidelity is ${e[t].fidelity}`] : [])])
        : [],
    );
    expect(bad, bad.join('\n')).toEqual([]);
  });
});

describe('transforms and honesty', () => {
  it('every transform named by an entry exists', () => {
    const bad = problems((e) => (e.transform !== undefined && !TRANSFORMS[e.transform] ? [`transform "${e.transform}" is not in TRANSFORMS`] : []));
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('every key a transform consumes has an entry naming that transform', () => {
    const bad: string[] = [];
    for (const [name, transform] of Object.entries(TRANSFORMS)) {
      for (const key of transform.keys) {
        const entry = catalogue.get(key);
        if (!entry) bad.push(`${key}: consumed by transform ${name} but has no entry`);
        else if (entry.transform !== name) bad.push(`${key}: consumed by transform ${name} but the entry names ${String(entry.transform)}`);
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it("every entry naming a transform is among that transform's keys", () => {
    const bad = problems((e) => {
      if (!e.transform) return [];
      const t = TRANSFORMS[e.transform];
      return t && !t.keys.includes(e.key) ? [`names transform ${e.transform}, which does not list it in keys`] : [];
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('exact or approximate fidelity only where a transform converts the key', () => {
    const bad = problems((e) => TARGETS.filter((t) => e[t].fidelity !== 'unsupported' && !e.transform).map((t) => `${t} is ${e[t].fidelity} but no transform converts it`));
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('unconverted keys carry no Contour field (the message names it instead)', () => {
    const bad = problems((e) => (e.transform ? [] : TARGETS.filter((t) => e[t].field !== undefined || e[t].minContour !== undefined).map((t) => `${t} has field/minContour but nothing is emitted`)));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});

describe('aliases', () => {
  it('aliasOf points at an existing entry that is not itself an alias', () => {
    const bad = problems((e) => {
      if (e.aliasOf === undefined) return [];
      const target = catalogue.get(e.aliasOf);
      if (!target) return [`aliasOf ${e.aliasOf}, which has no entry`];
      if (target.aliasOf !== undefined) return [`aliasOf ${e.aliasOf}, which is itself an alias of ${target.aliasOf}`];
      if (target.key === e.key) return ['aliasOf itself'];
      return [];
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('exactly the documented aliases are aliases, and they map like their canonical key', () => {
    const bad = problems((e) => {
      const expected = ALIASES[e.key];
      if (e.aliasOf !== expected) return [`aliasOf is ${String(e.aliasOf)}, expected ${String(expected)}`];
      if (!expected) return [];
      const canonical = catalogue.get(expected);
      if (!canonical) return [];
      const out: string[] = [];
      if (e.transform !== canonical.transform) out.push(`transform ${String(e.transform)} differs from ${expected}'s ${String(canonical.transform)}`);
      for (const t of TARGETS) {
        if (e[t].fidelity !== canonical[t].fidelity) out.push(`${t}.fidelity differs from ${expected}`);
        if (e[t].severity !== canonical[t].severity) out.push(`${t}.severity differs from ${expected}`);
      }
      return out;
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });
});

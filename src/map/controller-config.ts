// Resolves what an ingress-nginx controller was told (flags + ConfigMap, as found) into the
// settings the conversion uses, with nginx's own parsing rules: an invalid value keeps nginx's
// default (nginx logs and ignores it), and every flag and key gets a verdict finding naming
// where it came from.
import { NGINX_SETTINGS_DEFAULT, type ControllerConfig, type NamespacedName, type NginxSettings, type RiskLevel } from '../model/controller.js';
import { finding, type Fidelity, type Finding, type Severity } from '../model/findings.js';
import type { Capabilities } from '../model/contour.js';
import { idleTimeouts, NGINX_DEFAULT_RETRY } from '../model/nginx-defaults.js';
import type { RetryIntent, TimeoutIntent } from '../model/policy.js';
import { parseCidr } from './cidr.js';
import { mapNextUpstream } from './transforms/retries.js';
import type { ControllerCatalogue, ControllerEntry } from './controller-catalogue.js';
import { parseGoBool, parseGoInt, showValue, splitList } from './values.js';

export interface ResolvedController {
  settings: NginxSettings;
  findings: Finding[];
}

/**
 * Without the controller's ConfigMap, the gates that decide whether nginx loads an Ingress at all
 * are unknown (and differ between releases: the High risk level is a v1.12+
 * defaults). The Ingresses are taken as served the way they are written, so nothing is dropped unseen.
 */
export const ASSUMED_WITHOUT_CONFIGMAP: Partial<NginxSettings> = {
  allowSnippetAnnotations: true,
  annotationsRiskLevel: 'Critical',
  strictValidatePathType: false,
};

/** Without the controller's flags, ssl-passthrough annotations are taken as enabled (--enable-ssl-passthrough). */
export const ASSUMED_WITHOUT_FLAGS: Partial<NginxSettings> = { enableSslPassthrough: true };

export const ASSUMED_WITHOUT_CONTROLLER: Partial<NginxSettings> = { ...ASSUMED_WITHOUT_CONFIGMAP, ...ASSUMED_WITHOUT_FLAGS };

const RISK_LEVELS: readonly RiskLevel[] = ['Low', 'Medium', 'High', 'Critical'];
const NEXT_UPSTREAM_TOKENS = new Set(['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429', 'non_idempotent', 'off']);
const REDIRECT_CODES = new Set([301, 302, 307, 308]);

/** The controller's configuration → NginxSettings and one verdict finding per flag and ConfigMap key. */
export function resolveControllerConfig(config: ControllerConfig | undefined, catalogue: ControllerCatalogue): ResolvedController {
  const settings = cloneSettings(NGINX_SETTINGS_DEFAULT);
  if (!config) {
    Object.assign(settings, ASSUMED_WITHOUT_CONTROLLER);
    return {
      settings,
      findings: [
        finding(
          'controller.defaults-assumed',
          'info',
          {},
          {
            reason:
              "no controller configuration was given (--nginx-configmap, --nginx-args): nginx's defaults are assumed, and the Ingresses are taken as nginx served them as written (ssl-passthrough and snippets enabled, no risk-level refusals)",
          },
        ),
      ],
    };
  }
  const findings: Finding[] = [];
  const flagsSource = `flags of ${config.source}`;
  const flagNames = Object.keys(config.args).sort();
  if (flagNames.length === 0) {
    Object.assign(settings, ASSUMED_WITHOUT_FLAGS);
    findings.push(
      finding(
        'controller.defaults-assumed',
        'info',
        { source: flagsSource },
        { reason: "the controller's flags were not given (--nginx-args): their defaults are assumed, and ssl-passthrough annotations are taken as enabled" },
      ),
    );
  }
  for (const name of flagNames) {
    const value = config.args[name] ?? '';
    const entry = catalogue.flag(name);
    if (!entry) {
      findings.push(
        finding(
          'controller.unknown-key',
          'warn',
          { source: flagsSource },
          { kind: 'flag', key: `--${name}`, value: showValue(value), consequence: 'the controller refuses to start with an unknown flag; not applied' },
        ),
      );
      continue;
    }
    findings.push(...judge(entry, `--${name}`, value, flagsSource, applyFlag(settings, name, value, entry)));
  }
  const cmSource = `ConfigMap ${config.configMapSource ?? config.args.configmap ?? `of ${config.source}`}`;
  // Known flags without --configmap: the controller has no ConfigMap, so nginx's defaults hold as they are.
  const hasNoConfigMap = flagNames.length > 0 && config.args.configmap === undefined;
  if (config.configMapUnknown || (config.configMapSource === undefined && Object.keys(config.configMap).length === 0 && !hasNoConfigMap)) {
    Object.assign(settings, ASSUMED_WITHOUT_CONFIGMAP);
    findings.push(
      finding(
        'controller.defaults-assumed',
        'info',
        { source: cmSource },
        {
          reason:
            "the controller's ConfigMap was not given (--nginx-configmap): nginx's defaults are assumed, and the Ingresses are taken as nginx loaded them (snippets enabled, no risk-level refusals)",
        },
      ),
    );
  }
  for (const key of Object.keys(config.configMap).sort()) {
    const value = config.configMap[key] ?? '';
    const entry = catalogue.configMapKey(key);
    if (!entry) {
      findings.push(
        finding('controller.unknown-key', 'warn', { source: cmSource }, { kind: 'ConfigMap key', key, value: showValue(value), consequence: 'nginx ignores it, and so does the conversion' }),
      );
      continue;
    }
    findings.push(...judge(entry, key, value, cmSource, applyKey(settings, key, value, entry)));
  }
  return { settings, findings };
}

/** The verdict of one key, or its invalid-value finding (nginx keeps its default then). */
function judge(entry: ControllerEntry, key: string, value: string, source: string, problem: string | undefined): Finding[] {
  if (problem !== undefined) return [finding('controller.invalid-value', problem.startsWith('!') ? 'error' : 'warn', { source }, { key, value: showValue(value), reason: problem.replace(/^!/, '') })];
  const same = sameAsDefault(entry, value);
  const severity: Severity = same ? 'info' : entry.severity;
  const fidelity: Fidelity = entry.verdict === 'unsupported' && !same ? 'unsupported' : severity === 'info' ? 'exact' : 'approximate';
  const message = same ? `${entry.message} (same as nginx's default)` : entry.message;
  return [finding('controller.setting', severity, { source }, { key, value: showValue(value), verdict: entry.verdict, message }, fidelity)];
}

function sameAsDefault(entry: ControllerEntry, value: string): boolean {
  const v = value.trim();
  if (entry.type === 'bool') return parseGoBool(v) !== undefined && parseGoBool(v) === parseGoBool(entry.default);
  if (entry.type === 'int') return parseGoInt(v) !== undefined && parseGoInt(v) === parseGoInt(entry.default);
  if (entry.type === 'list' || entry.type === 'cidrs' || entry.type === 'codes') return splitList(v).join(',') === splitList(entry.default).join(',');
  return v === entry.default;
}

/** A generic check by type; undefined when the value parses. */
function typeProblem(entry: ControllerEntry, raw: string): string | undefined {
  const v = raw.trim();
  switch (entry.type) {
    case 'bool':
      return parseGoBool(v) === undefined ? 'not a boolean' : undefined;
    case 'int':
      return parseGoInt(v) === undefined ? 'not a whole number' : undefined;
    case 'float':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? undefined : 'not a number';
    case 'size':
      return /^\d+[bkmgBKMG]?$/.test(v) ? undefined : 'not an nginx size (e.g. 8k, 1m)';
    case 'time':
      return /^(\d+(ms|s|m|h|d|w|M|y)?\s*)+$/.test(v) ? undefined : 'not an nginx time (e.g. 30s, 5m)';
    case 'enum':
      return entry.values?.includes(v) ? undefined : `not one of ${(entry.values ?? []).join(', ')}`;
    default:
      return undefined;
  }
}

const nsName = (v: string): NamespacedName | undefined => {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(v.trim());
  return m ? { namespace: m[1]!, name: m[3]! } : undefined;
};

/** Applies one flag; returns why it is invalid (nginx then refuses to start: `!` marks an error). */
function applyFlag(s: NginxSettings, name: string, value: string, entry: ControllerEntry): string | undefined {
  const problem = typeProblem(entry, value);
  if (problem) return `!${problem}; the controller does not start with it`;
  const v = value.trim();
  switch (name) {
    case 'ingress-class':
      s.ingressClass = v;
      break;
    case 'watch-ingress-without-class':
      s.watchIngressWithoutClass = parseGoBool(v) === true;
      break;
    case 'annotations-prefix':
      s.annotationsPrefix = v.replace(/\/+$/, '');
      break;
    case 'enable-ssl-passthrough':
      s.enableSslPassthrough = parseGoBool(v) === true;
      break;
    case 'watch-namespace':
      s.watchNamespaces = splitList(v);
      break;
    case 'default-ssl-certificate':
    case 'default-backend-service': {
      const ref = nsName(v);
      if (!ref) return '!not namespace/name; the controller does not start with it';
      if (name === 'default-ssl-certificate') s.defaultSslCertificate = ref;
      else s.defaultBackendService = ref;
      break;
    }
  }
  return undefined;
}

/** Applies one ConfigMap key; returns why the value is invalid (nginx keeps its default then). */
function applyKey(s: NginxSettings, key: string, value: string, entry: ControllerEntry): string | undefined {
  const problem = typeProblem(entry, value);
  const keeps = `nginx ignores it and keeps its default (${entry.default === '' ? 'none' : entry.default})`;
  if (problem) return `${problem}: ${keeps}`;
  const v = value.trim();
  const bool = (): boolean => parseGoBool(v) === true;
  const int = (): number => parseGoInt(v) ?? 0;
  switch (key) {
    case 'ssl-redirect':
      s.sslRedirect = bool();
      break;
    case 'force-ssl-redirect':
      s.forceSslRedirect = bool();
      break;
    case 'http-redirect-code':
      if (!REDIRECT_CODES.has(int())) return `not 301, 302, 307 or 308: ${keeps}`;
      s.httpRedirectCode = int();
      break;
    case 'no-tls-redirect-locations':
      s.noTlsRedirectLocations = splitList(v);
      break;
    case 'hsts':
      s.hsts.enabled = bool();
      break;
    case 'hsts-max-age':
      s.hsts.maxAge = int();
      break;
    case 'hsts-include-subdomains':
      s.hsts.includeSubdomains = bool();
      break;
    case 'hsts-preload':
      s.hsts.preload = bool();
      break;
    case 'ssl-protocols':
      s.sslProtocols = splitList(v, ' ');
      break;
    case 'ssl-ciphers':
      s.sslCiphers = v;
      break;
    case 'proxy-connect-timeout':
      s.proxyConnectTimeout = int();
      break;
    case 'proxy-read-timeout':
      s.proxyReadTimeout = int();
      break;
    case 'proxy-send-timeout':
      s.proxySendTimeout = int();
      break;
    case 'proxy-body-size':
      s.proxyBodySize = v;
      break;
    case 'proxy-next-upstream': {
      const tokens = splitList(v, ' ');
      const bad = tokens.filter((t) => !NEXT_UPSTREAM_TOKENS.has(t));
      if (tokens.length === 0 || bad.length > 0) return `unknown token(s) ${bad.join(', ') || '(empty)'}: ${keeps}`;
      s.proxyNextUpstream = tokens;
      break;
    }
    case 'proxy-next-upstream-tries':
      if (int() < 0) return `negative: ${keeps}`;
      s.proxyNextUpstreamTries = int();
      break;
    case 'load-balance':
      s.loadBalance = v;
      break;
    case 'upstream-hash-by':
      if (v !== '') s.upstreamHashBy = v;
      break;
    case 'custom-http-errors': {
      // nginx reads each code with Atoi and skips the ones that fail.
      const codes = splitList(v).map((c) => parseGoInt(c));
      s.customHttpErrors = codes.filter((c): c is number => c !== undefined);
      if (codes.some((c) => c === undefined)) return `some entries are not status codes: nginx skips them (kept: ${s.customHttpErrors.join(', ') || 'none'})`;
      break;
    }
    case 'use-forwarded-headers':
      s.useForwardedHeaders = bool();
      break;
    case 'use-proxy-protocol':
      s.useProxyProtocol = bool();
      break;
    case 'enable-real-ip':
      s.enableRealIp = bool();
      break;
    case 'forwarded-for-header':
      s.forwardedForHeader = v;
      break;
    case 'compute-full-forwarded-for':
      s.computeFullForwardedFor = bool();
      break;
    case 'proxy-real-ip-cidr':
    case 'whitelist-source-range':
    case 'denylist-source-range':
    case 'block-cidrs': {
      const items = splitList(v);
      const bad = items.filter((i) => !parseCidr(i));
      if (key === 'proxy-real-ip-cidr') {
        if (bad.length > 0) return `entries ${bad.map((b) => showValue(b)).join(', ')} are not IPs or CIDRs: nginx fails its configuration test with it`;
        s.proxyRealIpCidr = items;
        break;
      }
      if (bad.length > 0) {
        // nginx renders every entry into allow/deny directives: a bad one fails its configuration
        // test, so this configuration never served anything. Fail closed rather than open.
        s.denyAllReason = `ConfigMap ${key} has entries that are not IPs or CIDRs`;
        return `!entries ${bad.map((b) => showValue(b)).join(', ')} are not IPs or CIDRs: nginx cannot load this access list, so every route answers 503 rather than being published open`;
      }
      if (key === 'whitelist-source-range') s.allowlistSourceRange = items;
      else if (key === 'denylist-source-range') s.denylistSourceRange = items;
      else s.blockCidrs = items;
      break;
    }
    case 'allow-snippet-annotations':
      s.allowSnippetAnnotations = bool();
      break;
    case 'annotations-risk-level':
      s.annotationsRiskLevel = RISK_LEVELS.find((r) => r === v) ?? s.annotationsRiskLevel;
      break;
    case 'annotation-value-word-blocklist':
      s.annotationValueWordBlocklist = splitList(v);
      break;
    case 'strict-validate-path-type':
      s.strictValidatePathType = bool();
      break;
    case 'global-auth-url':
      if (v !== '') s.globalAuthUrl = v;
      break;
    case 'log-format-upstream':
      s.logFormatUpstream = v;
      break;
    case 'log-format-escape-json':
      s.logFormatEscapeJson = bool();
      break;
    case 'ssl-dh-param':
      if (v !== '') s.sslDhParam = v;
      break;
    case 'global-rate-limit-memcached-host':
      if (v !== '') s.globalRateLimitMemcachedHost = v;
      break;
  }
  return undefined;
}

function cloneSettings(s: NginxSettings): NginxSettings {
  return structuredClone(s);
}

/** `--nginx-args`: the controller's command line as one string → flags without dashes (bare bool flags → "true"). */
export function parseControllerArgs(text: string, catalogue: ControllerCatalogue): { args: Record<string, string> } | { error: string } {
  const tokens = shellWords(text);
  if ('error' in tokens) return tokens;
  const args: Record<string, string> = {};
  const words = tokens.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) {
      // The binary itself (/nginx-ingress-controller), copied with its args.
      if (i === 0) continue;
      return { error: `"${w}" is not a flag (flags start with --)` };
    }
    const body = w.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq > 0) {
      args[body.slice(0, eq)] = body.slice(eq + 1);
      continue;
    }
    if (body === '') return { error: `"${w}" is not a flag` };
    const entry = catalogue.flag(body);
    const next = words[i + 1];
    // Go's flag package: a bool flag never takes the next word; other flags do.
    if (entry?.type === 'bool' || next === undefined || next.startsWith('-')) args[body] = 'true';
    else {
      args[body] = next;
      i++;
    }
  }
  return { args };
}

/** Splits like a POSIX shell: whitespace separates, single and double quotes group, backslash escapes. */
function shellWords(text: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) return { error: `unterminated ${quote} quote` };
  if (inWord) words.push(current);
  return { words };
}

/**
 * What a route without its own timeout/retry annotations gets under these settings; undefined
 * fields keep the emitters' nginx defaults (so an untouched ConfigMap changes no output).
 */
export function routeDefaults(settings: NginxSettings, caps: Capabilities): { timeouts: TimeoutIntent; retry?: RetryIntent } {
  const d = NGINX_SETTINGS_DEFAULT;
  const timeouts = idleTimeouts(settings.proxyReadTimeout, settings.proxySendTimeout);
  const sameRetry = settings.proxyNextUpstream.join(' ') === d.proxyNextUpstream.join(' ') && settings.proxyNextUpstreamTries === d.proxyNextUpstreamTries;
  if (!caps.has('retryOn')) return { timeouts };
  if (sameRetry) return { timeouts, retry: NGINX_DEFAULT_RETRY };
  const tries = settings.proxyNextUpstreamTries;
  // Same rules as the proxy-next-upstream annotation (src/map/transforms/retries.ts).
  if (settings.proxyNextUpstream.includes('off') || tries === 1) return { timeouts, retry: { count: -1 } };
  const { retryOn, codes } = mapNextUpstream(settings.proxyNextUpstream);
  const retry: RetryIntent = { count: tries === 0 ? 10 : tries - 1, retryOn };
  if (codes.length > 0) retry.retriableStatusCodes = codes;
  return { timeouts, retry };
}

/** Whether nginx checked source ranges against a forwarded client address instead of the peer. */
export const checksForwardedAddress = (s: NginxSettings): boolean => s.useForwardedHeaders || s.enableRealIp || s.useProxyProtocol;

// Contour versions and the features each one added (HTTPProxy), so the planner
// and the transforms never emit a field the user's Contour would reject.

export type Target = 'ingressroute' | 'httpproxy';

export const CURRENT_CONTOUR = '1.33';
/** IngressRoute was removed in Contour 1.6; 1.5 is the newest that serves it. */
export const LAST_INGRESSROUTE_CONTOUR = '1.5';

/** Minimum Contour minor version per HTTPProxy feature. */
export const HTTPPROXY_FEATURES = {
  includes: '1.0',
  pathRewrite: '1.1',
  headersPolicy: '1.1',
  serviceProtocol: '1.1',
  tcpproxyInclude: '1.3',
  clientValidation: '1.4',
  retryOn: '1.7',
  corsPolicy: '1.9',
  authorization: '1.9',
  rateLimitLocal: '1.12',
  requestHash: '1.12',
  skipClientCertValidation: '1.15',
  hashSourceIP: '1.20',
  retryDisable: '1.20',
  queryParameterHash: '1.21',
  corsRegexOrigin: '1.23',
  optionalClientCertificate: '1.24',
  ingressClassName: '1.18',
  wildcardFqdn: '1.20',
  requestRedirect: '1.20',
  directResponse: '1.22',
  exactPath: '1.25',
  ipFilters: '1.25',
  redirect30x: '1.25',
  regexPath: '1.26',
  headerRegex: '1.26',
  treatMissingAsEmpty: '1.26',
} as const;

export type Feature = keyof typeof HTTPPROXY_FEATURES;

/**
 * Minimum Contour minor version per cluster-wide setting (contour.yaml key, and the same
 * ContourConfiguration field once that CRD exists). From the versioned configuration docs and
 * changelogs of Contour (site/content/docs/<version>/configuration.md, changelogs/).
 */
export const CONTOUR_CONFIG_FEATURES = {
  /** ContourConfiguration appeared in 1.19 (alpha); before 1.21 several of its fields were required, so a partial one is emitted from 1.21. */
  contourConfiguration: '1.21',
  tlsMinimumProtocolVersion: '1.4',
  tlsMaximumProtocolVersion: '1.26',
  cipherSuites: '1.13',
  fallbackCertificate: '1.5',
  numTrustedHops: '1.13',
  useProxyProtocol: '1.0',
  /** The timeouts block (request-timeout, stream-idle-timeout). */
  timeouts: '1.7',
  connectTimeout: '1.21',
  accessLogJsonFields: '1.4',
  accessLogFormatString: '1.18',
  globalExtAuth: '1.25',
} as const;

export type ContourConfigFeature = keyof typeof CONTOUR_CONFIG_FEATURES;

export interface ContourVersion {
  major: number;
  minor: number;
}

export function parseContourVersion(text: string): ContourVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** The parsed version constants: the feature tables are asked per route, a regex per call showed in profiles. */
const CONSTANTS = new Map<string, ContourVersion>();

export function versionAtLeast(v: ContourVersion, min: string): boolean {
  let m = CONSTANTS.get(min);
  if (m === undefined) {
    m = parseContourVersion(min);
    if (!m) throw new Error(`bad version constant ${min}`);
    CONSTANTS.set(min, m);
  }
  return v.major > m.major || (v.major === m.major && v.minor >= m.minor);
}

export const formatVersion = (v: ContourVersion): string => `${v.major}.${v.minor}`;

/** What the chosen target at the chosen Contour version can express. */
export class Capabilities {
  /** Answers per feature, computed once: has() is asked for every route. */
  private readonly known = new Map<Feature, boolean>();

  constructor(
    readonly target: Target,
    readonly version: ContourVersion,
  ) {}

  has(feature: Feature): boolean {
    let yes = this.known.get(feature);
    if (yes === undefined) {
      yes = this.target === 'httpproxy' && versionAtLeast(this.version, HTTPPROXY_FEATURES[feature]);
      this.known.set(feature, yes);
    }
    return yes;
  }
}

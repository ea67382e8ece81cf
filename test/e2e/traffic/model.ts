// The scenario model of the traffic suite: Ingresses, requests, and the answer ingress-nginx
// gives (from its documented behaviour and e2e tests, never from this tool's output).
import yaml from 'js-yaml';
import type { FindingId } from '../../../src/model/findings.js';
import type { BackendProto } from '../harness/netns.js';
import type { Request, Response, Target } from './client.js';

/** Compares a header value: exact string, regex, comma list in any order/spacing, or absent (null). */
export type Matcher = string | RegExp | null | { list: string[] };

export interface Answer {
  status: number;
  /** `namespace/service` of the echo backend that answered; absent when the proxy answered itself. */
  backend?: string;
  /** Path and query the backend received. */
  path?: string;
  /** Host (or :authority) the backend received. */
  host?: string;
  /** Request headers the backend received (lower-case names). */
  headers?: Record<string, Matcher>;
  /** HTTP version the backend spoke (`1.1`, `2.0`) and its listener protocol. */
  httpVersion?: string;
  proto?: BackendProto;
  location?: string;
  responseHeaders?: Record<string, Matcher>;
  grpcStatus?: string;
  /** Substring of the served certificate's subjectAltName. */
  certName?: string;
}

export interface FindingMatch {
  id: FindingId;
  /** Short annotation key, e.g. `affinity`. */
  annotation?: string;
  /** Substring of the message. */
  text?: string;
}

/** An approximate mapping: the tool reports `finding`, and Contour answers `ours` instead. */
export interface Difference {
  finding: FindingMatch;
  ours: Partial<Answer>;
  /** One line, for the summary. */
  what: string;
}

export interface RequestCase {
  name: string;
  req: Omit<Request, 'host'> & { host?: string };
  nginx: Answer;
  differs?: Difference;
  /** Set when the converted objects route differently from nginx and the tool does not say so. */
  bug?: string;
  /** Why the real ingress-nginx oracle cannot answer this request (the hand-written answer is used). */
  oracleGap?: string;
}

export interface Ctx {
  target: Target;
  send(req: Request): Promise<Response>;
}

/**
 * A check that needs more than one request (statistics, stickiness, limits). run() asserts
 * nginx's behaviour, or, with `differs`, the documented difference.
 */
export interface CheckCase {
  name: string;
  /** What nginx does, for the summary. */
  nginx: string;
  run(ctx: Ctx, host: string): Promise<void>;
  differs?: Omit<Difference, 'ours'>;
  bug?: string;
  oracleGap?: string;
}

export type PathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

export interface IngressSpec {
  ns: string;
  name: string;
  host: string;
  ann?: Record<string, string>;
  paths: Array<[path: string, pathType: PathType, service: string, port?: number]>;
  /** `secret: ''` is a TLS entry without secretName (the controller's default certificate). */
  tls?: { secret: string; hosts?: string[] };
  /** The Ingress class; null for none (default: nginx). */
  className?: string | null;
  /** creationTimestamp: nginx processes the oldest first. */
  created?: string;
}

export interface BackendOverride {
  proto?: BackendProto;
  instances?: number;
}

export interface Scenario {
  id: string;
  /** Annotation family for the summary. */
  family: string;
  title: string;
  host: string;
  ingresses: IngressSpec[];
  /** `namespace/service` → protocol and endpoint count of its backend. */
  backends?: Record<string, BackendOverride>;
  /** TLS secrets to generate (namespace, name, hosts). */
  secrets?: Array<{ ns: string; name: string; hosts: string[] }>;
  requests: RequestCase[];
  checks?: CheckCase[];
  /** ConfigMap data the oracle controller runs this scenario with (over the harness defaults). */
  nginxConfig?: Record<string, string>;
  /** Controller flags (`--name=value`): the scenario gets a controller of its own started with them, and the conversion the same flags. */
  nginxArgs?: string[];
  /** Conversion options other than the CLI defaults (e.g. `--include-scope none`). */
  convert?: { includeScope?: 'auto' | 'prefix' | 'none' };
}

export const PREFIX = 'nginx.ingress.kubernetes.io/';

export function ingressObject(s: IngressSpec): Record<string, unknown> {
  const annotations = Object.fromEntries(Object.entries(s.ann ?? {}).map(([k, v]) => [k.includes('/') ? k : PREFIX + k, v]));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: s.name,
      namespace: s.ns,
      ...(s.created ? { creationTimestamp: s.created } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...(s.className === null ? {} : { ingressClassName: s.className ?? 'nginx' }),
      ...(s.tls ? { tls: [{ hosts: s.tls.hosts ?? [s.host], ...(s.tls.secret ? { secretName: s.tls.secret } : {}) }] } : {}),
      rules: [
        {
          host: s.host,
          http: {
            paths: s.paths.map(([p, pathType, svc, port]) => ({
              path: p,
              pathType,
              backend: { service: { name: svc, port: { number: port ?? 80 } } },
            })),
          },
        },
      ],
    },
  };
}

export function scenarioYaml(s: Scenario): string {
  return s.ingresses.map((i) => yaml.dump(ingressObject(i))).join('---\n');
}

/** Every Service the scenario's Ingresses use, as `namespace/name` → port. */
export function servicesOf(s: Scenario): Array<{ namespace: string; name: string; port: number }> {
  const out = new Map<string, { namespace: string; name: string; port: number }>();
  for (const i of s.ingresses) {
    for (const [, , svc, port] of i.paths) out.set(`${i.ns}/${svc}`, { namespace: i.ns, name: svc, port: port ?? 80 });
  }
  return [...out.values()];
}

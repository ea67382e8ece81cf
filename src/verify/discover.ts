// Where the two controllers listen, found from their Services when no --*-address is given:
// the LoadBalancer status first, then a NodePort on a node's address. (No port-forward through
// the apiserver: when neither works the user is told to give the address.)
import type { Address } from './http.js';

type Obj = Record<string, unknown>;

/** What discovery needs of a cluster client (the CLI passes its KubeClient). */
export interface ListClient {
  listAll(path: string): Promise<Obj[]>;
}

interface ServiceLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { type?: string; ports?: { name?: string; port?: number; nodePort?: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

interface NodeLike {
  status?: { addresses?: { type?: string; address?: string }[] };
}

export type Controller = 'nginx' | 'contour';

export function isControllerService(svc: Obj, controller: Controller): boolean {
  const s = svc as ServiceLike;
  const name = s.metadata?.name ?? '';
  const labels = s.metadata?.labels ?? {};
  if (controller === 'nginx') {
    return labels['app.kubernetes.io/name'] === 'ingress-nginx' && labels['app.kubernetes.io/component'] === 'controller' && !name.endsWith('-admission') && !name.endsWith('-metrics');
  }
  return name === 'envoy' || labels['app.kubernetes.io/component'] === 'envoy' || labels.app === 'envoy';
}

/** The address a Service is reachable at from outside the cluster, or why it is not. */
export function serviceAddress(svc: Obj, nodes: readonly Obj[]): Address | string {
  const s = svc as ServiceLike;
  const id = `Service ${s.metadata?.namespace ?? '?'}/${s.metadata?.name ?? '?'}`;
  const ports = s.spec?.ports ?? [];
  const http = ports.find((p) => p.name === 'http') ?? ports.find((p) => p.port === 80);
  const https = ports.find((p) => p.name === 'https') ?? ports.find((p) => p.port === 443);
  if (!http) return `${id} has no http port (named http, or 80)`;
  const lb = s.status?.loadBalancer?.ingress?.[0];
  const lbHost = lb?.ip ?? lb?.hostname;
  if (s.spec?.type === 'LoadBalancer' && lbHost) return { host: lbHost, httpPort: http.port ?? 80, httpsPort: https?.port ?? 443 };
  if ((s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort') && http.nodePort) {
    const addrs = nodes.flatMap((n) => (n as NodeLike).status?.addresses ?? []);
    const node = addrs.find((a) => a.type === 'ExternalIP')?.address ?? addrs.find((a) => a.type === 'InternalIP')?.address;
    if (!node) return `${id} is a NodePort, but no node has an ExternalIP or InternalIP`;
    return { host: node, httpPort: http.nodePort, httpsPort: https?.nodePort ?? 443 };
  }
  return `${id} has neither a LoadBalancer address nor a NodePort`;
}

/** Finds one controller's address from the cluster; a string is the reason it could not. */
export async function discoverAddress(client: ListClient, controller: Controller): Promise<Address | string> {
  const services = (await client.listAll('/api/v1/services')).filter((s) => isControllerService(s, controller));
  const flag = `--${controller}-address`;
  if (services.length === 0) return `no ${controller === 'nginx' ? 'ingress-nginx controller' : 'Envoy (Contour)'} Service found; give ${flag}`;
  if (services.length > 1) {
    const names = services.map((s) => `${(s as ServiceLike).metadata?.namespace}/${(s as ServiceLike).metadata?.name}`).sort();
    return `several ${controller} Services (${names.join(', ')}); give ${flag}`;
  }
  const svc = services[0]!;
  const needsNodes = (svc as ServiceLike).spec?.type !== 'LoadBalancer' || !(svc as ServiceLike).status?.loadBalancer?.ingress?.length;
  const nodes = needsNodes ? await client.listAll('/api/v1/nodes') : [];
  const a = serviceAddress(svc, nodes);
  return typeof a === 'string' ? `${a}; give ${flag} (for example a kubectl port-forward)` : a;
}

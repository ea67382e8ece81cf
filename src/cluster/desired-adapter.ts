// Temporary bridge: derives DesiredObjects from the emitter's plain KubeObject list by reading
// the specs. The emitter will produce DesiredObjects itself; then this file goes away.
import type { KubeObject } from '../emit/objects.js';
import type { DesiredObject, DesiredRole } from './desired.js';
import { refKey, type ObjectRef } from './resources.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function desiredFromObjects(objects: KubeObject[]): DesiredObject[] {
  const delegations = objects.filter((o) => o.kind === 'TLSCertificateDelegation');
  const tcpChildren = new Set(objects.flatMap((o) => childRefs(o).filter((c) => c.tcp).map((c) => refKey(c))));
  return objects.map((object) => {
    const role: DesiredRole = object.kind === 'TLSCertificateDelegation' ? 'delegation'
      : isObj(object.spec.virtualhost) ? 'root'
      : tcpChildren.has(refKey(refOfObject(object))) ? 'tcp-child'
      : 'child';
    return { object, role, dependsOn: dependencyRefs(object, delegations).map(refKey) };
  });
}

const refOfObject = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });

/** The children a root includes (HTTPProxy) or delegates to (IngressRoute); tcp: from the tcpproxy. */
export function childRefs(o: KubeObject): (ObjectRef & { tcp: boolean })[] {
  const spec = o.spec;
  const out: (ObjectRef & { tcp: boolean })[] = [];
  const add = (name: unknown, namespace: unknown, tcp: boolean): void => {
    if (typeof name === 'string') out.push({ apiVersion: o.apiVersion, kind: o.kind, name, namespace: typeof namespace === 'string' && namespace ? namespace : o.metadata.namespace, tcp });
  };
  if (Array.isArray(spec.includes)) for (const inc of spec.includes) if (isObj(inc)) add(inc.name, inc.namespace, false);
  const routes = [...(Array.isArray(spec.routes) ? spec.routes.map((r: unknown) => ({ r, tcp: false })) : []), ...(isObj(spec.tcpproxy) ? [{ r: spec.tcpproxy, tcp: true }] : [])];
  for (const { r, tcp } of routes) {
    if (!isObj(r)) continue;
    if (isObj(r.delegate)) add(r.delegate.name, r.delegate.namespace, tcp);
    if (isObj(r.include)) add(r.include.name, r.include.namespace, tcp);
  }
  return out;
}

/**
 * Everything an object needs before it may be written: its children, and the
 * TLSCertificateDelegation (among `delegations`) that lets it use a secret of another
 * namespace (`virtualhost.tls.secretName: ns/name`). Without the delegation Contour rejects
 * the whole virtual host.
 */
export function dependencyRefs(o: KubeObject, delegations: KubeObject[]): ObjectRef[] {
  const out: ObjectRef[] = childRefs(o).map(({ tcp: _tcp, ...ref }) => ref);
  const vhost = isObj(o.spec.virtualhost) ? o.spec.virtualhost : undefined;
  const secret = isObj(vhost?.tls) ? vhost.tls.secretName : undefined;
  if (typeof secret === 'string' && secret.includes('/')) {
    const [ns, name] = secret.split('/') as [string, string];
    const d = delegations.find((x) => x.metadata.namespace === ns && Array.isArray(x.spec.delegations)
      && x.spec.delegations.some((e) => isObj(e) && e.secretName === name));
    if (d) out.push(refOfObject(d));
  }
  return out;
}

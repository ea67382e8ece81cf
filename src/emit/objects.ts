// Shared shapes for emitted Kubernetes objects.
import type { RetryIntent, TimeoutIntent } from '../model/policy.js';
import type { Capabilities } from '../model/contour.js';
import type { Finding } from '../model/findings.js';
import type { Plan } from '../plan/plan.js';

export interface EmitOptions {
  caps: Capabilities;
  contourClass?: string;
  /** `ingress2contour <version>`, stamped on every object (see GENERATOR_ANNOTATION). */
  generator?: string;
  /** --defaults cluster: the route defaults Contour's configuration holds (left off the routes). */
  clusterDefaults?: ClusterDefaults;
  /** What a route without its own timeout/retry annotations gets: the controller's ConfigMap values (default: nginx's defaults). */
  routeDefaults?: { timeouts: TimeoutIntent; retry?: RetryIntent };
  /** Which address IP allow/deny lists check: the peer, or the forwarded client address (nginx trusted X-Forwarded-For / PROXY protocol). */
  ipSource?: 'Peer' | 'Remote';
}

/** Route defaults a ContourConfiguration holds for every route (what `--defaults cluster` leaves off the routes). */
export interface ClusterDefaults {
  /** envoy.timeouts.streamIdleTimeout: a route whose idle timeout equals it needs none of its own. */
  idle?: string;
}

export interface Emitted {
  objects: KubeObject[];
  findings: Finding[];
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ingress2contour';
export const SOURCES_ANNOTATION = 'ingress2contour/sources';
/** Which tool and version wrote the object, for people who keep the output in Git. */
export const GENERATOR_ANNOTATION = 'ingress2contour/generator';
export const CONTOUR_CLASS_ANNOTATION = 'projectcontour.io/ingress.class';
/** Set to `cluster` on objects whose routes rely on Contour's configuration for nginx's defaults (--defaults cluster). */
export const DEFAULTS_ANNOTATION = 'ingress2contour/defaults';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export interface MetaOptions {
  /** Contour ingress class to stamp on objects (Contour filters children by class too). */
  contourClass?: string;
  /** Put the class in the annotation (IngressRoute, HTTPProxy < 1.18) rather than spec. */
  classAsAnnotation: boolean;
  generator?: string | undefined;
  /** `cluster`: stamp DEFAULTS_ANNOTATION (the routes rely on Contour's configuration). */
  defaults?: 'cluster' | undefined;
}

/**
 * The labels of every emitted object, one frozen object for all of them (35k objects at 20k
 * Ingresses): nothing changes an emitted object's labels.
 */
const MANAGED_LABELS: Record<string, string> = Object.freeze({ [MANAGED_BY_LABEL]: MANAGED_BY });

/**
 * The annotations of an object with no sources and nothing else but the generator (every
 * TLSCertificateDelegation: 7.3k at 20k Ingresses), one frozen object per generator text, as the
 * labels are. Only the last generator is kept: a run has one.
 */
let generatorOnly: { generator: string; annotations: Record<string, string> } | undefined;

function generatorAnnotations(generator: string): Record<string, string> {
  if (generatorOnly?.generator !== generator) generatorOnly = { generator, annotations: Object.freeze({ [GENERATOR_ANNOTATION]: generator }) };
  return generatorOnly.annotations;
}

export function metadata(name: string, namespace: string, sources: string[], opts: MetaOptions): KubeObject['metadata'] {
  // Each object made as one literal of its final shape: a property added to a literal afterwards
  // goes to a separate property array (40 bytes more for each of 35k objects at 20k Ingresses).
  const plain = !opts.defaults && !(opts.contourClass && opts.classAsAnnotation);
  if (plain && opts.generator) {
    if (sources.length === 0) return { name, namespace, labels: MANAGED_LABELS, annotations: generatorAnnotations(opts.generator) };
    // Most objects: the keys are SOURCES_ANNOTATION and GENERATOR_ANNOTATION, written out so the
    // object has exactly two slots.
    // One source (most objects): the string itself, not a copy made by join.
    const list = sources.length === 1 ? sources[0]! : sources.join(',');
    return { name, namespace, labels: MANAGED_LABELS, annotations: { 'ingress2contour/sources': list, 'ingress2contour/generator': opts.generator } };
  }
  let annotations: Record<string, string> | undefined;
  if (opts.contourClass && opts.classAsAnnotation) (annotations ??= {})[CONTOUR_CLASS_ANNOTATION] = opts.contourClass;
  if (sources.length > 0) (annotations ??= {})[SOURCES_ANNOTATION] = sources.join(',');
  if (opts.generator) (annotations ??= {})[GENERATOR_ANNOTATION] = opts.generator;
  if (opts.defaults) (annotations ??= {})[DEFAULTS_ANNOTATION] = opts.defaults;
  return annotations ? { name, namespace, labels: MANAGED_LABELS, annotations } : { name, namespace, labels: MANAGED_LABELS };
}

/** Stable order of emitted objects: kind rank, namespace, name. */
export function sortObjects(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => (o.kind === 'TLSCertificateDelegation' ? 0 : o.spec.virtualhost ? 2 : 1);
  // The rank is computed once per object, not in the comparator (35k objects at 20k Ingresses).
  const keyed = objects.map((o) => ({ o, rank: rank(o), namespace: o.metadata.namespace, name: o.metadata.name }));
  keyed.sort((a, b) => a.rank - b.rank || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((k) => k.o);
}

/** One TLSCertificateDelegation per delegated secret, in the API group of the target. */
export function delegationObjects(p: Plan, apiVersion: string, meta: MetaOptions): KubeObject[] {
  return p.delegations.map((d) => ({
    apiVersion,
    kind: 'TLSCertificateDelegation',
    metadata: metadata(`ingress2contour-${d.secretName}`, d.namespace, [], meta),
    spec: { delegations: [{ secretName: d.secretName, targetNamespaces: d.targetNamespaces }] },
  }));
}

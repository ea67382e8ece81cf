// The normalized Ingress model: every accepted apiVersion (extensions/v1beta1,
// networking.k8s.io/v1beta1, networking.k8s.io/v1) is read into these shapes.

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** Where an object came from: a file (with document index and line) or a cluster. */
export interface Origin {
  /** File path as given by the user, `<stdin>`, or `cluster`. */
  source: string;
  /** 0-based document index within the file (multi-document YAML / List items flattened). */
  document?: number;
  /** 1-based line of the document start, when known. */
  line?: number;
  /** Index inside a `List` document. */
  item?: number;
}

export interface ServicePortRef {
  number?: number;
  name?: string;
}

export interface IngressBackend {
  /** Service backend; absent when the backend is a `resource` reference. */
  service?: { name: string; port: ServicePortRef };
  resource?: { kind: string; name: string };
}

export interface IngressPath {
  path: string;
  pathType: PathType;
  backend: IngressBackend;
}

export interface IngressRule {
  /** Lowercased host; undefined for host-less rules. */
  host?: string;
  paths: IngressPath[];
}

export interface IngressTLS {
  hosts: string[];
  secretName?: string;
}

export interface Ingress {
  namespace: string;
  name: string;
  /** ISO timestamp; missing in hand-written manifests. */
  creationTimestamp?: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules: IngressRule[];
  tls: IngressTLS[];
  /** The apiVersion it was read with (for messages). */
  apiVersion: string;
  origin: Origin;
}

export interface ServicePort {
  name?: string;
  port: number;
  appProtocol?: string;
}

export interface Service {
  namespace: string;
  name: string;
  type?: string;
  externalName?: string;
  ports: ServicePort[];
  annotations: Record<string, string>;
}

export interface IngressClass {
  name: string;
  controller?: string;
  isDefault: boolean;
}

export interface ConfigMap {
  namespace: string;
  name: string;
  data: Record<string, string>;
}

/** Everything the reader collected: the Ingresses plus the objects that help convert them. */
export interface InputSet {
  ingresses: Ingress[];
  services: Service[];
  ingressClasses: IngressClass[];
  configMaps: ConfigMap[];
}

export const ingressKey = (ing: { namespace: string; name: string }): string => `${ing.namespace}/${ing.name}`;

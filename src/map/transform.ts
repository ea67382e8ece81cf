// What an annotation transform is and what it sees. Kept apart from the engine that runs
// the transforms, so the transforms never import the engine (no import cycle).
import type { Capabilities, Feature, Target } from '../model/contour.js';
import type { NginxSettings } from '../model/controller.js';
import type { Severity } from '../model/findings.js';
import type { ConfigMap, Ingress, Service } from '../model/ingress.js';
import type { IngressPolicy } from '../model/policy.js';
import type { InvalidValueBehaviour } from './catalogue.js';

/** User choices that some transforms need. */
export interface TransformOptions {
  /** ExtensionService (gRPC ext_authz) that replaces auth-url. */
  authExtension?: { namespace: string; name: string };
}

/** What a transform sees: the Ingress, its values, and ways to state a verdict. */
export interface TransformContext {
  readonly ingress: Ingress;
  readonly caps: Capabilities;
  readonly target: Target;
  readonly services: Service[];
  readonly configMaps: ConfigMap[];
  readonly options: TransformOptions;
  /** The controller's settings: the defaults an absent annotation falls back to. */
  readonly settings: NginxSettings;
  /** Value of the key (or any alias of it), trimmed as nginx trims; undefined when absent. */
  get(key: string): string | undefined;
  /** Whether the target at this Contour version can express the key (per the catalogue). */
  supported(key: string): boolean;
  /**
   * The value is invalid for nginx. `message` says why (the value itself is shown by the
   * report). The catalogue's failure class adds the consequence: a denied location answers
   * 503, a skipped Ingress is not converted at all.
   */
  invalid(key: string, message: string, severity?: Severity, behaviour?: InvalidValueBehaviour): void;
  /** nginx ignores the annotation in this combination, and so does the output. */
  ignored(key: string, message: string): void;
  /** The mapping holds, with a difference specific to this value. */
  approximate(key: string, message: string, severity?: Severity): void;
  /** This value cannot be expressed (even though the annotation in general can). */
  unsupported(key: string, message: string, severity?: Severity): void;
  /** Exact for this value, even when the catalogue says approximate in general. */
  exact(key: string): void;
  /**
   * Whether the target at this Contour version has `feature`, which this value of `key`
   * needs; when not, the key's verdict says which Contour version would convert it.
   */
  requires(key: string, feature: Feature, what: string): boolean;
}

export interface Transform {
  /** Keys this transform consumes: each must have a catalogue entry naming the transform. */
  keys: readonly string[];
  /** Whether the controller's settings make this transform act on an Ingress without any of its keys. */
  global?(settings: NginxSettings): boolean;
  apply(ctx: TransformContext, policy: IngressPolicy): void;
}

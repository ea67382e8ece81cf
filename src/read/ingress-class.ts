// Which Ingresses ingress-nginx would serve: spec.ingressClassName first, then
// the kubernetes.io/ingress.class annotation, then class-less ones only on request.
import type { Ingress, IngressClass } from '../model/ingress.js';

export const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
export const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface ClassOptions {
  ingressClass: string;
  /** Also take Ingresses with no class at all (nginx's --watch-ingress-without-class). */
  includeClassless: boolean;
  /** IngressClass objects known from the input or the cluster. */
  classes: IngressClass[];
  /** The controller's --controller-class (default k8s.io/ingress-nginx). */
  controllerClass?: string;
}

export type ClassVerdict = { selected: true } | { selected: false; reason: string };

/** One verdict for every selected Ingress (read, never changed): not an object per Ingress. */
const SELECTED: ClassVerdict = Object.freeze({ selected: true });

export function selectByClass(ing: Ingress, opts: ClassOptions): ClassVerdict {
  const controller = opts.controllerClass ?? NGINX_CONTROLLER;
  const classes = opts.classes;
  if (ing.ingressClassName !== undefined) {
    // Plain loops over the classes: find() made a closure per Ingress.
    let cls: IngressClass | undefined;
    for (let i = 0; i < classes.length && cls === undefined; i++) if ((classes[i] as IngressClass).name === ing.ingressClassName) cls = classes[i];
    // A known IngressClass decides by its controller; without it, fall back to the name.
    if (cls?.controller !== undefined) {
      return cls.controller === controller || cls.name === opts.ingressClass ? SELECTED : { selected: false, reason: `class ${ing.ingressClassName} (controller ${cls.controller})` };
    }
    return ing.ingressClassName === opts.ingressClass ? SELECTED : { selected: false, reason: `class ${ing.ingressClassName}` };
  }
  const annotated = ing.annotations[CLASS_ANNOTATION];
  if (annotated !== undefined) {
    return annotated === opts.ingressClass ? SELECTED : { selected: false, reason: `class ${annotated}` };
  }
  let defaultClass: IngressClass | undefined;
  for (let i = 0; i < classes.length && defaultClass === undefined; i++) if ((classes[i] as IngressClass).isDefault) defaultClass = classes[i];
  if (defaultClass && (defaultClass.name === opts.ingressClass || defaultClass.controller === controller)) return SELECTED;
  return opts.includeClassless ? SELECTED : { selected: false, reason: 'no class' };
}

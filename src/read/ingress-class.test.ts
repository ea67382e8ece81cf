import { describe, expect, it } from 'vitest';
import type { Ingress } from '../model/ingress.js';
import { selectByClass } from './ingress-class.js';

const ing = (over: Partial<Ingress>): Ingress => ({ namespace: 'n', name: 'i', annotations: {}, labels: {}, rules: [], tls: [], apiVersion: 'networking.k8s.io/v1', origin: { source: 't' }, ...over });
const base = { ingressClass: 'nginx', includeClassless: false, classes: [] };

describe('selectByClass follows ingress-nginx', () => {
  it('spec.ingressClassName wins over the annotation', () => {
    expect(selectByClass(ing({ ingressClassName: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'traefik' } }), base).selected).toBe(true);
    expect(selectByClass(ing({ ingressClassName: 'traefik', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }), base).selected).toBe(false);
  });
  it('an IngressClass object decides by its controller', () => {
    const classes = [
      { name: 'public', controller: 'k8s.io/ingress-nginx', isDefault: false },
      { name: 'nginx', controller: 'traefik.io/ingress-controller', isDefault: false },
    ];
    expect(selectByClass(ing({ ingressClassName: 'public' }), { ...base, classes }).selected).toBe(true);
    expect(selectByClass(ing({ ingressClassName: 'nginx' }), { ...base, classes }).selected).toBe(true);
    expect(selectByClass(ing({ ingressClassName: 'other' }), { ...base, classes }).selected).toBe(false);
  });
  it('the annotation is read when spec has no class', () => {
    expect(selectByClass(ing({ annotations: { 'kubernetes.io/ingress.class': 'nginx' } }), base).selected).toBe(true);
    expect(selectByClass(ing({ annotations: { 'kubernetes.io/ingress.class': 'internal' } }), { ...base, ingressClass: 'internal' }).selected).toBe(true);
  });
  it('class-less Ingresses only on request or through a default nginx IngressClass', () => {
    expect(selectByClass(ing({}), base)).toEqual({ selected: false, reason: 'no class' });
    expect(selectByClass(ing({}), { ...base, includeClassless: true })).toEqual({ selected: true });
    // The first IngressClass of a name decides, and the first default one.
    const twice = [
      { name: 'nginx', controller: 'traefik.io/ingress-controller', isDefault: true },
      { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true },
    ];
    expect(selectByClass(ing({ ingressClassName: 'nginx' }), { ...base, ingressClass: 'x', classes: twice })).toEqual({
      selected: false,
      reason: 'class nginx (controller traefik.io/ingress-controller)',
    });
    expect(selectByClass(ing({}), { ...base, ingressClass: 'x', classes: twice })).toEqual({ selected: false, reason: 'no class' });
    expect(selectByClass(ing({}), { ...base, classes: [{ name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true }] }).selected).toBe(true);
  });
});

// The controller configuration a traffic scenario gives the real ingress-nginx, as the
// conversion receives it: the harness ConfigMap plus the scenario's keys and flags.
import type { ControllerConfig } from '../../../src/model/controller.js';
import { HARNESS_CONFIG } from '../harness/ingress-nginx.js';
import type { Scenario } from './model.js';

/** The ConfigMap (and flags) the oracle runs a scenario with, given to the conversion too: the same configuration on both sides. */
export function controllerOf(s: Scenario): { controller?: ControllerConfig } {
  if (!s.nginxConfig && !s.nginxArgs) return {};
  const extra = Object.fromEntries((s.nginxArgs ?? []).map((a) => a.replace(/^--/, '').split(/=(.*)/s, 2) as [string, string]));
  return {
    controller: {
      source: 'traffic harness ingress-nginx',
      ingressClasses: ['nginx'],
      args: { 'ingress-class': 'nginx', 'controller-class': 'k8s.io/ingress-nginx', ...extra },
      configMap: { ...HARNESS_CONFIG, ...(s.nginxConfig ?? {}) },
      configMapSource: `traffic harness (${s.id})`,
    },
  };
}

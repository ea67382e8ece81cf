// What the cluster layer is asked to write: each object with its role in the delegation
// tree and the objects that must exist before it (refKeys), so apply, diff and prune never
// re-parse specs to recover roots, children or dependencies.
import type { KubeObject } from '../emit/objects.js';

/**
 * delegation: a TLSCertificateDelegation; root: carries the virtual host; child: included by a
 * root's routes; tcp-child: included by a root's tcpproxy.
 */
export type DesiredRole = 'delegation' | 'child' | 'root' | 'tcp-child';

export interface DesiredObject {
  object: KubeObject;
  role: DesiredRole;
  /** refKeys (see resources.ts) of the objects that must exist before this one is written. */
  dependsOn: string[];
}

/** 0: delegations, 1: children, 2: roots. Written in this order, deleted in reverse. */
export const phaseOfRole = (role: DesiredRole): 0 | 1 | 2 => (role === 'delegation' ? 0 : role === 'root' ? 2 : 1);

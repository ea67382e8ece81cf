import { describe, expect, it } from 'vitest';
import type { Ingress } from './ingress.js';
import { nginxOrder } from './hosts.js';

const ing = (namespace: string, name: string, creationTimestamp?: string): Ingress => ({
  namespace,
  name,
  annotations: {},
  labels: {},
  rules: [],
  tls: [],
  apiVersion: 'networking.k8s.io/v1',
  origin: { source: 't' },
  ...(creationTimestamp ? { creationTimestamp } : {}),
});

describe('nginxOrder', () => {
  it('puts the oldest first, breaks ties by namespace/name descending, undated last', () => {
    const list = [ing('a', 'x', '2024-01-02T00:00:00Z'), ing('z', 'undated'), ing('a', 'y', '2024-01-01T00:00:00Z'), ing('b', 'y', '2024-01-01T00:00:00Z'), ing('a', 'undated')];
    expect(list.sort(nginxOrder).map((i) => `${i.namespace}/${i.name}`)).toEqual(['b/y', 'a/y', 'a/x', 'z/undated', 'a/undated']);
  });

  it('compares timestamps as times, not strings', () => {
    expect(nginxOrder(ing('a', 'a', '2024-01-01T10:00:00+02:00'), ing('a', 'b', '2024-01-01T09:00:00Z'))).toBeLessThan(0);
  });
});

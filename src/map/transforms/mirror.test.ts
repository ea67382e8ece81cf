import { describe, expect, it } from 'vitest';
import { mirrorService } from './mirror.js';

describe('mirrorService', () => {
  it.each([
    ['http://shadow:8080', { service: 'shadow', port: 8080 }],
    ['http://shadow.web.svc.cluster.local:8080$request_uri', { service: 'shadow', port: 8080 }],
    ['https://shadow.web.svc', { service: 'shadow', port: 443 }],
  ])('%s is a Service of the namespace', (url, expected) => {
    expect(mirrorService(url, 'web')).toEqual(expected);
  });
  it.each(['http://shadow.other.svc:80', 'https://collector.vendor.example/x', 'not a url'])('%s cannot be a Contour mirror', (url) => {
    expect(typeof mirrorService(url, 'web')).toBe('string');
  });
});

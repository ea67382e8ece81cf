import { describe, expect, it } from 'vitest';
import { mapNextUpstream } from './retries.js';

describe('mapNextUpstream', () => {
  it('maps nginx conditions to Envoy retry-on values', () => {
    expect(mapNextUpstream(['error', 'timeout'])).toEqual({ retryOn: ['connect-failure', 'refused-stream', 'reset'], codes: [], lost: [] });
    expect(mapNextUpstream(['http_502', 'http_504', 'http_404'])).toEqual({ retryOn: ['gateway-error', 'retriable-status-codes'], codes: [404], lost: [] });
    expect(mapNextUpstream(['invalid_header']).lost).toHaveLength(1);
  });
});

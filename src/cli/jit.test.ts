import { describe, expect, it } from 'vitest';
import { jitFlags } from './jit.js';

describe('jitFlags', () => {
  it.each([
    ['11.3.244.8-node.38', ['--no-turbo-inlining', '--no-turbo-loop-peeling']],
    ['11.8.172.17-node.20', ['--no-turbo-inlining', '--no-turbo-loop-peeling']],
    ['12.4.254.21-node.33', []],
    ['13.6.233.10-node.18', []],
    ['', []],
  ])('V8 %s → %j', (version, flags) => {
    expect(jitFlags(version)).toEqual(flags);
  });
});

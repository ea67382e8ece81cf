import { describe, expect, it } from 'vitest';
import { parseGoBool, parseGoInt, showValue } from './values.js';

describe('Go value parsing, as ingress-nginx reads annotations', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['T', true],
    ['False', false],
    ['0', false],
    [' true ', true],
  ])('ParseBool(%j) = %j', (v, expected) => {
    expect(parseGoBool(v)).toBe(expected);
  });
  it.each(['yes', 'on', 'TrUe', '', '2'])('ParseBool(%j) fails', (v) => {
    expect(parseGoBool(v)).toBeUndefined();
  });
  it.each([
    ['120', 120],
    ['-1', -1],
    ['+5', 5],
  ])('Atoi(%j) = %j', (v, expected) => {
    expect(parseGoInt(v)).toBe(expected);
  });
  it.each(['120s', '1.5', '', '1e3', '99999999999999999999'])('Atoi(%j) fails', (v) => {
    expect(parseGoInt(v)).toBeUndefined();
  });
  it('shows hostile values on one short line', () => {
    const shown = showValue(`a\r\nb${'x'.repeat(1000)}`);
    expect(shown).not.toMatch(/[\r\n]/);
    expect(shown.length).toBeLessThan(70);
  });
});

import { describe, expect, it } from 'vitest';
import { bySeverity, contentRows, pages, terminalRows } from './view.js';

describe('bySeverity', () => {
  it('puts errors first, then warnings, keeping the order within a severity', () => {
    const lines = [
      { severity: 'warn' as const, text: 'w1' },
      { severity: 'info' as const, text: 'i1' },
      { severity: 'error' as const, text: 'e1' },
      { severity: 'warn' as const, text: 'w2' },
      { severity: 'error' as const, text: 'e2' },
    ];
    expect(bySeverity(lines).map((l) => l.text)).toEqual(['e1', 'e2', 'w1', 'w2', 'i1']);
  });
});

describe('pages', () => {
  it('keeps an item whole when it fits on a page of its own', () => {
    expect(pages([['a'], ['b1', 'b2', 'b3'], ['c']], 3)).toEqual([['a'], ['b1', 'b2', 'b3'], ['c']]);
  });
  it('splits only an item taller than a page', () => {
    expect(pages([['a1', 'a2', 'a3', 'a4', 'a5']], 2)).toEqual([['a1', 'a2'], ['a3', 'a4'], ['a5']]);
  });
  it('shows at least one row per page however small the terminal', () => {
    expect(pages([['a'], ['b']], 0)).toEqual([['a'], ['b']]);
  });
});

describe('terminalRows', () => {
  it('cuts a line into the rows the terminal shows', () => {
    expect(terminalRows('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(terminalRows('', 3)).toEqual(['']);
  });
});

describe('contentRows', () => {
  it('leaves room for the question, its choices and the key help on tall terminals only', () => {
    // 15 rows, 5 choices, 1 heading row: question + blank row, no key help below 20 rows.
    expect(contentRows(15, 5, 1)).toBe(7);
    expect(contentRows(40, 5, 1)).toBe(31);
    expect(contentRows(5, 5, 1)).toBe(2);
  });
});

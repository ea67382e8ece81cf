import { describe, expect, it } from 'vitest';
import { parseCsvRecord, parseGoDuration, parseGoIntBits } from './go-values.js';

describe('time.ParseDuration', () => {
  it.each([
    ['2160h', 2160 * 3600e9],
    ['1h30m', 5400e9],
    ['90m', 5400e9],
    ['.5h', 1800e9],
    ['1.5h', 5400e9],
    ['0', 0],
    ['-1h', -3600e9],
    ['300ms', 300e6],
  ])('%s is %d ns', (v, ns) => expect(parseGoDuration(v)).toBe(ns));
  it.each(['', '90d', '1', 'h', '1h ', ' 1h', '1.h.5', '.h', '1e3h', '3000000h'])('%j is refused', (v) => expect(typeof parseGoDuration(v)).toBe('string'));
});

describe('strconv.ParseInt', () => {
  it.each([
    ['7', 32, 7],
    ['+7', 32, 7],
    ['-1', 32, -1],
    ['2147483647', 32, 2147483647],
  ] as const)('%s (%d bits) is %d', (v, bits, n) => expect(parseGoIntBits(v, bits)).toBe(n));
  it.each([
    ['2147483648', 32],
    ['7 ', 32],
    ['0x10', 64],
    ['1_000', 64],
    ['', 32],
  ] as const)('%j (%d bits) is refused', (v, bits) => expect(typeof parseGoIntBits(v, bits)).toBe('string'));
});

describe('one CSV record (encoding/csv)', () => {
  it.each([
    ['Acme', ['Acme']],
    ['Acme,Umbrella Corp', ['Acme', 'Umbrella Corp']],
    ['"10 Downing Street, Westminster",Manchester', ['10 Downing Street, Westminster', 'Manchester']],
    ['"say ""hi""",b', ['say "hi"', 'b']],
    ['a, b', ['a', ' b']],
    ['a,', ['a', '']],
    ['\na,b\n', ['a', 'b']],
  ])('%j', (v, fields) => expect(parseCsvRecord(v)).toEqual(fields));
  it.each(['', 'a\nb', 'ab"c', '"open', '"a"b'])('%j is refused', (v) => expect(typeof parseCsvRecord(v)).toBe('string'));
});

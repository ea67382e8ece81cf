import { describe, expect, it } from 'vitest';
import { contains, formatCidr, parseCidr, subtract, type Cidr } from './cidr.js';

const c = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
};

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['203.0.113.7', '203.0.113.7/32'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::1', '::1/128'],
    ['::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
    ['2001:DB8:0:0:1::/80', '2001:db8:0:0:1::/80'],
  ])('%s → %s', (input, expected) => {
    expect(formatCidr(c(input))).toBe(expected);
  });

  it.each(['10.0.0.0/33', '256.1.1.1', '10.0.0', '1.2.3.4/8/9', '01.2.3.4', 'fe80::1::2', '2001:db8::/129', 'example.com', '', '1.2.3.4/-1'])('rejects %j', (input) => {
    expect(parseCidr(input)).toBeUndefined();
  });
});

describe('subtract (nginx: deny is checked before allow)', () => {
  // ingress-nginx e2e: allow 18.0.0.0/8 + deny 18.1.0.0/16 → 18.1.0.1 denied, 18.4.0.1 allowed.
  const remaining = subtract([c('18.0.0.0/8')], [c('18.1.0.0/16')]);
  const allowed = (ip: string): boolean => remaining.some((r) => contains(r, c(ip)));

  it('keeps what nginx allows and removes what it denies', () => {
    expect(allowed('18.4.0.1')).toBe(true);
    expect(allowed('18.0.255.255')).toBe(true);
    expect(allowed('18.255.0.1')).toBe(true);
    expect(allowed('18.1.0.1')).toBe(false);
    expect(allowed('18.1.255.255')).toBe(false);
    expect(allowed('10.10.10.10')).toBe(false);
  });

  it('needs one block per bit of difference', () => {
    expect(remaining.map(formatCidr)).toEqual(['18.0.0.0/16', '18.2.0.0/15', '18.4.0.0/14', '18.8.0.0/13', '18.16.0.0/12', '18.32.0.0/11', '18.64.0.0/10', '18.128.0.0/9']);
  });

  it('drops an allowed range entirely inside a denied one', () => {
    expect(subtract([c('10.1.0.0/16')], [c('10.0.0.0/8')])).toEqual([]);
  });

  it('leaves disjoint ranges and other IP versions alone', () => {
    expect(subtract([c('192.168.0.0/16'), c('2001:db8::/32')], [c('10.0.0.0/8')]).map(formatCidr)).toEqual(['192.168.0.0/16', '2001:db8::/32']);
  });

  it('removes a single address from an IPv6 range', () => {
    const left = subtract([c('2001:db8::/126')], [c('2001:db8::1')]);
    expect(left.map(formatCidr)).toEqual(['2001:db8::/128', '2001:db8::2/127']);
  });
});

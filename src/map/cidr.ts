// CIDR parsing and subtraction (IPv4 and IPv6), so that nginx's "deny before
// allow" lists become one exact allow list: Contour forbids both on one route.

export interface Cidr {
  version: 4 | 6;
  /** Network address as an unsigned integer. */
  base: bigint;
  bits: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    n = (n << 8n) | BigInt(octet);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const words: number[] = [];
  const push = (list: string[]): boolean => {
    for (const g of list) {
      if (g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return false;
        words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
        words.push(parseInt(g, 16));
      }
    }
    return true;
  };
  const headWords: number[] = [];
  if (!push(head)) return undefined;
  headWords.push(...words.splice(0));
  if (!push(tail)) return undefined;
  const tailWords = words.splice(0);
  const missing = 8 - headWords.length - tailWords.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...headWords, ...Array<number>(Math.max(missing, 0)).fill(0), ...tailWords];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, maskText, extra] = text.trim().split('/');
  if (extra !== undefined || !addr) return undefined;
  const v4 = parseV4(addr);
  const version = v4 !== undefined ? 4 : 6;
  const value = v4 ?? parseV6(addr);
  if (value === undefined) return undefined;
  const width = version === 4 ? 32 : 128;
  let bits = width;
  if (maskText !== undefined) {
    if (!/^\d{1,3}$/.test(maskText)) return undefined;
    bits = Number(maskText);
    if (bits > width) return undefined;
  }
  return { version, base: value & mask(version, bits), bits };
}

function mask(version: 4 | 6, bits: number): bigint {
  const width = version === 4 ? 32 : 128;
  return ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.bits <= inner.bits && (inner.base & mask(outer.version, outer.bits)) === outer.base;
}

/** `from` minus `remove`, as a list of CIDRs (at most one split per bit of difference). */
export function subtract(from: Cidr[], remove: Cidr[]): Cidr[] {
  let current = from;
  for (const r of remove) {
    const next: Cidr[] = [];
    for (const c of current) {
      if (contains(r, c)) continue;
      if (!contains(c, r)) {
        next.push(c);
        continue;
      }
      next.push(...carve(c, r));
    }
    current = next;
  }
  return current;
}

/** Split `outer` into the halves that do not contain `hole`, down to the hole. */
function carve(outer: Cidr, hole: Cidr): Cidr[] {
  const out: Cidr[] = [];
  let cur = outer;
  const width = outer.version === 4 ? 32 : 128;
  while (cur.bits < hole.bits) {
    const bits = cur.bits + 1;
    const lowHalf: Cidr = { version: cur.version, base: cur.base, bits };
    const highHalf: Cidr = { version: cur.version, base: cur.base | (1n << BigInt(width - bits)), bits };
    if (contains(lowHalf, hole)) {
      out.push(highHalf);
      cur = lowHalf;
    } else {
      out.push(lowHalf);
      cur = highHalf;
    }
  }
  return out.sort(compareCidr);
}

export function compareCidr(a: Cidr, b: Cidr): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.base !== b.base) return a.base < b.base ? -1 : 1;
  return a.bits - b.bits;
}

export function formatCidr(c: Cidr): string {
  if (c.version === 4) {
    const o = [24n, 16n, 8n, 0n].map((s) => Number((c.base >> s) & 0xffn));
    return `${o.join('.')}/${c.bits}`;
  }
  const words = Array.from({ length: 8 }, (_, i) => Number((c.base >> BigInt(112 - i * 16)) & 0xffffn));
  // Compress the longest run of zero words (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  const text = bestStart < 0 ? hex.join(':') : `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
  return `${text}/${c.bits}`;
}

// Go parsing rules that cert-manager applies to Ingress annotation values (time.ParseDuration,
// strconv.ParseInt, encoding/csv), so a value means here what it meant to ingress-shim.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
// 2^63 - 1 (math.MaxInt64) as a double: the duration limit, compared in nanoseconds.
const MAX_INT64 = 2 ** 63 - 1;

/** time.ParseDuration: nanoseconds, or an error text. */
export function parseGoDuration(value: string): number | string {
  let s = value;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return `invalid duration ${JSON.stringify(value)}`;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      return /^[\d.]+$/.test(s) ? `missing unit in duration ${JSON.stringify(value)}` : `invalid duration ${JSON.stringify(value)}`;
    }
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * (UNIT_NS[m[3]!] ?? 0);
    s = s.slice(m[0].length);
  }
  if (total > MAX_INT64) return `invalid duration ${JSON.stringify(value)}`;
  return sign * total;
}

/** strconv.ParseInt(s, 10, bits): an integer in range, or an error text. */
export function parseGoIntBits(value: string, bits: 32 | 64): number | string {
  if (!/^[+-]?\d+$/.test(value)) return `parsing ${JSON.stringify(value)}: invalid syntax`;
  const n = Number(value);
  const max = bits === 32 ? 2147483647 : MAX_INT64;
  if (n > max || n < -max - 1) return `parsing ${JSON.stringify(value)}: value out of range`;
  return n;
}

/**
 * cert-manager's SplitWithEscapeCSV: the value as exactly one record of Go's encoding/csv
 * (quotes allowed, `""` inside quotes, no bare quotes, empty lines skipped).
 */
export function parseCsvRecord(value: string): string[] | string {
  const records: string[][] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    // Empty lines are skipped by encoding/csv.
    if (value[i] === '\n' || (value[i] === '\r' && value[i + 1] === '\n')) {
      i += value[i] === '\r' ? 2 : 1;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (value[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return `failed to parse ${JSON.stringify(value)} as CSV: extraneous or missing " in quoted-field`;
          if (value[i] === '"') {
            if (value[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += value[i];
          i++;
        }
        if (i < n && value[i] !== ',' && value[i] !== '\n' && value[i] !== '\r') return `failed to parse ${JSON.stringify(value)} as CSV: extraneous or missing " in quoted-field`;
      } else {
        while (i < n && value[i] !== ',' && value[i] !== '\n' && !(value[i] === '\r' && value[i + 1] === '\n')) {
          if (value[i] === '"') return `failed to parse ${JSON.stringify(value)} as CSV: bare " in non-quoted-field`;
          field += value[i];
          i++;
        }
      }
      fields.push(field);
      if (i < n && value[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    records.push(fields);
    if (i < n) i += value[i] === '\r' ? 2 : 1;
  }
  if (records.length === 0) return `no values found after parsing ${JSON.stringify(value)}`;
  if (records.length > 1) return `refusing to use ${JSON.stringify(value)} as input as it parses as multiple lines of CSV`;
  return records[0]!;
}

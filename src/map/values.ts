// Value parsers with ingress-nginx's own rules (Go strconv semantics), so an
// annotation value means here exactly what it meant to nginx.

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool: undefined when the value is not a Go bool. */
export function parseGoBool(value: string): boolean | undefined {
  const v = value.trim();
  if (GO_TRUE.has(v)) return true;
  if (GO_FALSE.has(v)) return false;
  return undefined;
}

/** strconv.Atoi: optional sign and decimal digits only ("120s" is not an int). */
export function parseGoInt(value: string): number | undefined {
  const v = value.trim();
  if (!/^[+-]?\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

/** nginx's BasicChars validator: `[-._~a-zA-Z0-9/:]`. */
export const BASIC_CHARS = /^[-._~a-zA-Z0-9/:]+$/;

export function hasControlChars(value: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(value);
}

export function splitList(value: string, sep = ','): string[] {
  // One loop, not split().map().filter(): transforms split a value of most Ingresses they read.
  // The trimmed items written back into split's own list, which is of its size: a second list
  // grown by push kept room for 17 (some of these lists are kept to the output).
  const parts = value.split(sep);
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const s = parts[i]!.trim();
    if (s !== '') parts[n++] = s;
  }
  parts.length = n;
  return parts;
}

/** Shortens a hostile or huge value for a one-line message. */
export function showValue(value: string, max = 60): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '?'));
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}

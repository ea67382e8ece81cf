// Deterministic, DNS-1123-valid, collision-free object names.
import { createHash } from 'node:crypto';

const MAX_NAME = 253;

export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** A DNS-1123 subdomain from free text; lossy conversions get a hash of the original. */
/** Text dnsName leaves as it is (most hosts): lower-case alphanumerics joined by single `.` or `-`. */
const DNS_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/** The last text dnsName kept as it is: a host's root and its children ask for the same fqdn in a row. */
let lastPlainName: string | undefined;

export function dnsName(text: string): string {
  if (text === lastPlainName) return text;
  // One test instead of seven replacements for the common case (every root and child is named).
  if (text.length <= MAX_NAME - 9 && DNS_NAME.test(text)) {
    lastPlainName = text;
    return text;
  }
  let name = text
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/(^[-.]+)|([-.]+$)/g, '')
    .replace(/\.-|-\./g, '-');
  if (name === '') name = 'x';
  const lossy = name !== text;
  if (name.length > MAX_NAME - 9) name = name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '');
  return lossy && text.startsWith('*.') ? `${name}-${shortHash(text)}` : name;
}

/** A path prefix as a name part: `/api/v1` → `api-v1`, `/` → `root`. */
export function pathSlug(prefix: string): string {
  // The runs of [a-z0-9] of the lower-cased prefix joined by `-` (a loop, not three regex replaces).
  const lower = prefix.toLowerCase();
  let slug = '';
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      slug = slug === '' ? lower.slice(start, i) : `${slug}-${lower.slice(start, i)}`;
      start = -1;
    }
  }
  if (slug === '') return 'root';
  return slug.length > 40 ? slug.slice(0, 40).replace(/-+$/, '') : slug;
}

/** The owner of a name taken by allocateChild: equal to no identity. */
const CHILD = Symbol('child');

/** What a name was handed out for: an identity, or a child of plan's (allocateChild). */
type Owner = string | typeof CHILD;

/** Hands out names per namespace; a taken name gets the identity's hash appended. */
export class NameAllocator {
  private readonly taken = new Map<string, Map<string, Owner>>();

  /** `identity` is what the object stands for; the same identity always gets the same name. */
  allocate(namespace: string, base: string, identity: string): string {
    const names = this.namesOf(namespace);
    const candidate = dnsName(base);
    const owner = names.get(candidate);
    if (owner === undefined || owner === identity) {
      names.set(candidate, identity);
      return candidate;
    }
    return hashedName(names, candidate, identity, identity);
  }

  /**
   * allocate(namespace, base, `child ${fqdn} ${prefix}`) for plan's children, each of which is
   * asked for once (one per host, namespace and prefix): the identity text is only built when the
   * name is taken (rarely), not kept for every child.
   */
  allocateChild(namespace: string, base: string, fqdn: string, prefix: string): string {
    const names = this.namesOf(namespace);
    const candidate = dnsName(base);
    if (names.get(candidate) === undefined) {
      names.set(candidate, CHILD);
      return candidate;
    }
    return hashedName(names, candidate, CHILD, `child ${fqdn} ${prefix}`);
  }

  private namesOf(namespace: string): Map<string, Owner> {
    let names = this.taken.get(namespace);
    if (!names) {
      names = new Map();
      this.taken.set(namespace, names);
    }
    return names;
  }
}

/** A taken candidate: the candidate with the hash of the identity appended, now owned by `owner`. */
function hashedName(names: Map<string, Owner>, candidate: string, owner: Owner, identity: string): string {
  const hashed = `${candidate.slice(0, MAX_NAME - 9)}-${shortHash(identity)}`;
  names.set(hashed, owner);
  return hashed;
}

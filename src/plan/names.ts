// Deterministic, DNS-1123-valid, collision-free object names.
import { createHash } from 'node:crypto';

const MAX_NAME = 253;

export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** A DNS-1123 subdomain from free text; lossy conversions get a hash of the original. */
/** Text dnsName leaves as it is (most hosts): lower-case alphanumerics joined by single `.` or `-`. */
const DNS_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

export function dnsName(text: string): string {
  // One test instead of seven replacements for the common case (every root and child is named).
  if (text.length <= MAX_NAME - 9 && DNS_NAME.test(text)) return text;
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
  const slug = prefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'root' : slug.slice(0, 40).replace(/-+$/, '');
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

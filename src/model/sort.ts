// Sorting many short lists. Array.prototype.sort allocates its merge state (≈ 0.7 KB) on every
// call, and a fleet sorts tens of thousands of lists of a few items (a host's routes, an
// Ingress's findings): those are sorted by insertion, in place, allocating nothing.

/** Lists up to this length are sorted by insertion. */
export const SHORT_LIST = 16;

/** Sorts `list` in place by `compare`, stably (as Array.prototype.sort), and returns it. */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number, shortList = SHORT_LIST): T[] {
  if (list.length > shortList) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}

/**
 * Sorts strings in place as the default sort orders them (UTF-16 code units, as `<` compares),
 * short lists by insertion; the comparison is written out, not a compare call per step.
 */
export function sortStrings(list: string[]): string[] {
  if (list.length > SHORT_LIST) return list.sort(compareStrings);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > item) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

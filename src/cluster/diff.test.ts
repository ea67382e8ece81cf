import { describe, expect, it } from 'vitest';
import { changed, formatDiff, toYaml } from './diff.js';

describe('formatDiff', () => {
  const live = toYaml({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: '3', managedFields: [] }, spec: { a: 1, b: 2 }, status: { s: 1 } });
  const desired = toYaml({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: '4' }, spec: { a: 1, b: 3 } });

  it('ignores server bookkeeping', () => {
    expect(live).not.toContain('resourceVersion');
    expect(live).not.toContain('status');
    expect(changed({ header: 'X n/a', live, desired: live })).toBe(false);
  });

  it('prints a header per object and a unified diff', () => {
    expect(formatDiff([{ header: 'X n/a', live, desired }], false)).toBe('X n/a\n--- live/X/n/a\n+++ ingress2contour/X/n/a\n@@ -4,4 +4,4 @@\n   name: a\n spec:\n   a: 1\n-  b: 2\n+  b: 3\n');
  });

  it('prints new objects in full, skips unchanged and failed ones, colours on request', () => {
    const text = formatDiff(
      [
        { header: 'X n/new', live: '', desired: 'a: 1\nb: 2\n' },
        { header: 'X n/same', live: 'a: 1\n', desired: 'a: 1\n' },
        { header: 'X n/err', live: '', desired: '', error: 'forbidden' },
        { header: 'X n/unchanged', live: '', desired: '', unchanged: true },
      ],
      false,
    );
    expect(text).toBe('X n/new (new)\n--- /dev/null\n+++ ingress2contour/X/n/new\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n');
    const coloured = formatDiff([{ header: 'X n/a', live, desired }], true);
    expect(coloured).toContain('\x1b[31m-  b: 2\x1b[0m');
    expect(coloured).toContain('\x1b[32m+  b: 3\x1b[0m');
    expect(coloured).toContain('\x1b[36m@@');
  });
});

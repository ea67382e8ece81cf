// What fits on the person's screen: findings ordered by severity and text split into
// pages of the terminal's height. Pure, so the arithmetic is tested without a terminal.
import type { Severity } from '../model/findings.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

export interface FindingLine {
  severity: Severity;
  text: string;
}

/** Errors first, then warnings, then the rest; the order within one severity is kept. */
export function bySeverity<T extends { severity: Severity }>(lines: T[]): T[] {
  return lines.map((line, i) => ({ line, i })).sort((a, b) => SEVERITY_RANK[a.line.severity] - SEVERITY_RANK[b.line.severity] || a.i - b.i).map((x) => x.line);
}

/**
 * Splits items (each a list of terminal rows: one finding, one line of YAML) into pages
 * of at most `rows` rows. An item is never split unless it alone is taller than a page;
 * every page holds at least one row, however small `rows`.
 */
export function pages(items: string[][], rows: number): string[][] {
  const size = Math.max(1, rows);
  const out: string[][] = [];
  let page: string[] = [];
  for (const item of items) {
    if (page.length > 0 && page.length + item.length > size) {
      out.push(page);
      page = [];
    }
    for (const row of item) {
      if (page.length === size) {
        out.push(page);
        page = [];
      }
      page.push(row);
    }
  }
  if (page.length > 0) out.push(page);
  return out;
}

/** A line as the rows it takes on a terminal `width` columns wide. */
export function terminalRows(line: string, width: number): string[] {
  const w = Math.max(1, width);
  if (line.length <= w) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += w) out.push(line.slice(i, i + w));
  return out;
}

/** Small terminals go without the prompts' key help line: the row is worth more to content. */
export function showKeyHelp(height: number): boolean {
  return height >= 20;
}

/** Rows left for content when a prompt with `choices` choices must fit below it. */
export function contentRows(height: number, choices: number, reserved = 0): number {
  // Besides the choices: the question, the blank row inquirer leaves, the key help if shown.
  return Math.max(2, height - choices - 2 - (showKeyHelp(height) ? 1 : 0) - reserved);
}

// Rows as text for a terminal (aligned table), CSV or JSON. Instants arrive
// already formatted in the policy's time zone (Warehouse.rows()).
// Text from an export is made harmless for where it lands (src/core/escape.ts):
// CSV cells that a spreadsheet would run as a formula are neutralised, JSON writes
// C1 and bidi controls as \u escapes, and the table shows control characters as
// \u{1B} instead of letting the terminal obey them. The same text goes to a file
// with --output, so a CSV opened later in Excel or WPS is just as safe.
import type { Row } from '../warehouse/db.ts';
import { safeJson, terminalText, toCsv, visibleControls } from '../core/escape.ts';

export function formatRows(rows: Row[], format: 'table' | 'csv' | 'json', columns?: string[]): string {
  if (format === 'json') return safeJson(rows, 2) + '\n';
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  // CSV keeps newlines inside quoted cells, and nothing else a terminal would act on.
  if (format === 'csv') return visibleControls(toCsv(rows, cols));
  if (!rows.length) return '(no rows)\n';
  const text = (v: unknown) => terminalText(v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const heads = cols.map(terminalText);
  const widths = cols.map((c, i) => Math.max(width(heads[i]), ...rows.map((r) => width(text(r[c])))));
  const line = (cells: string[]) => cells.map((s, i) => s + ' '.repeat(widths[i] - width(s))).join('  ');
  return [line(heads), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cols.map((c) => text(r[c]))))].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

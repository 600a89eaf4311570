// Rows as text for a terminal (aligned table), CSV or JSON. Instants arrive
// already formatted in the policy's time zone (Warehouse.rows()).
import type { Row } from './db.ts';

export function formatRows(rows: Row[], format: 'table' | 'csv' | 'json', columns?: string[]): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  if (format === 'csv') {
    const esc = (v: unknown) => {
      const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
  }
  if (!rows.length) return '(no rows)\n';
  const text = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(width(c), ...rows.map((r) => width(text(r[c])))));
  const line = (cells: string[]) => cells.map((s, i) => s + ' '.repeat(widths[i] - width(s))).join('  ');
  return [line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cols.map((c) => text(r[c]))))].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

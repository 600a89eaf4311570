// Escaping for the places text from an export ends up, other than HTML (src/reports/html.ts):
// a spreadsheet cell and a terminal. Complaint text is typed by angry people and
// exported by systems that do not clean it; it must reach the reader as text.

// C0 controls except tab, newline and carriage return, DEL, C1 controls (U+009B is a one-byte CSI to
// many terminals), and the bidirectional controls that reorder what a reader sees
// (U+202E turns "exe.pdf" into "fdp.exe").
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// On one table line, U+2028/2029 (line and paragraph separators) would break the line too.
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;

/** Control and bidi characters shown as \u{1B}, \u{202E}: seen, never obeyed. Newlines and tabs kept unless asked. */
export function visibleControls(value: string, opts: { newlines?: boolean } = {}): string {
  return value.replace(opts.newlines ? CONTROL_OR_NEWLINE : CONTROL, visible);
}

/** One table cell on a terminal: one line, nothing the terminal would act on. */
export function terminalText(value: string): string {
  return visibleControls(value, { newlines: true });
}

/** JSON for a terminal or a file: valid JSON, with C1 and bidi controls written as \uXXXX escapes. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// OWASP "CSV injection": a spreadsheet treats a cell starting with = + - @ (or a tab or
// carriage return in front of one) as a formula. A leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell safe to open in Excel or WPS: formulas neutralised. Numbers are left as numbers. */
export function csvText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field (RFC 4180 quoting) with formula neutralisation for strings. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? csvText(value) : typeof value === 'object' ? csvText(JSON.stringify(value)) : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: a header line and one line per row. */
export function toCsv(rows: Record<string, unknown>[], columns = rows.length ? Object.keys(rows[0]) : []): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
}

/** toCsv without the header line: the rows of a CSV written a chunk at a time. */
export function toCsvLines(rows: Record<string, unknown>[], columns: string[]): string {
  return rows.map((r) => columns.map((c) => csvField(r[c])).join(',') + '\n').join('');
}

/** The same neutralisation in SQL, for CSV files DuckDB writes itself (COPY … (format csv)). */
export const CSV_TEXT_MACRO = `create or replace temp macro pledge_csv_text(v) as
  case when regexp_matches(v, '^[=+\\-@\\t\\r]') then '''' || v else v end;`;

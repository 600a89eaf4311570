// The header block of a query file: the comment lines at its top that say what
// the file returns. Pledge reads it, so the documentation an analyst writes is
// also what binds and checks parameters and what `pledge query --describe` shows.
//
//   -- kpi_first_response_fast: share of complaints answered within the fast line, by channel.
//   -- One row per (month, channel). Free text, as many lines as needed.
//   -- Parameters:
//   --   $month  MONTH                 reporting month (2025-10 or 2025-10-01)
//   --   $limit  INTERVAL = '1 hour'   the line; a policy `parameters:` entry overrides it
//   -- Columns:
//   --   month    DATE              first day of the month the complaint was received in
//   --   rate     DOUBLE [0..1]     answered within the line / received
//   --            continuation lines are indented further and join the meaning
//
// Title: the first line, after an optional "name:" prefix. Description: the
// lines up to the first section. Parameters: `$name TYPE [= default] meaning`.
// Columns: `name TYPE [unit] meaning`, or `*` for "every column of …".
// A file without sections still has a title and description: its first
// comment lines (files written before this convention keep working).
import { PledgeError } from '../core/errors.ts';

export interface ParameterDoc { name: string; type: string; default?: string; meaning: string; line: number }
export interface ColumnDoc { name: string; type: string; unit?: string; meaning: string; line: number }

export interface QueryHeader {
  title: string;
  description: string;
  parameters: ParameterDoc[];
  /** Null when the file has no Columns section (not documented yet). */
  columns: ColumnDoc[] | null;
  /** The header uses a `*` item: the result also carries every column of something else. */
  passthrough: boolean;
}

/** Types a parameter may declare; MONTH is a DATE on the first of the month that also accepts "2025-10". */
export const PARAMETER_TYPES = ['MONTH', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL', 'VARCHAR', 'TEXT', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN'] as const;

const SECTION = /^(parameters|columns)\s*:\s*(.*)$/i;
const TYPE = String.raw`[A-Z][A-Z0-9_]*(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])?`;
const PARAM_ITEM = new RegExp(String.raw`^\$([A-Za-z_][A-Za-z0-9_]*)\s+(${TYPE})(?:\s*=\s*('(?:[^']|'')*'|\S+))?(?:\s+(.*))?$`);
const COLUMN_ITEM = new RegExp(String.raw`^([A-Za-z_][A-Za-z0-9_]*|\*)(?:\s+(${TYPE}))?(?:\s+\[([^\]]*)\])?(?:\s+(.*))?$`);

/** The leading comment lines of a SQL text, with their 1-based line numbers. */
function leadingComments(sql: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = sql.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*--\s?(.*)$/.exec(lines[i]);
    if (!m) {
      if (lines[i].trim() === '' && out.length === 0) continue;
      break;
    }
    out.push({ text: m[1].replace(/\s+$/, ''), line: i + 1 });
  }
  return out;
}

export function parseQueryHeader(sql: string, source: string): QueryHeader {
  const comments = leadingComments(sql);
  const header: QueryHeader = { title: '', description: '', parameters: [], columns: null, passthrough: false };
  const description: string[] = [];
  let section: 'parameters' | 'columns' | null = null;
  let itemIndent = -1;
  let last: ParameterDoc | ColumnDoc | null = null;
  let legacy = false;

  comments.forEach(({ text, line }, i) => {
    if (i === 0) {
      header.title = text.replace(/^[A-Za-z_][A-Za-z0-9_]*:\s+/, '').trim();
      return;
    }
    const sectionMatch = legacy ? null : SECTION.exec(text.trim());
    if (sectionMatch && !/^\s/.test(text)) {
      if (sectionMatch[2]) {
        // "Columns: a TEXT, b INT" on one line: a header from before this
        // convention. Kept as description; nothing is declared.
        legacy = true;
        section = null;
        description.push(text.trim());
        return;
      }
      section = sectionMatch[1].toLowerCase() as 'parameters' | 'columns';
      if (section === 'columns') header.columns ??= [];
      itemIndent = -1;
      last = null;
      return;
    }
    if (!section) {
      description.push(text.trim());
      return;
    }
    if (text.trim() === '') return;
    const indent = /^\s*/.exec(text)![0].length;
    if (itemIndent < 0) itemIndent = indent;
    if (indent > itemIndent && last) {
      last.meaning = `${last.meaning} ${text.trim()}`.trim();
      return;
    }
    if (section === 'parameters') {
      const m = PARAM_ITEM.exec(text.trim());
      if (!m) throw new PledgeError(`${source}:${line}: a parameter is "$name TYPE [= default] meaning", not "${text.trim()}"`);
      const type = normaliseType(m[2]);
      if (!(PARAMETER_TYPES as readonly string[]).includes(type)) {
        throw new PledgeError(`${source}:${line}: $${m[1]}: type ${m[2]} is not one of ${PARAMETER_TYPES.join(', ')}`);
      }
      const def = m[3]?.startsWith("'") ? m[3].slice(1, -1).replace(/''/g, "'") : m[3];
      last = { name: m[1], type, ...(def !== undefined ? { default: def } : {}), meaning: m[4]?.trim() ?? '', line };
      header.parameters.push(last);
    } else {
      const m = COLUMN_ITEM.exec(text.trim());
      if (!m || (m[1] !== '*' && !m[2])) throw new PledgeError(`${source}:${line}: a column is "name TYPE [unit] meaning", not "${text.trim()}"`);
      if (m[1] === '*') {
        // "every column of …": the result passes another relation's columns through.
        header.passthrough = true;
        last = { name: '*', type: '', meaning: [m[2], m[3], m[4]].filter(Boolean).join(' '), line };
        return;
      }
      last = { name: m[1], type: normaliseType(m[2]), ...(m[3] ? { unit: m[3].trim() } : {}), meaning: m[4]?.trim() ?? '', line };
      header.columns!.push(last);
    }
  });
  header.description = description.join(' ').replace(/\s+/g, ' ').trim();
  return header;
}

/** Spellings an analyst may use for the same DuckDB type. */
export function normaliseType(type: string): string {
  const t = type.toUpperCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').trim();
  const aliases: Record<string, string> = {
    TEXT: 'VARCHAR', STRING: 'VARCHAR', INT: 'INTEGER', INT4: 'INTEGER', INT8: 'BIGINT', LONG: 'BIGINT',
    FLOAT8: 'DOUBLE', BOOL: 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  };
  return aliases[t] ?? t;
}

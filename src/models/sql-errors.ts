// Turns a DuckDB error into one that names the file, the line and the column,
// and, when a name is unknown, what is there instead:
//   queries/kpi/x.sql:14:12: Binder Error: Referenced column "chanel" not found in FROM clause!
//     stg_complaints has: complaint_id, channel, …
//   queries/kpi/y.sql:3:6: Catalog Error: Table with name stg_complaint does not exist!
//     tables and views: commitment_status, kpi_backlog, stg_complaints, …
import type { Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';

/**
 * `prefix` is text Pledge put before the file's SQL when it ran it (e.g.
 * "create temp view x as\n"): positions are given back in the file's own terms.
 */
export async function explainSqlError(wh: Warehouse, e: unknown, file: string, sql: string, prefix = ''): Promise<PledgeError> {
  const message = String((e as Error)?.message ?? e);
  const firstLine = message.split('\n')[0];
  const where = locate(message, sql, prefix);
  return new PledgeError(`${file}${where}: ${firstLine}${await hint(wh, message, sql)}`);
}

/**
 * DuckDB quotes the offending line ("LINE n: <text>") with a caret under the
 * spot, counted over the statement it ran. The snippet may be cut ("..."), so
 * the column is found by locating the snippet in the file's own line.
 */
export function locate(message: string, sql: string, prefix = ''): string {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (at < 0) return '';
  const [, lineText, snippet] = /^LINE (\d+): (.*)$/.exec(lines[at])!;
  const prefixLines = prefix.split('\n').length - 1;
  const prefixTail = prefix.split('\n').pop()!.length;   // prefix text on the statement's first line
  const lineNo = Number(lineText) - prefixLines;
  if (lineNo < 1) return '';
  const caretLine = lines[at + 1] ?? '';
  const caret = caretLine.indexOf('^');
  if (caret < 0) return `:${lineNo}`;
  const inSnippet = caret - `LINE ${lineText}: `.length;
  const source = sql.split('\n')[lineNo - 1] ?? '';
  const shownFrom = lineNo === 1 ? prefixTail : 0;
  const clean = snippet.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
  const cut = snippet.startsWith('...') ? 3 : 0;
  const full = (lineNo === 1 ? prefix.split('\n').pop()! : '') + source;
  const found = full.indexOf(clean.slice(0, Math.min(clean.length, 40)));
  const column = (found >= 0 ? found + inSnippet - cut : inSnippet) - shownFrom + 1;
  return `:${lineNo}:${Math.max(1, column)}`;
}

async function hint(wh: Warehouse, message: string, sql: string): Promise<string> {
  const first = message.split('\n')[0];
  if (/Table with name \S+ does not exist|Table .* does not exist|Catalog Error: Table/i.test(first)) {
    const tables = await wh.rows(`select distinct table_name from information_schema.tables
      where table_schema in ('main', 'temp') or table_catalog = 'temp' order by 1`).catch(() => []);
    // A session that built only what its query named still lists every view of queries/.
    const names = [...new Set([...tables.map((t) => String(t.table_name)), ...wh.notBuilt])].sort();
    return names.length ? `\n  tables and views: ${names.join(', ')}` : '';
  }
  if (/Referenced column|does not have a column|column .* not found/i.test(first)) {
    // The columns of the tables and views this statement names, not the whole warehouse.
    const named = await wh.rows(`select table_name, string_agg(column_name, ', ' order by ordinal_position) as columns
      from information_schema.columns group by table_name order by table_name`).catch(() => []);
    const code = sql.replace(/--[^\n]*/g, ' ').toLowerCase();
    const used = named.filter((t) => new RegExp(`\\b${String(t.table_name).toLowerCase()}\\b`).test(code));
    const listed = used.length ? used : named;
    return listed.length ? '\n' + listed.map((t) => `  ${t.table_name} has: ${t.columns}`).join('\n') : '';
  }
  return '';
}

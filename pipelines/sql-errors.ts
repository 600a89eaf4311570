// Turns a DuckDB error into one that names the file, the line and the column,
// and, when a name is unknown, what is there instead.
import type { Warehouse } from './db.ts';
import { PledgeError } from './errors.ts';

export async function explainSqlError(wh: Warehouse, e: unknown, file: string, sql: string, prefix = ''): Promise<PledgeError> {
  const message = String((e as Error)?.message ?? e);
  const firstLine = message.split('\n')[0];
  const where = locate(message, sql, prefix);
  let hint = '';
  if (/does not exist|not found|Referenced column/i.test(firstLine)) {
    const tables = await wh.rows(`select table_name, string_agg(column_name, ', ' order by ordinal_position) as columns
      from information_schema.columns group by table_name order by table_name`).catch(() => []);
    if (tables.length) hint = '\n  available: ' + tables.map((t) => `${t.table_name}(${t.columns})`).join('\n             ');
  }
  return new PledgeError(`${file}${where}: ${firstLine}${hint}`);
}

/** DuckDB reports a character offset ("LINE n:" is relative to the statement it ran). */
function locate(message: string, sql: string, prefix: string): string {
  const pos = /at or near|Character position|position (\d+)/.exec(message);
  const offset = /"position":\s*"?(\d+)/.exec(message)?.[1] ?? /position (\d+)/.exec(message)?.[1];
  const lineMatch = /LINE (\d+):/.exec(message);
  if (offset !== undefined) {
    const at = Math.max(0, Number(offset) - prefix.length);
    const before = sql.slice(0, at).split('\n');
    return `:${before.length}:${before[before.length - 1].length + 1}`;
  }
  if (lineMatch) {
    const prefixLines = prefix.split('\n').length - 1;
    return `:${Math.max(1, Number(lineMatch[1]) - prefixLines)}`;
  }
  void pos;
  return '';
}

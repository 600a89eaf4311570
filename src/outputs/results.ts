// Writing a query result out: a terminal table, CSV, JSON, Parquet or Arrow IPC.
//
// Every format goes through writeResult(), and writeResult() reads the result
// from one place: a temporary table the query was materialised into. That is
// the single point where anything that must apply to every export (masking of
// personal data, for one) wraps the result, in SQL, before any format sees it.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Params, Warehouse } from '../warehouse/db.ts';
import type { Session } from '../models/session.ts';
import { bindParameters, type LoadedQuery } from '../models/query-file.ts';
import { explainSqlError } from '../models/sql-errors.ts';
import { PledgeError } from '../core/errors.ts';
import { formatRows } from './format-rows.ts';
import { replaceAtomically, writeFileAtomic } from '../core/files.ts';
import { maskedSelectSql } from '../privacy/masking.ts';

export const FORMATS = ['table', 'csv', 'json', 'parquet', 'arrow'] as const;
export type Format = (typeof FORMATS)[number];
export const BINARY_FORMATS: readonly Format[] = ['parquet', 'arrow'];

/** A query's rows, held in DuckDB. `relation` is what every format reads. */
export interface QueryResult {
  wh: Warehouse;
  relation: string;
  /** Where the rows came from (a file path or "query"), for messages. */
  source: string;
}

const RESULT_TABLE = 'pledge_result';

/** Runs the statement once into a temporary table (parameters bound by DuckDB). */
export async function materialize(wh: Warehouse, sql: string, params: Record<string, unknown>, source: string): Promise<{ result: QueryResult; prefix: string }> {
  const prefix = `create or replace temp table ${RESULT_TABLE} as `;
  await wh.run(prefix + sql, params);
  return { result: { wh, relation: RESULT_TABLE, source }, prefix };
}

/**
 * Writes the result in the format asked for: to `output` when given (written
 * whole or not at all), else returned as text for the terminal. Parquet and
 * Arrow are binary and need --output.
 */
export async function writeResult(result: QueryResult, format: Format, output?: string): Promise<string | undefined> {
  if (BINARY_FORMATS.includes(format) && !output) {
    throw new PledgeError(`--format ${format} writes a binary file: give it with --output FILE`);
  }
  if (output) checkOutput(output);
  const { wh } = result;
  const relation = await maskedRelation(result);
  switch (format) {
    case 'parquet': {
      // DuckDB's own Parquet writer into a temporary file, renamed into place; the path is bound like any value.
      await replaceAtomically(output!, (tmp) => wh.run(`copy ${relation} to $path (format parquet)`, { path: tmp }));
      return undefined;
    }
    case 'arrow': {
      // apache-arrow is loaded only when Arrow is asked for: every other command starts faster without it.
      const { arrowIpc } = await import('./arrow.ts');
      writeFileAtomic(output!, arrowIpc(await wh.columns(`from ${relation}`), wh.timezone));
      return undefined;
    }
    default: {
      const columns = (await wh.columns(`from ${relation} limit 0`)).map((c) => c.name);
      const text = formatRows(await wh.rows(`from ${relation}`), format, columns);
      if (!output) return text;
      writeFileAtomic(output, text);
      return undefined;
    }
  }
}

/**
 * Personal data masked in SQL, before any format sees the rows: by column name, and by
 * pattern in every other text column. The second line of defence: the warehouse holds
 * no personal value as read (src/privacy/personal.ts). With --reveal-pii, the result as it is.
 */
async function maskedRelation(result: QueryResult): Promise<string> {
  const { wh } = result;
  if (wh.privacy.reveal) return result.relation;
  const columns = (await wh.columns(`from ${result.relation} limit 0`)).map((c) => ({ name: c.name, type: c.type }));
  const masked = `${result.relation}_masked`;
  await wh.run(`create or replace temp table ${masked} as ${maskedSelectSql(`from ${result.relation}`, columns, wh.privacy)}`);
  return masked;
}

function checkOutput(output: string): void {
  const dir = dirname(resolve(output));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PledgeError(`--output ${output}: folder ${dir} does not exist`);
  if (existsSync(output) && statSync(output).isDirectory()) throw new PledgeError(`--output ${output}: is a folder, not a file`);
}

/** The session's own parameters: its as-of instant, and the month when one is given. */
function sessionParams(session: Session, month: string | undefined): Params {
  return { as_of: session.asOf, ...(month ? { month: `${month}-01` } : {}) };
}

/** The query's rows held in DuckDB, ready for any format. */
export async function resultOfQuery(session: Session, q: LoadedQuery, opts: { given?: Params; month?: string }): Promise<QueryResult> {
  const params = await bindParameters(session.wh, q, {
    given: opts.given, policy: session.policy, session: sessionParams(session, opts.month ?? session.month),
  });
  // DESCRIBE, SHOW and SUMMARIZE are queries too, but only as a subquery.
  const sql = /^\s*(describe|show|summarize)\b/i.test(q.sql) ? `from (${q.sql})` : q.sql;
  try {
    return (await materialize(session.wh, sql, params, q.source)).result;
  } catch (e) {
    throw await explainSqlError(session.wh, e, q.source, q.sql, 'create or replace temp table pledge_result as ' + (sql === q.sql ? '' : 'from ('));
  }
}

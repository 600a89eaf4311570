// Writing a query result out: a terminal table, CSV, JSON, Parquet or Arrow IPC.
//
// Every format goes through writeResult(), and writeResult() reads the result
// from one place: a temporary table the query was materialised into. That is
// the single point where anything that must apply to every export (masking of
// personal data, for one) wraps the result, in SQL, before any format sees it.
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Row, Warehouse } from './db.ts';
import { PledgeError } from './errors.ts';
import { arrowIpc } from './arrow.ts';
import { formatRows } from './format-rows.ts';
import { FILE_MODE, writeFileAtomic } from '../reports/write.ts';

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

export async function resultRows(result: QueryResult): Promise<Row[]> {
  return result.wh.rows(`from ${result.relation}`);
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
  switch (format) {
    case 'parquet': {
      // DuckDB's own Parquet writer; the path is bound like any value.
      const tmp = `${output}.${process.pid}.tmp`;
      try {
        await wh.run(`copy ${result.relation} to $path (format parquet)`, { path: tmp });
        chmodSync(tmp, FILE_MODE);
        renameSync(tmp, output!);
      } finally {
        rmSync(tmp, { force: true });
      }
      return undefined;
    }
    case 'arrow': {
      writeFileAtomic(output!, arrowIpc(await wh.columns(`from ${result.relation}`), wh.timezone));
      return undefined;
    }
    default: {
      const columns = (await wh.columns(`from ${result.relation} limit 0`)).map((c) => c.name);
      const text = formatRows(await resultRows(result), format, columns);
      if (!output) return text;
      writeFileAtomic(output, text);
      return undefined;
    }
  }
}

function checkOutput(output: string): void {
  const dir = dirname(resolve(output));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PledgeError(`--output ${output}: folder ${dir} does not exist`);
  if (existsSync(output) && statSync(output).isDirectory()) throw new PledgeError(`--output ${output}: is a folder, not a file`);
}

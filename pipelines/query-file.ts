// Runs one parameterised query file ($month, $as_of, $department …). Values are
// always bound by DuckDB, never pasted into the SQL text.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Params, Row, Warehouse } from './db.ts';
import { PledgeError } from './errors.ts';
import { explainSqlError } from './sql-errors.ts';

/** The $names a statement uses (comments and string literals ignored). */
export function parameterNames(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/'(?:[^']|'')*'/g, "''");
  return [...new Set([...code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

export function bindableParams(sql: string, available: Params, source: string): Params {
  const bound: Params = {};
  for (const name of parameterNames(sql)) {
    if (!(name in available)) {
      throw new PledgeError(`${source}: parameter $${name} has no value (give it with --param ${name}=…)`);
    }
    bound[name] = available[name];
  }
  return bound;
}

export async function runSqlText(wh: Warehouse, sql: string, params: Params, source: string): Promise<Row[]> {
  const text = sql.replace(/;\s*$/, '');
  try {
    return await wh.rows(text, bindableParams(text, params, source));
  } catch (e) {
    if (e instanceof PledgeError) throw e;
    throw await explainSqlError(wh, e, source, text);
  }
}

export async function runQueryFile(wh: Warehouse, path: string, params: Params): Promise<Row[]> {
  let sql: string;
  try {
    sql = readFileSync(path, 'utf8');
  } catch {
    throw new PledgeError(`${path}: no such query file`);
  }
  return runSqlText(wh, sql, params, relative(process.cwd(), path));
}

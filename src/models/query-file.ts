// Runs one parameterised query file ($month, $as_of, $department …). Values are
// always bound by DuckDB, never pasted into the SQL text: a value is data, even
// one that looks like SQL.
//
// Where a parameter's value comes from, first found wins:
//   1. --param name=value (or what the caller passes as `given`);
//   2. the policy file's `parameters:` (thresholds of an analyst's own KPIs);
//   3. the session: $month (the reporting month) and $as_of (the as-of instant);
//   4. the default in the file's header (`$name TYPE = default`).
// A declared type is checked by DuckDB (try_cast) and the value is bound with
// that type; an error names the parameter, the value and where it came from.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Params, Row, Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';
import { explainSqlError } from './sql-errors.ts';
import { parseQueryHeader, type QueryHeader } from './query-header.ts';
import { maskRows } from '../privacy/masking.ts';

/** A parameter no source gives a value: a report shows the panel as not set up rather than failing. */
export class MissingParameterError extends PledgeError {
  constructor(message: string, readonly parameter: string) {
    super(message);
  }
}

export interface LoadedQuery { source: string; sql: string; header: QueryHeader }

/** Values a query may draw on, by origin (see the order above). */
export interface ParamSources {
  given?: Params;
  policy?: { parameters?: Record<string, unknown>; source: string };
  session?: Params;
}

/** The $names a statement uses (comments and string literals ignored). */
export function parameterNames(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/'(?:[^']|'')*'/g, "''");
  return [...new Set([...code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

/** Every $name the statement uses, as given in `available` (untyped: for SQL without a header block). */
export function bindableParams(sql: string, available: Params, source: string): Params {
  const bound: Params = {};
  for (const name of parameterNames(sql)) {
    if (!(name in available)) {
      throw new MissingParameterError(`${source}: parameter $${name} has no value (give it with --param ${name}=…)`, name);
    }
    bound[name] = available[name];
  }
  return bound;
}

export function loadQueryFile(path: string): LoadedQuery {
  let sql: string;
  try {
    sql = readFileSync(path, 'utf8');
  } catch {
    throw new PledgeError(`${path}: no such query file`);
  }
  const inside = relative(process.cwd(), path);
  const source = inside && !inside.startsWith('..') ? inside : path;
  return { source, sql: sql.replace(/;\s*$/, ''), header: parseQueryHeader(sql, source) };
}

export function inlineQuery(sql: string, source = 'query'): LoadedQuery {
  return { source, sql: sql.replace(/;\s*$/, ''), header: parseQueryHeader(sql, source) };
}

/** Every parameter the statement uses, with a value bound by DuckDB in its declared type. */
export async function bindParameters(wh: Warehouse, q: LoadedQuery, sources: ParamSources): Promise<Params> {
  const used = parameterNames(q.sql);
  for (const name of Object.keys(sources.given ?? {})) {
    if (!used.includes(name)) {
      throw new PledgeError(`--param ${name}: ${q.source} has no $${name} (it uses ${used.length ? used.map((u) => `$${u}`).join(', ') : 'no parameters'})`);
    }
  }
  const bound: Params = {};
  for (const name of used) {
    const doc = q.header.parameters.find((p) => p.name === name);
    const found = lookup(name, sources, doc?.default);
    if (!found) {
      throw new MissingParameterError(`${q.source}: parameter $${name} has no value (give it with --param ${name}=…${sources.policy ? ` or under parameters: in ${sources.policy.source}` : ''}${doc ? `; it is ${doc.type}: ${doc.meaning}` : ''})`, name);
    }
    bound[name] = doc ? await typed(wh, found.value, doc.type, `${q.source}: $${name} ${doc.type}`, found.from) : found.value;
  }
  return bound;
}

function lookup(name: string, s: ParamSources, headerDefault: string | undefined): { value: unknown; from: string } | undefined {
  if (s.given && name in s.given) return { value: s.given[name], from: `--param ${name}` };
  const policyValue = s.policy?.parameters?.[name];
  if (policyValue !== undefined) return { value: policyValue, from: `${s.policy!.source}: parameters.${name}` };
  if (s.session && name in s.session) return { value: s.session[name], from: `the session's $${name}` };
  if (headerDefault !== undefined) return { value: headerDefault, from: 'the default in the header' };
  return undefined;
}

/** DuckDB checks the value against the declared type; the checked value is what gets bound. */
async function typed(wh: Warehouse, value: unknown, type: string, what: string, from: string): Promise<unknown> {
  if (value === null) return null;
  let text = String(value);
  let castTo = type;
  if (type === 'MONTH') {
    // A month: "2025-10" or the first day "2025-10-01"; bound as that DATE.
    const m = /^(\d{4}-(?:0[1-9]|1[0-2]))(?:-01)?$/.exec(text.trim());
    if (!m) throw new PledgeError(`${what}: "${text}" (from ${from}) is not a month (try "2025-10")`);
    text = `${m[1]}-01`;
    castTo = 'DATE';
  }
  const checked = await wh.castValue(text, castTo);
  if (checked === undefined) throw new PledgeError(`${what}: "${text}" (from ${from}) is not of type ${castTo}`);
  return checked;
}

/**
 * Runs a loaded query with its parameters bound; errors name the file, line and column.
 * This is the door report rows leave by, so they leave masked (personal data hidden
 * unless the session was opened with --reveal-pii; see src/privacy/masking.ts).
 */
export async function runQuery(wh: Warehouse, q: LoadedQuery, sources: ParamSources): Promise<Row[]> {
  const params = await bindParameters(wh, q, sources);
  try {
    return maskRows(await wh.rows(q.sql, params), wh.privacy);
  } catch (e) {
    throw await explainSqlError(wh, e, q.source, q.sql);
  }
}

/** runQuery a chunk of rows at a time (Warehouse.streamRows), each chunk masked the same way. */
export async function* streamQuery(wh: Warehouse, q: LoadedQuery, sources: ParamSources): AsyncGenerator<Row[]> {
  const params = await bindParameters(wh, q, sources);
  let chunks: AsyncGenerator<Row[]>;
  try {
    chunks = wh.streamRows(q.sql, params);
    const first = await chunks.next();
    if (first.done) return;
    yield maskRows(first.value, wh.privacy);
  } catch (e) {
    throw await explainSqlError(wh, e, q.source, q.sql);
  }
  for await (const chunk of chunks) yield maskRows(chunk, wh.privacy);
}

/** A query file as a report panel runs it: the session's $month and $as_of, and the policy's parameters. */
export async function runQueryFile(wh: Warehouse, path: string, params: Params, policy?: ParamSources['policy']): Promise<Row[]> {
  return runQuery(wh, loadQueryFile(path), { session: params, policy });
}

export function streamQueryFile(wh: Warehouse, path: string, params: Params, policy?: ParamSources['policy']): AsyncGenerator<Row[]> {
  return streamQuery(wh, loadQueryFile(path), { session: params, policy });
}

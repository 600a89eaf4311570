import { Command, Option } from 'commander';
import { openSession, type Session } from '../session.ts';
import { bindParameters, inlineQuery, loadQueryFile, type LoadedQuery } from '../query-file.ts';
import type { Params } from '../db.ts';
import { PledgeError } from '../errors.ts';
import { explainSqlError } from '../sql-errors.ts';
import { FORMATS, materialize, writeResult, type Format, type QueryResult } from '../export.ts';
import { comparePolicies, writeComparison } from '../compare-policy.ts';
import { asOfOption, policyOption, revealOption, tellAsOf, warehouseOption, warn } from './options.ts';
import { recordReveal } from '../privacy.ts';

export { formatRows } from '../format-rows.ts';

export interface QueryOptions {
  policy: string;
  warehouse: string;
  asOf?: string;
  month?: string;
  format: Format;
  output?: string;
  file?: string;
  param: string[];
  comparePolicy?: string;
  describe?: boolean;
  revealPii?: boolean;
}

export function queryCommand(): Command {
  const cmd = new Command('query')
    .description('Run SQL against the warehouse with the policy\'s views loaded (commitment_status, kpi_* …); personal data in the result is masked')
    .argument('[sql]', 'SQL text (or use --file)')
    .option('--file <path>', 'run a query file instead')
    .option('--param <name=value>', 'bind a $name parameter (repeatable); the value is data, never SQL', (v: string, acc: string[]) => [...acc, v], [])
    .option('--month <YYYY-MM>', 'reporting month: sets $month and the default as-of (end of that month)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('--output <file>', 'write the result to this file (needed for parquet and arrow)')
    .option('--describe', 'show what a query file returns (its header: title, parameters, columns) without running it')
    .option('--compare-policy <other.yaml>', 'compute the month under this policy too: KPIs per department side by side, and the complaints whose status changes');
  warehouseOption(cmd);
  policyOption(cmd);
  asOfOption(cmd);
  revealOption(cmd);
  return cmd
    .addHelpText('after', `
Examples:
  pledge query "select * from kpi_summary_monthly where month = '2025-10-01'"
  pledge query --format csv "from breach_list order by late_minutes desc limit 10"
  pledge query --file queries/report/worst_breaches.sql --param month=2025-10
  pledge query --file queries/kpi/kpi_timeliness_monthly.sql --format parquet --output timeliness.parquet
  pledge query --describe --file queries/report/fast_first_response_by_channel.sql
  pledge query --month 2025-10 --compare-policy other-policy.yaml
  pledge query --reveal-pii "select customer_name, customer_phone from stg_complaints limit 5"`)
    .action(async (sql: string | undefined, opts: QueryOptions) => {
      const text = await query(sql, opts);
      if (text !== undefined) process.stdout.write(text);
    });
}

export function parseParams(pairs: string[]): Params {
  const params: Params = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new PledgeError(`--param: "${p}" is not name=value`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return params;
}

/** A --param month=2025-10 also chooses the reporting month (and so the as-of) when --month is not given. */
function reportingMonth(opts: QueryOptions, given: Params): string | undefined {
  if (opts.month) return opts.month;
  const m = /^(\d{4}-\d{2})(-01)?$/.exec(String(given.month ?? ''));
  return m?.[1];
}

function sessionParams(session: Session, month: string | undefined): Params {
  return { as_of: session.asOf, ...(month ? { month: `${month}-01` } : {}) };
}

/** Runs the query and writes it; returns text for the terminal (undefined when written to --output). */
export async function query(sql: string | undefined, opts: QueryOptions): Promise<string | undefined> {
  if (opts.describe) {
    if (!opts.file) throw new PledgeError('--describe: give the query file with --file');
    return describeQuery(loadQueryFile(opts.file));
  }
  if (opts.comparePolicy) {
    if (sql || opts.file) throw new PledgeError('--compare-policy compares the month\'s KPIs and statuses: give --month, not SQL');
    if (!opts.month) throw new PledgeError('--compare-policy: give the month to compare with --month');
    const comparison = await comparePolicies({ warehouse: opts.warehouse, policy: opts.policy, other: opts.comparePolicy, month: opts.month, asOf: opts.asOf });
    return writeComparison(comparison, opts.format, opts.output);
  }
  if (!sql && !opts.file) throw new PledgeError('query: give SQL text or --file');
  const given = parseParams(opts.param ?? []);
  const month = reportingMonth(opts, given);
  const q = opts.file ? loadQueryFile(opts.file) : inlineQuery(sql!);
  // Only what the query reads is built: "select 1" opens the warehouse and nothing more.
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, asOf: opts.asOf, month, revealPii: opts.revealPii, reads: q.sql });
  try {
    tellAsOf(session);
    const filtered = monthsNamed(q.sql);
    if (!opts.asOf && !month && filtered.length === 1) {
      warn(`the query names the month ${filtered[0]} but is evaluated as of the latest time in the warehouse; `
        + `the dashboard of ${filtered[0]} is as of the end of that month: add --month ${filtered[0]} to get its figures`);
    }
    if (opts.revealPii) recordReveal(opts.warehouse, 'query', { sql: sql ?? null, file: opts.file ?? null, output: opts.output ?? null });
    const result = await runToResult(session, q, { given, month });
    const text = await writeResult(result, opts.format, opts.output);
    if (opts.output) {
      const [n] = await session.wh.rows(`select count(*) as n from ${result.relation}`);
      process.stderr.write(`${q.source}: wrote ${n.n} row${n.n === 1 ? '' : 's'} as ${opts.format} to ${opts.output}\n`);
    }
    return text;
  } finally {
    session.close();
  }
}

/** The months a query's text names as literals ('2025-10' or '2025-10-01'), distinct. */
function monthsNamed(sql: string): string[] {
  return [...new Set([...sql.matchAll(/'(\d{4}-(?:0[1-9]|1[0-2]))(?:-01)?'/g)].map((m) => m[1]))];
}

/** The query's rows held in DuckDB, ready for any format. */
export async function runToResult(session: Session, q: LoadedQuery, opts: { given?: Params; month?: string }): Promise<QueryResult> {
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

/** A query file's header, as an analyst reads it. */
export function describeQuery(q: LoadedQuery): string {
  const h = q.header;
  const lines = [`${q.source}`, `  ${h.title}`];
  if (h.description) lines.push(`  ${h.description}`);
  if (h.parameters.length) {
    lines.push('parameters:');
    for (const p of h.parameters) lines.push(`  $${p.name}  ${p.type}${p.default !== undefined ? ` = ${p.default}` : ''}  ${p.meaning}`);
  }
  if (h.columns) {
    lines.push('columns:');
    for (const c of h.columns) lines.push(`  ${c.name}  ${c.type}${c.unit ? ` [${c.unit}]` : ''}  ${c.meaning}`);
    if (h.passthrough) lines.push('  …and the columns it passes through (see the header)');
  } else {
    lines.push('columns: not documented in the header');
  }
  return lines.join('\n') + '\n';
}


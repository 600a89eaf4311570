import { Command, Option } from 'commander';
import { openSession } from '../session.ts';
import { runQueryFile, runSqlText } from '../query-file.ts';
import type { Params, Row } from '../db.ts';
import { PledgeError } from '../errors.ts';
import { asOfOption, policyOption, warehouseOption } from './options.ts';

export interface QueryOptions {
  policy: string;
  warehouse: string;
  asOf?: string;
  month?: string;
  format: 'table' | 'csv' | 'json';
  file?: string;
  param: string[];
}

export function queryCommand(): Command {
  const cmd = new Command('query')
    .description('Run SQL against the warehouse with the policy\'s views loaded (commitment_status, kpi_* …)')
    .argument('[sql]', 'SQL text (or use --file)')
    .option('--file <path>', 'run a query file instead')
    .option('--param <name=value>', 'bind a $name parameter (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--month <YYYY-MM>', 'reporting month: sets $month and the default as-of (end of that month)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'));
  warehouseOption(cmd);
  policyOption(cmd);
  asOfOption(cmd);
  return cmd
    .addHelpText('after', `
Examples:
  pledge query "select * from kpi_summary_monthly where month = '2025-10-01'"
  pledge query --format csv "from breach_list order by late_minutes desc limit 10"
  pledge query --file queries/report/worst_breaches.sql --param month=2025-10-01`)
    .action(async (sql: string | undefined, opts: QueryOptions) => {
      const rows = await query(sql, opts);
      process.stdout.write(formatRows(rows, opts.format));
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

export async function query(sql: string | undefined, opts: QueryOptions): Promise<Row[]> {
  if (!sql && !opts.file) throw new PledgeError('query: give SQL text or --file');
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, asOf: opts.asOf, month: opts.month });
  try {
    const params: Params = { as_of: session.asOf, ...(opts.month ? { month: `${opts.month}-01` } : {}), ...parseParams(opts.param ?? []) };
    return opts.file ? await runQueryFile(session.wh, opts.file, params) : await runSqlText(session.wh, sql!, params, 'query');
  } finally {
    session.close();
  }
}

export function formatRows(rows: Row[], format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const cols = rows.length ? Object.keys(rows[0]) : [];
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

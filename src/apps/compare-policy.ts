// Policy what-if: the month computed under two policies from the same history.
// Help-desk tools keep the SLA verdict stamped on each ticket; Pledge keeps the
// raw stage times, so a changed limit can be re-applied to past complaints and
// judged before it is adopted.
//
// One session, one warehouse: every view is computed under the other policy
// and kept (queries/compare/whatif_*.sql), then under the policy in force and
// kept, and the SQL in queries/compare/ compares the two.
import { join, basename } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import { applyPolicy, openSession, type Session } from '../models/session.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { loadQueryFile, runQuery } from '../models/query-file.ts';
import { explainSqlError } from '../models/sql-errors.ts';
import { PledgeError } from '../core/errors.ts';
import { formatRows } from '../outputs/format-rows.ts';
import { kpiLabel, type Lang } from '../reports/labels.ts';
import { formatKpiValue } from '../reports/format.ts';
import { writeFileAtomic } from '../core/files.ts';
import type { Comparison } from '../reports/compare.ts';

export type { Comparison };

export interface CompareOptions { warehouse: string; policy: string; other: string; month: string; asOf?: string; queriesDir?: string }


const compareDir = (queriesDir?: string) => join(queriesDir ?? defaultQueriesDir(), 'compare');

/** Keeps what the views say under the policy now in force as whatif_<name>_<which>. */
async function keep(session: Session, which: 'current' | 'other', queriesDir?: string): Promise<void> {
  for (const name of ['whatif_kpi', 'whatif_status']) {
    const q = loadQueryFile(join(compareDir(queriesDir), `${name}.sql`));
    const prefix = `create or replace temp table ${name}_${which} as\n`;
    try {
      await session.wh.run(prefix + q.sql);
    } catch (e) {
      throw await explainSqlError(session.wh, e, q.source, q.sql, prefix);
    }
  }
}

/** A session where the policy in force is `policy` and whatif_*_current / whatif_*_other hold both policies' results. */
export async function openComparisonSession(opts: CompareOptions): Promise<Session> {
  // The other policy first, so that the session ends with the policy in force.
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.other, month: opts.month, asOf: opts.asOf, queriesDir: opts.queriesDir });
  try {
    await keep(session, 'other', opts.queriesDir);
    await applyPolicy(session, opts.policy, opts.queriesDir);
    await keep(session, 'current', opts.queriesDir);
    return session;
  } catch (e) {
    session.close();
    throw e;
  }
}

export async function comparisonRows(session: Session, month: string, queriesDir?: string): Promise<{ kpis: Row[]; statusChanges: Row[] }> {
  const run = (file: string) => runQuery(session.wh, loadQueryFile(join(compareDir(queriesDir), file)), { session: { month: `${month}-01`, as_of: session.asOf } });
  return { kpis: await run('policy_kpi_changes.sql'), statusChanges: await run('policy_status_changes.sql') };
}

export async function comparePolicies(opts: CompareOptions): Promise<Comparison> {
  const session = await openComparisonSession(opts);
  try {
    const rows = await comparisonRows(session, opts.month, opts.queriesDir);
    return { month: opts.month, current: opts.policy, other: opts.other, asOf: session.asOf, policy: session.policy, ...rows };
  } finally {
    session.close();
  }
}

/** The two results for a terminal or a file: table (two blocks), CSV (two blocks), JSON (one object). */
export function writeComparison(c: Comparison, format: string, output?: string): string | undefined {
  let text: string;
  if (format === 'json') {
    text = JSON.stringify({ month: c.month, current_policy: c.current, other_policy: c.other, as_of: c.asOf, kpis: c.kpis, status_changes: c.statusChanges }, null, 2) + '\n';
  } else if (format === 'table' || format === 'csv') {
    const heading = (t: string) => (format === 'table' ? `${t}\n` : `# ${t}\n`);
    text = heading(`KPIs for ${c.month}: ${c.current} (current) vs ${c.other} (other), as of ${c.asOf}`)
      + formatRows(c.kpis, format) + '\n'
      + heading(`complaints whose status changes (${c.statusChanges.length})`)
      + formatRows(c.statusChanges, format);
  } else {
    throw new PledgeError(`--compare-policy: --format ${format} holds one table; use table, csv or json (or query whatif_kpi_current / whatif_kpi_other with SQL)`);
  }
  if (!output) return text;
  writeFileAtomic(output, text);
  return undefined;
}

/** One line per KPI of the organisation that moves, for the end of `pledge run`. */
/** The organisation's KPIs that move, for the terminal: named and formatted as on the compare page (--lang). */
export function summariseComparison(c: Comparison, lang: Lang): string[] {
  const show = (kpi: unknown, v: unknown) => (v === null || v === undefined ? '—' : formatKpiValue(String(kpi), v, lang));
  const moved = c.kpis.filter((k) => k.department === null && (k.current_value !== k.other_value));
  return [
    `what-if ${basename(c.other)} vs ${basename(c.current)} for ${c.month}: ${c.statusChanges.length} complaint status(es) change`,
    ...moved.map((k) => `  ${kpiLabel(c.policy, String(k.kpi), lang)}: ${show(k.kpi, k.current_value)} → ${show(k.kpi, k.other_value)}`),
  ];
}

// Closed months: a month's figures stored as published, so that months are compared
// like with like. A month is judged at its own end (the as-of of `pledge run --month M`);
// recomputed later, at another month's as-of, its clocks have moved on (complaints due in
// it resolved since, surveys answered since) and "vs last month" would compare this month
// at its end with last month some weeks after its end. Closing keeps the figures the month
// had at its end, with the data loaded by the close, in the warehouse table published_kpi
// (src/warehouse/schema.ts). "vs last month" and the trend read them (kpi_published_monthly);
// a later recomputation that differs is a revision (kpi_revisions), never a silent change.
//
// A month is closed by `pledge close --month M`, or by `pledge ingest` once the data have
// passed the month's settle period (policy reports.close_after, queries/kpi/kpi_month_close.sql).
// Ingest, not `pledge run`: a report run opens the warehouse read-only and leaves it byte
// for byte as it was (several can run at once, and beside a preview); an ingest already
// writes, and it is the data arriving that settles a month. Published figures are never
// recomputed when the policy changes: the revision shows the difference, with the policy of
// each as the why.
import { openSession, parseMonth } from './session.ts';
import { PledgeError } from '../core/errors.ts';
import type { Row } from '../warehouse/db.ts';
import { PLEDGE_VERSION } from '../core/project.ts';

export interface CloseOptions {
  warehouse: string;
  policy: string;
  queries?: string;
  /** Close this month again: the reason is recorded; the earlier close stays in published_kpi. */
  reclose?: string;
  /** Where a one-line notice goes (stale facts computed, …); default: dropped. */
  notice?: (line: string) => void;
}

export interface Closed {
  month: string;
  closeNo: number;
  rows: number;
  asOf: string;
  reason: string;
  /** Said beside the close: closed before its settle period ended. */
  note?: string;
}


const MONTH_CLOSE = 'select * from kpi_month_close';

/** The months of the warehouse with their close instants and state (queries/kpi/kpi_month_close.sql). */
export async function monthCloses(opts: CloseOptions): Promise<Row[]> {
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, queriesDir: opts.queries, reads: MONTH_CLOSE, notice: opts.notice ?? (() => undefined) });
  try {
    return await session.wh.rows(MONTH_CLOSE);
  } finally {
    session.close();
  }
}

const at = (v: unknown) => (v === null || v === undefined ? '–' : String(v).slice(0, 16));

/**
 * Publishes month `month` (YYYY-MM): kpi_unit_monthly at the month's end (every level, unit and
 * KPI), as the data and the policy read now. Refused when the month is closed already (unless
 * `reclose` says why it is closed again) or has not ended in the data.
 */
export async function closeMonth(month: string, opts: CloseOptions & { reason?: string }): Promise<Closed> {
  parseMonth(month);
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, month, readOnly: false, queriesDir: opts.queries,
    reads: `${MONTH_CLOSE}; select * from kpi_unit_monthly`, notice: opts.notice ?? (() => undefined),
  });
  try {
    const { wh } = session;
    const [state] = await wh.rows(`select *, data_until >= month_end as ended from kpi_month_close where month = $m::date`, { m: `${month}-01` });
    if (!state) {
      const [span] = await wh.rows(`select min(month) as first, max(month) as last from kpi_month_close`);
      throw new PledgeError(`pledge close --month ${month}: the warehouse has no data for ${month} (its months run ${span?.first ? `from ${String(span.first).slice(0, 7)} to ${String(span.last).slice(0, 7)}` : 'nowhere: nothing is imported yet'})`);
    }
    if (state.closed && opts.reclose === undefined) {
      throw new PledgeError(`pledge close --month ${month}: ${month} is already closed (published as of ${at(state.published_as_of)}, closed ${at(state.closed_at)}); `
        + `its figures stand. To publish them again, say why: pledge close --month ${month} --reclose "<why>" (the earlier figures are kept in published_kpi)`);
    }
    if (!state.ended) {
      throw new PledgeError(`pledge close --month ${month}: the data reach only ${at(state.data_until)}: ${month} has not ended in them (it ends ${at(state.month_end)}); import the rest of it first`);
    }
    const closeNo = Number(state.close_no ?? 0) + 1;
    const reason = opts.reclose !== undefined ? `--reclose: ${opts.reclose}` : opts.reason ?? 'pledge close';
    // One statement: the month's figures are published whole or not at all (a failed commit,
    // a full disk, is reported as itself by the transaction helper).
    await wh.transaction(`the close of ${month}`, () => wh.run(`insert into main.published_kpi
      select month, $closeNo, level, department, team, unit, kpi, numerator, denominator, actual,
             unknown, judged_share, on_target, getvariable('as_of'), now(), $reason, $policyFile, getvariable('policy_sha256'),
             (select max(import_id) from imports), $version
      from kpi_unit_monthly where month = $m::date`,
    { closeNo, reason, policyFile: session.policy.source, version: PLEDGE_VERSION, m: `${month}-01` }));
    const rows = Number(await wh.value('select count(*) from main.published_kpi where month = $m::date and close_no = $closeNo', { m: `${month}-01`, closeNo }));
    await wh.run('checkpoint');
    const note = state.settled ? undefined
      : `closed before its settle period ended (reports.close_after: ${session.policy.reports.close_after}, it closes ${at(state.closes_at)}; the data reach ${at(state.data_until)})`;
    return { month, closeNo, rows, asOf: session.asOf, reason, note };
  } finally {
    session.close();
  }
}

/** Closes every month the data have settled (past month end + reports.close_after) that is not closed yet, oldest first. */
export async function closeSettled(opts: CloseOptions): Promise<Closed[]> {
  const due = (await monthCloses(opts)).filter((r) => r.settled && !r.closed);
  const closed: Closed[] = [];
  for (const r of due) {
    const month = String(r.month).slice(0, 7);
    closed.push(await closeMonth(month, { ...opts, reclose: undefined, reason: `settled: the data reach ${at(r.data_until)}, past ${at(r.closes_at)}` }));
  }
  return closed;
}

export function describeClose(c: Closed): string {
  const again = c.closeNo > 1 ? ` (close ${c.closeNo}; the earlier figures are kept)` : '';
  return `closed ${c.month}: ${c.rows.toLocaleString('en-US')} figures published as of ${c.asOf.slice(0, 16)}${again}; ${c.reason}${c.note ? `; ${c.note}` : ''}`;
}

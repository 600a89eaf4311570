// A measuring session: the warehouse opened with a policy and an as-of instant
// in force, and every view of queries/ created on top. `pledge run`, `pledge
// query` and the tests all start here, so they all see the same numbers.
import { Warehouse } from '../warehouse/db.ts';
import { loadPolicy, type Policy } from '../warehouse/policy.ts';
import { loadCalendarTables, loadPolicyTables } from '../warehouse/policy-tables.ts';
import { createQueryObjects, defaultQueriesDir, listQueryFiles, readClosure, sqlReads } from './queries.ts';
import { ensureAppealVersions, ensureEventVersions, ensurePublishedKpi, ensureWarehouse } from '../warehouse/schema.ts';
import { PledgeError } from '../core/errors.ts';
import { applyFileModes, installMasking, privacyFor } from '../privacy/keys.ts';
import { revealPersonal } from '../privacy/personal.ts';
import { openWarehouse } from '../privacy/upgrade.ts';
import { timed } from '../core/timings.ts';
import { assembleSplitNames, createAllLive, createLiveFacts, ensureFacts, isSplit, SPLIT_NAMES, type FactsState } from './facts.ts';

export interface SessionOptions {
  warehouse: string;
  policy: string;
  /** Explicit as-of instant ("2025-11-01", "2025-11-01 00:00", ISO with offset); local to the policy's zone. */
  asOf?: string;
  /** Reporting month "YYYY-MM": the default as-of is the end of it. */
  month?: string;
  queriesDir?: string;
  readOnly?: boolean;
  /**
   * --reveal-pii: the personal file is attached and outputs show personal data as read
   * (the caller records it). Every complaint is then worked out live: the stored facts hold masked forms.
   */
  revealPii?: boolean;
  /**
   * Same bits on every run: floating-point sums depend on the order rows are added
   * in, and the KPI tables are built when the session opens, so an assessment pack
   * and its verification run on one thread from the start.
   */
  deterministic?: boolean;
  /** The session runs report queries only (pledge run): tables no report reads are freed once used. */
  reportsOnly?: boolean;
  /**
   * The SQL the session will run (pledge query): only the files it names, and what they read,
   * are created; a query that reads no clock skips the stored facts entirely. Default: all.
   */
  reads?: string;
  /** false: no stored facts, every complaint worked out live (the reference they are checked against). */
  storedFacts?: boolean;
  /** pledge build: bring the stored facts up to date and stop (no views, no KPI tables). */
  factsOnly?: boolean;
  /** Where a one-line notice goes (stale facts computed for the session, facts rebuilt); default stderr. */
  notice?: (line: string) => void;
  /**
   * The latest instant an appeal may be known by (queries/kpi/kpi_appeals.sql; each is also bounded
   * by the close of its verdict's month). Default: the --as-of when one is given, else no bound.
   * A Dask bucket passes the coordinator's, read from the lake's settings.
   */
  appealsKnownBy?: string;
}

export interface Session {
  wh: Warehouse;
  policy: Policy;
  /** The as-of instant, local time in the policy's zone, e.g. "2025-11-01 00:00:00". */
  asOf: string;
  asOfRule: string;
  month?: string;
  uncoveredYears: number[];
  /** Where the data ends (stg_data_horizon), local time; null with no imports, undefined when not loaded. */
  horizon?: string | null;
  /** The bound on what is known of appeals (variable appeals_known_by): the as-of given, or "infinity". */
  appealsKnownBy: string;
  /** Whether the clock facts came from the warehouse or were computed for this session. */
  facts: FactsState;
  close(): void;
}

export function parseMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new PledgeError(`--month: "${month}" is not a month (try "2025-10")`);
  return month;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const policy = loadPolicy(opts.policy);
  applyFileModes(policy);
  // Report runs read the warehouse and never write to it (policy and views are temporary).
  const readOnly = opts.readOnly ?? true;
  const wh = await openWarehouse(opts.warehouse, { readOnly, timezone: policy.timezone }, policy);
  try {
    if (opts.deterministic) await wh.run('set threads = 1');
    if (!readOnly) await ensureWarehouse(wh, policy.customStages);
    await ensureEventVersions(wh);
    await ensureAppealVersions(wh);
    await ensurePublishedKpi(wh);
    await installMasking(wh);
    wh.privacy = privacyFor(opts.revealPii);
    if (opts.revealPii) await revealPersonal(wh);
    await timed('run.policy_tables', () => loadPolicyTables(wh, policy));
    const { asOf, rule } = await resolveAsOf(wh, opts);
    await wh.run('set variable as_of = $asOf::timestamptz', { asOf });
    // Appeals come after their verdict's month: a month judged at its end counts those known by
    // its close; an as-of given is what was known then, appeals included.
    const appealsKnownBy = opts.appealsKnownBy ?? (opts.asOf ? asOf : 'infinity');
    await wh.run('set variable appeals_known_by = $k::timestamptz', { k: appealsKnownBy });
    const range = await dataRange(wh, asOf);
    await timed('run.calendar', () => loadCalendarTables(wh, policy, range.from, range.to));
    const dir = opts.queriesDir ?? defaultQueriesDir();
    const only = opts.reads === undefined || opts.factsOnly ? undefined : await neededFiles(wh, dir, opts.reads);
    const needsFacts = !only || SPLIT_NAMES.some((n) => only.has(n));
    const allLive = opts.storedFacts === false || opts.revealPii === true;
    const facts = !needsFacts || allLive ? { source: 'session' as const, notice: '' }
      : await ensureFacts(wh, dir, { writable: !readOnly, asOf });
    if (facts.notice) (opts.notice ?? noticeOnStderr)(facts.notice);
    const session: Session = {
      wh, policy, asOf, asOfRule: rule, month: opts.month, uncoveredYears: [], facts, appealsKnownBy,
      close: () => wh.close(),
    };
    if (opts.factsOnly) return session;
    await createSessionObjects(wh, dir, { reportsOnly: opts.reportsOnly, only, needsFacts, allLive });
    if (!only || only.has('stg_data_horizon')) session.horizon = await dataHorizon(wh);
    if (only && !only.has('commitment_status')) return session;
    const uncovered = await timed('run.uncovered_years', () => wh.rows(`select distinct year(c.due_at::timestamp) as y from commitment_status c
      where c.calendar_uncovered order by 1`));
    session.uncoveredYears = uncovered.map((r) => Number(r.y));
    return session;
  } catch (e) {
    wh.close();
    throw e;
  }
}

/**
 * Puts another policy in force in an open session: its tables, its calendar and
 * every view and intermediate table recomputed under it (same warehouse, same
 * as-of instant). A policy what-if compares the month under two policies this way.
 */
export async function applyPolicy(session: Session, policyPath: string, queriesDir?: string): Promise<void> {
  const policy = loadPolicy(policyPath);
  const { wh } = session;
  await loadPolicyTables(wh, policy);
  const range = await dataRange(wh, session.asOf);
  await loadCalendarTables(wh, policy, range.from, range.to);
  const dir = queriesDir ?? defaultQueriesDir();
  // Another policy's clocks are not the stored ones: the fingerprint tells, and they are computed here.
  session.facts = await ensureFacts(wh, dir, { writable: false, asOf: session.asOf });
  await createSessionObjects(wh, dir, {});
  session.policy = policy;
}

/**
 * Every view and table of queries/: the live part of the stored facts (complaints with
 * flow-log events, at the as-of), the four names assembled from both, then every other
 * file in dependency order.
 */
async function createSessionObjects(wh: Warehouse, dir: string, opts: { reportsOnly?: boolean; only?: Set<string>; needsFacts?: boolean; allLive?: boolean }): Promise<void> {
  if (opts.needsFacts ?? true) {
    if (opts.allLive) await createAllLive(wh, dir);
    else await createLiveFacts(wh, dir);
    await assembleSplitNames(wh, dir);
  }
  const { only } = opts;
  if (only) wh.notBuilt = listQueryFiles(dir).map((f) => f.name).filter((n) => !only.has(n));
  // A query that reads no file (select 1) needs none created, checked or parsed.
  if (only?.size !== 0) await createQueryObjects(wh, dir, { reportsOnly: opts.reportsOnly, only, skip: isSplit });
}

/**
 * What `sql` reads, directly or not (DuckDB's parse of it and of the files); the four split
 * names are assembled together, so one brings all. Everything (undefined) when DuckDB cannot
 * parse it as queries. A query that reads no file (select 1) needs no file parsed.
 */
async function neededFiles(wh: Warehouse, dir: string, sql: string): Promise<Set<string> | undefined> {
  const names = await sqlReads(wh, sql);
  if (!names) return undefined;
  const needed = await readClosure(wh, dir, names);
  if (!SPLIT_NAMES.some((n) => needed.has(n))) return needed;
  return readClosure(wh, dir, [...names, ...SPLIT_NAMES]);
}

/** The as-of rule without --month or --as-of: taken from the data, so never past where it ends. */
const LATEST_RULE = 'just after the latest time recorded in the warehouse';

/** Where the data ends (queries/staging/stg_data_horizon.sql), as local time text. */
async function dataHorizon(wh: Warehouse): Promise<string | null> {
  return wh.value<string | null>(`select strftime(horizon::timestamp, '%Y-%m-%d %H:%M:%S') from stg_data_horizon`);
}

/**
 * The as-of instant a command evaluated at, and how it was chosen, for stderr: two
 * commands that disagree on a figure most often disagree on this. When the as-of is past
 * where the data ends, a second line says what that does to the clocks due in between.
 */
export function asOfNotice(session: Session): string[] {
  const lines = [`as of ${session.asOf.replace(/(:00)?(\+\d\d)?$/, '')} ${session.policy.timezone} (${session.asOfRule})`];
  if (session.horizon && session.asOfRule !== LATEST_RULE && session.horizon < session.asOf.slice(0, 19)) {
    lines.push(`the data ends ${session.horizon} (the latest instant an import vouches for; give an export's own time with --exported-at): `
      + 'clocks due after it and not done are unknown ("data ends"), not overdue');
  }
  return lines;
}

function noticeOnStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Never the wall clock: the same inputs always give the same numbers.
 *   --as-of given        → that instant;
 *   --month given        → the end of that month (00:00 on the 1st of the next);
 *   otherwise            → the latest stage time recorded in the warehouse.
 */
async function resolveAsOf(wh: Warehouse, opts: SessionOptions): Promise<{ asOf: string; rule: string }> {
  if (opts.asOf) {
    const parsed = await wh.rows('select try_cast($v as timestamptz) as t', { v: opts.asOf.replace('T', ' ') });
    if (!parsed[0]?.t) throw new PledgeError(`--as-of: "${opts.asOf}" is not an instant (try "2025-11-01 00:00")`);
    return { asOf: String(parsed[0].t), rule: 'given with --as-of' };
  }
  if (opts.month) {
    const [y, m] = parseMonth(opts.month).split('-').map(Number);
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    return { asOf: `${next}-01 00:00:00`, rule: `end of ${opts.month}` };
  }
  // Every *_at column of complaint_versions is a stage time. As of an instant means before it
  // (a month is [its first day, the next month's)), so the latest time itself is in: one second on.
  const latest = await wh.value<string | null>(`select strftime(date_trunc('second', max(greatest(*columns('_at$')))::timestamp)
      + interval 1 second, '%Y-%m-%d %H:%M:%S') from complaint_versions`);
  return { asOf: latest ?? '2000-01-01 00:00:00', rule: LATEST_RULE };
}

/** The calendar must span every clock: from the first receipt to well past the last possible deadline. */
async function dataRange(wh: Warehouse, asOf: string): Promise<{ from: string; to: string }> {
  const [r] = await wh.rows(`select year(min(received_at::timestamp)) as y0,
      year(greatest(max(received_at::timestamp), $asOf::timestamp)) as y1 from complaint_versions`, { asOf });
  const y0 = Number(r.y0 ?? asOf.slice(0, 4)) - 1;
  const y1 = Number(r.y1 ?? asOf.slice(0, 4)) + 2;
  return { from: `${y0}-01-01`, to: `${y1}-12-31` };
}

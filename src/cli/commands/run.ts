import { basename, dirname, join, relative } from 'node:path';
import { Command } from 'commander';
import { PledgeError } from '../../core/errors.ts';
import { openSession, parseMonth } from '../../models/session.ts';
import { writeDashboard, type DashboardResult } from '../../reports/dashboard.ts';
import { writeReviews } from '../../reports/review.ts';
import { chromiumAvailable, CHROMIUM_PATH, writePdfs } from '../../reports/pdf.ts';
import type { Lang } from '../../reports/labels.ts';
import { daskFlags, DEFAULT_OUT, say, sharedOptions, tellAsOf, warn, type EngineFlags } from '../options.ts';
import { comparePolicies, summariseComparison, type Comparison } from '../../apps/compare-policy.ts';
import { checkReplaceable, publishFolder, testKillPoint, type PublishSpec } from '../../outputs/publish.ts';
import { comparisonPageName, writeComparisonPage } from '../../reports/compare.ts';
import { recordReveal } from '../../privacy/keys.ts';
import { computeOnDask, daskSummary } from '../../apps/dask.ts';
import { runQueryFile } from '../../models/query-file.ts';
import { defaultQueriesDir } from '../../models/queries.ts';
import type { Session } from '../../models/session.ts';
import type { Row } from '../../warehouse/db.ts';
import { progress, SILENT, type Progress } from '../progress.ts';
import { kpiTable } from '../kpi-table.ts';
import { writeWorkbook } from '../../apps/workbook.ts';
import { writeMonthIndex, writeMonthSummary } from '../../apps/month-index.ts';

export interface RunOptions extends EngineFlags {
  month: string;
  policy: string;
  warehouse: string;
  out: string;
  asOf?: string;
  lang: Lang;
  panels?: string;
  queries?: string;
  comparePolicy?: string;
  pdf?: boolean;
  revealPii?: boolean;
  /** Write the pages of a month the data do not reach, or with no complaint, instead of refusing. */
  allowEmpty?: boolean;
  /** Also write <month>/pledge-<month>.xlsx: scorecards, rankings, breach list. */
  xlsx?: boolean;
  quiet?: boolean;
  /** Hears each phase (src/cli/progress.ts); default: nothing is said. */
  progress?: Progress;
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Compute the month\'s commitment statuses and KPIs and write its reports (the warehouse is opened read-only)')
    .requiredOption('--month <YYYY-MM>', 'reporting month')
    .option('--out <dir>', 'reports folder', DEFAULT_OUT)
    .option('--compare-policy <other.yaml>', 'also compute the month under this policy: KPIs per department side by side and the complaints whose status changes (written beside the dashboard)')
    .option('--pdf', 'also print every page to an A4 PDF beside it (needs Chromium; set PLEDGE_CHROMIUM to its path)')
    .option('--xlsx', 'also write the scorecards, rankings and breach list as one Excel workbook, <month>/pledge-<month>.xlsx')
    .option('--allow-empty', 'write the pages even when the month starts after the data end or has no complaint (default: refuse, exit 1)', false)
    .option('--quiet', 'no progress bar or phase lines on stderr', false);
  sharedOptions(cmd, 'engine', 'warehouse', 'policy', 'as-of', 'reveal-pii', 'queries', 'panels', 'lang');
  return cmd
    .addHelpText('after', '\nExamples:\n  pledge run --month 2025-10 --policy data/policy.yaml --out reports/out\n  pledge run --month 2025-10 --compare-policy proposed-policy.yaml\n  pledge run --month 2025-10 --lang en --pdf')
    .action(async (opts: RunOptions) => {
      const flags = daskFlags(opts);
      // The merged tables are the policy's in force; the other policy's would be computed from them.
      if (flags && opts.comparePolicy) throw new PledgeError('--engine dask: --compare-policy is not supported (run the comparison single-machine)');
      const dask = flags && await computeOnDask({
        warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries, revealPii: opts.revealPii, ...flags,
      });
      if (dask) say(daskSummary(dask));
      let result: RunResult;
      // Phases: the session, the dashboard, the review pages, publishing (more for --pdf, --xlsx, --compare-policy).
      const bar = progress({ command: 'run', phases: 4 + (opts.pdf ? 1 : 0) + (opts.xlsx ? 1 : 0) + (opts.comparePolicy ? 1 : 0), quiet: opts.quiet });
      try { result = await run(dask ? { ...opts, queries: dask.queriesDir, progress: bar } : { ...opts, progress: bar }); } finally { bar.stop(); dask?.cleanup(); }
      const { dashboard, reviews, pdfs, comparison, comparisonPage } = result;
      if (reviews.length) say(`${reviews.length} performance-review pages under ${dirname(dashboard)}`);
      if (pdfs.length) say(`${pdfs.length} PDFs beside them`);
      if (result.workbook) say(result.workbook);
      if (result.index) say(`every month run under ${opts.out}: ${result.index}`);
      // The month's headline KPIs against their targets; the dashboard's path stays the last line
      // (scripts and npm run demo read it with tail -1).
      say('');
      for (const line of result.kpis) say(line);
      say('');
      say(dashboard);
      if (comparison && comparisonPage) {
        for (const line of summariseComparison(comparison, opts.lang)) say(line);
        say(comparisonPage);
      }
    });
}

export interface RunResult {
  dashboard: string; asOf: string; reviews: string[]; pdfs: string[]; comparison?: Comparison; comparisonPage?: string;
  /** The headline KPIs as a text table (src/cli/kpi-table.ts). */
  kpis: string[];
  /** --xlsx: the workbook's path. */
  workbook?: string;
  /** <out>/index.html, every month run under --out. */
  index?: string;
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * Refuses a month the data say nothing about: one that starts where the data end or later
 * (stg_data_horizon: every clock due in it would be "data ends", and its tiles would show the
 * few earlier complaints still open as if they were the month), or one no complaint was
 * received in (a typo in --month). --allow-empty writes the pages anyway, with a warning.
 * A month the data end inside is provisional, and says so.
 */
async function checkMonthHasData(session: Session, opts: RunOptions): Promise<void> {
  const start = `${opts.month}-01 00:00:00`;
  const end = `${nextMonth(opts.month)}-01 00:00:00`;
  const horizon = session.horizon ?? null;
  const refuse = (why: string, fix: string) => {
    if (!opts.allowEmpty) throw new PledgeError(`${why}: ${fix}, or give --allow-empty to write its pages anyway`);
    warn(`${why} (--allow-empty: its pages are written all the same)`);
  };
  if (horizon !== null && horizon <= start) {
    refuse(`${opts.month} starts after the data end: the latest export vouches for the state of things up to ${horizon.slice(0, 16)} `
      + '(stg_data_horizon), so nothing due in the month can be judged', 'load a later export');
    return;
  }
  const [r] = await session.wh.rows(`select count(*) as n from stg_complaints where received_at >= $start::timestamptz and received_at < $end::timestamptz`, { start, end });
  if (Number(r.n) === 0) {
    // What the warehouse holds at all (not only up to the as-of), to tell a mistyped month from a missing export.
    const [all] = await session.wh.rows(`select strftime(min(received_at)::timestamp, '%Y-%m-%d') as first,
        strftime(max(received_at)::timestamp, '%Y-%m-%d') as last from complaint_versions`);
    refuse(`${opts.month}: no complaint was received in the month (0 complaints; ${all.first ? `the warehouse holds complaints received ${all.first} to ${all.last}` : 'the warehouse holds none'})`,
      'check --month or load its export');
    return;
  }
  // The month is judged only up to where the data end, or the as-of when that is earlier.
  const until = [horizon, session.asOf.slice(0, 19)].filter((x): x is string => x !== null).sort()[0];
  if (until < end) {
    warn(`${opts.month} is provisional: the data end ${until.slice(0, 16)}, inside the month (${Number(r.n).toLocaleString('en-US')} complaints received by then); clocks due after it and not done cannot be judged yet`);
  }
}

/** Whether the month is closed, and every month's state (queries/kpi/kpi_month_close.sql), for the month index. */
async function monthState(session: Session, opts: RunOptions): Promise<{ closed: boolean | null; months: Record<string, boolean> }> {
  const rows = await session.wh.rows(`select strftime(month, '%Y-%m') as m, closed from kpi_month_close`);
  const months = Object.fromEntries(rows.map((r) => [String(r.m), Boolean(r.closed)]));
  return { closed: months[opts.month] ?? null, months };
}

const TILES_QUERY = 'report/dashboard_tiles.sql';

/**
 * The headline KPIs of the month: the rows the dashboard's tiles were drawn from, not computed
 * again; the query is run here only when a --panels folder of one's own has no tiles panel.
 */
async function headlineKpis(session: Session, opts: RunOptions, dashboard: DashboardResult): Promise<Row[]> {
  const tiles = dashboard.panels.find((p) => p.query === TILES_QUERY);
  return tiles ? tiles.rows : runQueryFile(session.wh, join(opts.queries ?? defaultQueriesDir(), TILES_QUERY), { month: `${opts.month}-01` });
}

/**
 * The month's reports are one set, published as a whole at <out>/<month> (src/outputs/publish.ts):
 * a killed or failed run leaves the month's earlier set as it was, never new pages beside old ones.
 * A month folder is replaced only if it carries the marker of an earlier run's set.
 */
export async function run(opts: RunOptions): Promise<RunResult> {
  parseMonth(opts.month);
  const monthDir = join(opts.out, opts.month);
  const spec: PublishSpec = {
    dir: monthDir, kind: 'report-month', id: opts.month, what: `reports of ${opts.month}`, replaces: 'marker',
    advice: 'move it away or choose another --out (month folders written before Pledge marked its sets carry no marker)',
  };
  const bar = opts.progress ?? SILENT;
  bar.start('opening the warehouse, clock facts');
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
    revealPii: opts.revealPii, reportsOnly: true,
  });
  let open = true;
  const close = () => { if (open) { open = false; session.close(); } };
  bar.done(`session as of ${session.asOf.slice(0, 16)}, clock facts ${session.facts.source === 'session' ? 'worked out for this run' : 'stored'}`);
  try {
    tellAsOf(session);
    await checkMonthHasData(session, opts);
    checkReplaceable(spec);   // before the work, not only before the swap
    if (opts.revealPii) recordReveal(opts.warehouse, 'run', { month: opts.month, out: opts.out });
    if (session.uncoveredYears.length) {
      warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed for deadlines there (declare the year under calendar.years in ${opts.policy}, or give its holidays as an .ics file under calendar.ics)`);
    }
    const asOf = session.asOf;
    // Paths inside the set, relative to it: they are published at monthDir.
    const written = await publishFolder(spec, async (staging) => {
      const rel = (p: string) => relative(staging, p);
      bar.start('dashboard');
      const result = await writeDashboard(session, {
        month: opts.month, outDir: opts.out, dir: staging, lang: opts.lang, panelsDir: opts.panels, queriesDir: opts.queries,
        comparePages: opts.comparePolicy ? [{ href: comparisonPageName(opts.comparePolicy), other: basename(opts.comparePolicy) }] : undefined,
      });
      bar.done('dashboard');
      testKillPoint('run:dashboard');
      bar.start('review pages');
      const reviews = await writeReviews(session, { month: opts.month, outDir: opts.out, dir: staging, lang: opts.lang, queriesDir: opts.queries, storiesWritten: result.stories });
      bar.done(`${reviews.length} review pages`);
      let pdfs: string[] = [];
      if (opts.pdf) {
        bar.start('printing PDFs');
        if (chromiumAvailable()) pdfs = await writePdfs([result.path, ...reviews.map((r) => r.path)]);
        else warn(`--pdf: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set PLEDGE_CHROMIUM): wrote HTML only`);
        bar.done(`${pdfs.length} PDFs`);
      }
      let workbook: string | undefined;
      if (opts.xlsx) {
        bar.start('Excel workbook');
        workbook = rel(await writeWorkbook(session, { month: opts.month, dir: staging, lang: opts.lang, queriesDir: opts.queries }));
        bar.done(`workbook ${workbook}`);
      }
      const tiles = await headlineKpis(session, opts, result);
      const kpis = kpiTable(tiles, session.policy, opts.lang);
      const status = await monthState(session, opts);
      close();   // the comparison opens sessions of its own
      let comparison: Comparison | undefined;
      let comparisonPage: string | undefined;
      if (opts.comparePolicy) {
        bar.start('policy comparison');
        comparison = await comparePolicies({
          warehouse: opts.warehouse, policy: opts.policy, other: opts.comparePolicy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
        });
        comparisonPage = rel(writeComparisonPage(comparison, opts.out, staging, { lang: opts.lang, dashboardHref: 'index.html' }));
        bar.done(`policy comparison ${comparisonPage}`);
      }
      // What the month index shows of this month (src/apps/month-index.ts), kept inside the set.
      writeMonthSummary(staging, {
        month: opts.month, asOf, closed: status.closed, tiles, policy: session.policy,
        pages: {
          dashboard: rel(result.path), reviews: reviews.map((r) => ({ level: r.level, unit: r.unit, path: rel(r.path) })),
          compare: comparisonPage ? [comparisonPage] : [], pdfs: pdfs.map(rel), workbook,
        },
      });
      bar.start('publishing');
      return { dashboard: rel(result.path), reviews: reviews.map((r) => rel(r.path)), pdfs: pdfs.map(rel), comparison, comparisonPage, workbook, kpis, months: status.months };
    });
    // The month is published; an index that cannot be written is said, not a failed run.
    let index: string | undefined;
    try { index = writeMonthIndex(opts.out, { lang: opts.lang, closed: written.months }); } catch (e) { warn((e as Error).message); }
    bar.done(`published ${monthDir}${index ? `, month index ${index}` : ''}`);
    const at = (p: string) => join(monthDir, p);
    return {
      dashboard: at(written.dashboard), asOf, reviews: written.reviews.map(at), pdfs: written.pdfs.map(at),
      comparison: written.comparison, comparisonPage: written.comparisonPage === undefined ? undefined : at(written.comparisonPage),
      workbook: written.workbook === undefined ? undefined : at(written.workbook), kpis: written.kpis, index,
    };
  } finally {
    close();
  }
}

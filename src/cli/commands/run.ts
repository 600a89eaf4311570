import { basename, dirname, join, relative } from 'node:path';
import { Command } from 'commander';
import { PledgeError } from '../../core/errors.ts';
import { openSession, parseMonth } from '../../models/session.ts';
import { writeDashboard } from '../../reports/dashboard.ts';
import { writeReviews } from '../../reports/review.ts';
import { chromiumAvailable, CHROMIUM_PATH, writePdfs } from '../../reports/pdf.ts';
import type { Lang } from '../../reports/labels.ts';
import { DEFAULT_OUT, say, sharedOptions, tellAsOf, warn } from '../options.ts';
import { comparePolicies, summariseComparison, type Comparison } from '../../apps/compare-policy.ts';
import { checkReplaceable, publishFolder, testKillPoint, type PublishSpec } from '../../outputs/publish.ts';
import { comparisonPageName, writeComparisonPage } from '../../reports/compare.ts';
import { recordReveal } from '../../privacy/keys.ts';
import { computeOnDask } from '../../apps/dask.ts';

export interface RunOptions {
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
  engine?: string; local?: string; scheduler?: string; buckets?: string; work?: string;
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Compute the month\'s commitment statuses and KPIs and write its reports (the warehouse is opened read-only)')
    .requiredOption('--month <YYYY-MM>', 'reporting month')
    .option('--out <dir>', 'reports folder', DEFAULT_OUT)
    .option('--compare-policy <other.yaml>', 'also compute the month under this policy: KPIs per department side by side and the complaints whose status changes (written beside the dashboard)')
    .option('--pdf', 'also print every page to an A4 PDF beside it (needs Chromium; set PLEDGE_CHROMIUM to its path)')
    .option('--engine <single|dask>', 'dask: the clocks and KPI counts computed per customer bucket on Dask distributed, merged, then the same reports (src/apps/dask.ts)', 'single')
    .option('--local <n>', '--engine dask: start a LocalCluster of N worker processes')
    .option('--scheduler <tcp://host:port>', '--engine dask: a running Dask scheduler')
    .option('--buckets <n>', '--engine dask: customer-hash buckets, one Dask task each (default 16)')
    .option('--work <dir>', '--engine dask: keep the lake, bucket outputs and merged tables in this new or empty folder');
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'reveal-pii', 'queries', 'panels', 'lang');
  return cmd
    .addHelpText('after', '\nExamples:\n  pledge run --month 2025-10 --policy data/policy.yaml --out reports/out\n  pledge run --month 2025-10 --compare-policy proposed-policy.yaml\n  pledge run --month 2025-10 --lang en --pdf')
    .action(async (opts: RunOptions) => {
      if (opts.engine !== 'single' && opts.engine !== 'dask') throw new PledgeError(`--engine: "${opts.engine}" is not single or dask`);
      // The merged tables are the policy's in force; the other policy's would be computed from them.
      if (opts.engine === 'dask' && opts.comparePolicy) throw new PledgeError('--engine dask: --compare-policy is not supported (run the comparison single-machine)');
      const dask = opts.engine !== 'dask' ? undefined : await computeOnDask({
        warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries, revealPii: opts.revealPii,
        local: opts.local === undefined ? undefined : Number(opts.local), scheduler: opts.scheduler,
        buckets: opts.buckets === undefined ? undefined : Number(opts.buckets), work: opts.work,
      });
      if (dask) say(`dask: ${dask.buckets.length} buckets; export ${dask.seconds.export.toFixed(1)} s, tasks ${dask.seconds.dask.toFixed(1)} s, merge ${dask.seconds.merge.toFixed(1)} s; `
        + `lake ${dask.bytes.lake} bytes, bucket outputs ${dask.bytes.buckets} bytes${opts.work ? ` (kept in ${dask.work})` : ''}`);
      let result: RunResult;
      try { result = await run(dask ? { ...opts, queries: dask.queriesDir } : opts); } finally { dask?.cleanup(); }
      const { dashboard, reviews, pdfs, comparison, comparisonPage } = result;
      if (reviews.length) say(`${reviews.length} performance-review pages under ${dirname(dashboard)}`);
      if (pdfs.length) say(`${pdfs.length} PDFs beside them`);
      say(dashboard);
      if (comparison && comparisonPage) {
        for (const line of summariseComparison(comparison)) say(line);
        say(comparisonPage);
      }
    });
}

export interface RunResult { dashboard: string; asOf: string; reviews: string[]; pdfs: string[]; comparison?: Comparison; comparisonPage?: string }

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
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
    revealPii: opts.revealPii, reportsOnly: true,
  });
  let open = true;
  const close = () => { if (open) { open = false; session.close(); } };
  try {
    tellAsOf(session);
    checkReplaceable(spec);   // before the work, not only before the swap
    if (opts.revealPii) recordReveal(opts.warehouse, 'run', { month: opts.month, out: opts.out });
    if (session.uncoveredYears.length) {
      warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed for deadlines there (declare the year under calendar.years in ${opts.policy}, or give its holidays as an .ics file under calendar.ics)`);
    }
    const asOf = session.asOf;
    // Paths inside the set, relative to it: they are published at monthDir.
    const written = await publishFolder(spec, async (staging) => {
      const rel = (p: string) => relative(staging, p);
      const result = await writeDashboard(session, {
        month: opts.month, outDir: opts.out, dir: staging, lang: opts.lang, panelsDir: opts.panels, queriesDir: opts.queries,
        comparePages: opts.comparePolicy ? [{ href: comparisonPageName(opts.comparePolicy), other: basename(opts.comparePolicy) }] : undefined,
      });
      testKillPoint('run:dashboard');
      const reviews = await writeReviews(session, { month: opts.month, outDir: opts.out, dir: staging, lang: opts.lang, queriesDir: opts.queries });
      let pdfs: string[] = [];
      if (opts.pdf) {
        if (chromiumAvailable()) pdfs = await writePdfs([result.path, ...reviews.map((r) => r.path)]);
        else warn(`--pdf: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set PLEDGE_CHROMIUM): wrote HTML only`);
      }
      close();   // the comparison opens sessions of its own
      let comparison: Comparison | undefined;
      let comparisonPage: string | undefined;
      if (opts.comparePolicy) {
        comparison = await comparePolicies({
          warehouse: opts.warehouse, policy: opts.policy, other: opts.comparePolicy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
        });
        comparisonPage = rel(writeComparisonPage(comparison, opts.out, staging, { lang: opts.lang, dashboardHref: 'index.html' }));
      }
      return { dashboard: rel(result.path), reviews: reviews.map((r) => rel(r.path)), pdfs: pdfs.map(rel), comparison, comparisonPage };
    });
    const at = (p: string) => join(monthDir, p);
    return {
      dashboard: at(written.dashboard), asOf, reviews: written.reviews.map(at), pdfs: written.pdfs.map(at),
      comparison: written.comparison, comparisonPage: written.comparisonPage === undefined ? undefined : at(written.comparisonPage),
    };
  } finally {
    close();
  }
}

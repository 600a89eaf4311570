import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { openSession, parseMonth } from '../session.ts';
import { writeDashboard } from '../../reports/dashboard.ts';
import { writeReviews } from '../../reports/review.ts';
import { chromiumAvailable, CHROMIUM_PATH, writePdfs } from '../../reports/pdf.ts';
import type { Lang } from '../../reports/labels.ts';
import { asOfOption, DEFAULT_OUT, tellAsOf, policyOption, revealOption, say, warehouseOption, warn } from './options.ts';
import { comparePolicies, summariseComparison } from '../compare-policy.ts';
import { writeComparisonPage } from '../../reports/compare.ts';
import { recordReveal } from '../privacy.ts';

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
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Compute the month\'s commitment statuses and KPIs and write its reports (the warehouse is opened read-only)')
    .requiredOption('--month <YYYY-MM>', 'reporting month')
    .option('--out <dir>', 'reports folder', DEFAULT_OUT)
    .addOption(new Option('--lang <lang>', 'report language').choices(['zh', 'en']).default('zh'))
    .option('--panels <dir>', 'dashboard panel definitions (default reports/panels/dashboard)')
    .option('--queries <dir>', 'SQL folder (default queries/)')
    .option('--compare-policy <other.yaml>', 'also compute the month under this policy: KPIs per department side by side and the complaints whose status changes (written beside the dashboard)')
    .option('--pdf', 'also print every page to an A4 PDF beside it (needs Chromium; set PLEDGE_CHROMIUM to its path)');
  warehouseOption(cmd);
  policyOption(cmd);
  asOfOption(cmd);
  revealOption(cmd);
  return cmd
    .addHelpText('after', '\nExamples:\n  pledge run --month 2025-10 --policy data/policy.yaml --out reports/out\n  pledge run --month 2025-10 --compare-policy proposed-policy.yaml\n  pledge run --month 2025-10 --lang en --pdf')
    .action(async (opts: RunOptions) => {
      const { dashboard, reviews, pdfs } = await run(opts);
      if (reviews.length) say(`${reviews.length} performance-review pages under ${dirname(dashboard)}`);
      if (pdfs.length) say(`${pdfs.length} PDFs beside them`);
      say(dashboard);
      if (opts.comparePolicy) {
        const comparison = await comparePolicies({
          warehouse: opts.warehouse, policy: opts.policy, other: opts.comparePolicy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
        });
        for (const line of summariseComparison(comparison)) say(line);
        say(writeComparisonPage(comparison, opts.out));
      }
    });
}

export async function run(opts: RunOptions): Promise<{ dashboard: string; asOf: string; reviews: string[]; pdfs: string[] }> {
  parseMonth(opts.month);
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
    revealPii: opts.revealPii, reportsOnly: true,
  });
  try {
    tellAsOf(session);
    if (opts.revealPii) recordReveal(opts.warehouse, 'run', { month: opts.month, out: opts.out });
    if (session.uncoveredYears.length) {
      warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed for deadlines there (declare the year under calendar.years in ${opts.policy}, or give its holidays as an .ics file under calendar.ics)`);
    }
    const result = await writeDashboard(session, {
      month: opts.month, outDir: opts.out, lang: opts.lang, panelsDir: opts.panels, queriesDir: opts.queries,
    });
    const reviews = await writeReviews(session, { month: opts.month, outDir: opts.out, lang: opts.lang, queriesDir: opts.queries });
    let pdfs: string[] = [];
    if (opts.pdf) {
      if (chromiumAvailable()) pdfs = await writePdfs([result.path, ...reviews.map((r) => r.path)]);
      else warn(`--pdf: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set PLEDGE_CHROMIUM): wrote HTML only`);
    }
    return { dashboard: result.path, asOf: session.asOf, reviews: reviews.map((r) => r.path), pdfs };
  } finally {
    session.close();
  }
}

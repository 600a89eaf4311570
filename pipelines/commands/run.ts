import { Command, Option } from 'commander';
import { openSession, parseMonth } from '../session.ts';
import { writeDashboard } from '../../reports/dashboard.ts';
import type { Lang } from '../../reports/labels.ts';
import { asOfOption, DEFAULT_OUT, policyOption, say, warehouseOption, warn } from './options.ts';

export interface RunOptions {
  month: string;
  policy: string;
  warehouse: string;
  out: string;
  asOf?: string;
  lang: Lang;
  panels?: string;
  queries?: string;
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Compute the month\'s commitment statuses and KPIs and write its reports (the warehouse is opened read-only)')
    .requiredOption('--month <YYYY-MM>', 'reporting month')
    .option('--out <dir>', 'reports folder', DEFAULT_OUT)
    .addOption(new Option('--lang <lang>', 'report language').choices(['zh', 'en']).default('zh'))
    .option('--panels <dir>', 'dashboard panel definitions (default reports/panels/dashboard)')
    .option('--queries <dir>', 'SQL folder (default queries/)');
  warehouseOption(cmd);
  policyOption(cmd);
  asOfOption(cmd);
  return cmd
    .addHelpText('after', '\nExample:\n  pledge run --month 2025-10 --policy data/policy.yaml --out reports/out')
    .action(async (opts: RunOptions) => {
      const { dashboard } = await run(opts);
      say(dashboard);
    });
}

export async function run(opts: RunOptions): Promise<{ dashboard: string; asOf: string }> {
  parseMonth(opts.month);
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
  });
  try {
    if (session.uncoveredYears.length) {
      warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed for deadlines there (declare the year under calendar.years in ${opts.policy})`);
    }
    const result = await writeDashboard(session, {
      month: opts.month, outDir: opts.out, lang: opts.lang, panelsDir: opts.panels, queriesDir: opts.queries,
    });
    return { dashboard: result.path, asOf: session.asOf };
  } finally {
    session.close();
  }
}

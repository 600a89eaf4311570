import { Command } from 'commander';
import { loadPolicy } from '../../warehouse/policy.ts';
import { DEFAULT_BUCKETS, exportParquet } from '../../outputs/lake.ts';
import { PledgeError } from '../../core/errors.ts';
import { say, sharedOptions } from '../options.ts';
import { applyFileModes, recordReveal } from '../../privacy/keys.ts';

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('Export the warehouse as a Parquet lake: complaint and event versions partitioned by month of receipt and customer bucket, imports, rejects, published figures, the policy and calendar tables and the settings the SQL reads')
    .requiredOption('--parquet <dir>', 'a new or empty folder to write into')
    .option('--buckets <n>', 'customer-hash buckets (a customer\'s complaints are all in one)', String(DEFAULT_BUCKETS))
    .option('--month <YYYY-MM>', 'the settings\' as_of is the end of this month (as pledge run --month)');
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'reveal-pii');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge export --parquet exports/parquet --month 2025-10   # then: select * from read_parquet(\'exports/parquet/complaint_versions/*/*/*.parquet\', hive_partitioning = true)')
    .action(async (opts: { parquet: string; warehouse: string; policy: string; buckets: string; month?: string; asOf?: string; revealPii?: boolean }) => {
      if (!opts.parquet) throw new PledgeError('export: give --parquet DIR');
      const buckets = Number(opts.buckets);
      const policy = loadPolicy(opts.policy);
      applyFileModes(policy);
      if (opts.revealPii) recordReveal(opts.warehouse, 'export', { parquet: opts.parquet });
      const r = await exportParquet(opts.warehouse, opts.parquet, opts.policy, { revealPii: opts.revealPii, buckets, month: opts.month, asOf: opts.asOf });
      const rows = r.months.reduce((s, m) => s + m.rows, 0);
      say(`${r.dir}: ${rows.toLocaleString('en-US')} complaint versions in ${r.months.length} monthly partitions x ${r.buckets} buckets, `
        + `${r.events.toLocaleString('en-US')} events, ${r.imports} imports, ${r.rejects} rejects, ${r.tables.length} policy and calendar tables, settings as of ${r.asOf}`);
    });
}

import { Command } from 'commander';
import { loadPolicy } from '../../warehouse/policy.ts';
import { exportParquet } from '../../outputs/lake.ts';
import { PledgeError } from '../../core/errors.ts';
import { say, sharedOptions } from '../options.ts';
import { applyFileModes, recordReveal } from '../../privacy/keys.ts';

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('Export the warehouse as Parquet: complaint versions partitioned by month of receipt, imports and rejects')
    .requiredOption('--parquet <dir>', 'a new or empty folder to write into');
  sharedOptions(cmd, 'warehouse', 'policy', 'reveal-pii');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge export --parquet exports/parquet   # then: select * from read_parquet(\'exports/parquet/complaint_versions/*/*.parquet\', hive_partitioning = true)')
    .action(async (opts: { parquet: string; warehouse: string; policy: string; revealPii?: boolean }) => {
      if (!opts.parquet) throw new PledgeError('export: give --parquet DIR');
      const policy = loadPolicy(opts.policy);
      applyFileModes(policy);
      if (opts.revealPii) recordReveal(opts.warehouse, 'export', { parquet: opts.parquet });
      const r = await exportParquet(opts.warehouse, opts.parquet, policy, { revealPii: opts.revealPii });
      const rows = r.months.reduce((s, m) => s + m.rows, 0);
      say(`${r.dir}: ${rows.toLocaleString('en-US')} complaint versions in ${r.months.length} monthly partitions, ${r.imports} imports, ${r.rejects} rejects`);
    });
}

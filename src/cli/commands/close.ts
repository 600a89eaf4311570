// pledge close: publishes a month's figures (src/models/close.ts), so that later months
// are compared with them as they were, and a recomputation that differs is a revision.
import { Command } from 'commander';
import { closeMonth, closeSettled, describeClose } from '../../models/close.ts';
import { say, sharedOptions } from '../options.ts';

interface CloseCommandOptions { warehouse: string; policy: string; month?: string; reclose?: string; queries?: string }

export function closeCommand(): Command {
  const cmd = new Command('close')
    .description('Close a month: store its figures as published (judged at the month\'s end), so "vs last month" and the trend compare published with published; without --month, close every month whose settle period (policy reports.close_after) the data have passed')
    .option('--month <YYYY-MM>', 'the month to close (even before its settle period ends)')
    .option('--reclose <why>', 'close an already closed month again, recording why; the earlier figures are kept');
  sharedOptions(cmd, 'warehouse', 'policy', 'queries');
  return cmd
    .addHelpText('after', '\nExamples:\n  pledge close --month 2025-10\n  pledge close                     # every settled month not closed yet (pledge ingest does this too)\n'
      + '  pledge close --month 2025-10 --reclose "late export of 2025-11-20 added 12 complaints"\n'
      + '  pledge query "from kpi_revisions"')
    .action(async (opts: CloseCommandOptions) => {
      const base = { warehouse: opts.warehouse, policy: opts.policy, queries: opts.queries, notice: (line: string) => process.stderr.write(`${line}\n`) };
      if (opts.month) {
        say(describeClose(await closeMonth(opts.month, { ...base, reclose: opts.reclose })));
        return;
      }
      const closed = await closeSettled(base);
      for (const c of closed) say(describeClose(c));
      if (!closed.length) say('no month to close: every month the data have settled is closed already');
    });
}

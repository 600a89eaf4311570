import { Command } from 'commander';
import { openSession } from '../../models/session.ts';
import { findDuckdbCli, runDuckdbCli, runRepl } from '../../apps/sql-shell.ts';
import { sharedOptions, tellAsOf } from '../options.ts';

export interface SqlOptions { warehouse: string; policy: string; asOf?: string; month?: string; queries?: string; repl?: boolean }

export function sqlCommand(): Command {
  const cmd = new Command('sql')
    .description('Open the warehouse interactively with the policy\'s views loaded (DuckDB\'s CLI when installed, else a small REPL with history)')
    .option('--month <YYYY-MM>', 'evaluate as of the end of this month')
    .option('--repl', 'use the built-in REPL even when the duckdb CLI is installed');
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'queries');
  return cmd
    .addHelpText('after', `
Examples:
  pledge sql --month 2025-10
  echo "select * from kpi_summary_monthly where month = '2025-10-01';" | pledge sql --month 2025-10`)
    .action(async (opts: SqlOptions) => {
      process.exitCode = await sql(opts);
    });
}

export async function sql(opts: SqlOptions): Promise<number> {
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, asOf: opts.asOf, month: opts.month, queriesDir: opts.queries });
  tellAsOf(session);
  const cli = opts.repl || !process.stdin.isTTY ? undefined : findDuckdbCli();
  if (cli) return runDuckdbCli(cli, session, opts.queries);   // closes the session before the CLI opens the file
  try {
    await runRepl(session);
    return 0;
  } finally {
    session.close();
  }
}

// pledge build: brings the warehouse's stored facts (queries/facts/) up to date with
// its imports, its policy, its calendar and its SQL. pledge ingest runs it after every
// import; run it by hand after changing the policy or a file of queries/, or when a
// report command said the stored facts were stale.
import { Command } from 'commander';
import { openSession } from '../../models/session.ts';
import { say, sharedOptions } from '../options.ts';
import { applyFileModes } from '../../privacy/keys.ts';
import { loadPolicy } from '../../warehouse/policy.ts';

export interface BuildOptions { warehouse: string; policy: string; queries?: string }

export function buildCommand(): Command {
  const cmd = new Command('build')
    .description('Bring the stored clock facts up to date (only the complaints new imports touched, or all of them after a change of policy, calendar or SQL); pledge ingest runs it');
  sharedOptions(cmd, 'warehouse', 'policy', 'queries');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge build --warehouse data/warehouse.duckdb --policy data/policy.yaml')
    .action(async (opts: BuildOptions) => say(await buildStoredFacts(opts)));
}

/** Opens the warehouse for writing, brings the facts up to date, and says in one line what was done. */
export async function buildStoredFacts(opts: BuildOptions): Promise<string> {
  applyFileModes(loadPolicy(opts.policy));
  const session = await openSession({ ...opts, queriesDir: opts.queries, readOnly: false, factsOnly: true, notice: () => undefined });
  try {
    return session.facts.notice || 'stored facts are current: nothing to build';
  } finally {
    session.close();
  }
}

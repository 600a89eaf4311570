// pledge test: runs the data tests of queries/tests/ against the warehouse and
// exits 1 when any returns a row, printing the rows.
import { Command } from 'commander';
import { openSession } from '../../models/session.ts';
import { defaultQueriesDir } from '../../models/queries.ts';
import { listDataTests, runDataTests } from '../../models/data-tests.ts';
import { formatRows } from '../../outputs/format-rows.ts';
import { PledgeError } from '../../core/errors.ts';
import { say, sharedOptions, tellAsOf } from '../options.ts';

interface TestOptions { warehouse: string; policy: string; month?: string; asOf?: string; queries?: string }

export function testCommand(): Command {
  const cmd = new Command('test')
    .description('Run the data tests in queries/tests/ (each a query whose rows are failures); exits 1 when any fails')
    .option('--month <YYYY-MM>', 'judge as of the end of this month (default: the latest time recorded)');
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'queries');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge test --month 2025-10')
    .action(async (opts: TestOptions) => {
      const failed = await dataTest(opts);
      if (failed) throw new PledgeError(`${failed} data test${failed === 1 ? '' : 's'} failed`);
    });
}

/** Prints one line per test (and the failing rows); returns how many failed. */
export async function dataTest(opts: TestOptions): Promise<number> {
  const dir = opts.queries ?? defaultQueriesDir();
  const tests = listDataTests(dir);
  if (!tests.length) throw new PledgeError(`${dir}/tests: no data tests here`);
  const session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir: opts.queries,
    // One statement each (a test may end in a comment): DuckDB parses what they read.
    reads: tests.map((t) => t.sql).join('\n;\n') });
  try {
    tellAsOf(session);
    const results = await runDataTests(session, tests);
    for (const r of results) {
      const title = r.title.replace(/\.$/, '');
      if (!r.failures) { say(`ok    ${r.name}  ${title}`); continue; }
      say(`FAIL  ${r.name}  ${title}: ${r.error ? r.error.split('\n')[0] : `${r.failures.toLocaleString('en-US')} failing row${r.failures === 1 ? '' : 's'}`}`);
      if (r.sample.length) say(formatRows(r.sample, 'table').replace(/^/gm, '      ').trimEnd());
    }
    const failed = results.filter((r) => r.failures).length;
    say(`${results.length - failed} passed, ${failed} failed (as of ${session.asOf}, ${session.asOfRule})`);
    return failed;
  } finally {
    session.close();
  }
}

// The `pledge` command: one small file per subcommand in commands/, each
// parsing its options and calling one function that does the work.
import { Command, CommanderError } from 'commander';
import { PledgeError } from './errors.ts';
import { visibleControls } from './escape.ts';
import { ingestCommand } from './commands/ingest.ts';
import { runCommand } from './commands/run.ts';
import { queryCommand } from './commands/query.ts';
import { demoCommand } from './commands/demo.ts';
import { assessCommand } from './commands/assess.ts';
import { verifyCommand } from './commands/verify.ts';
import { previewCommand } from './commands/preview.ts';
import { sqlCommand } from './commands/sql.ts';
import { validateCommand } from './commands/validate.ts';
import { exportCommand } from './commands/export.ts';
import { buildCommand } from './commands/build.ts';

export function program(): Command {
  return new Command('pledge')
    .description('Proves, with numbers, whether an organisation keeps its complaint-handling commitments.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(ingestCommand())
    .addCommand(validateCommand())
    .addCommand(buildCommand())
    .addCommand(runCommand())
    .addCommand(queryCommand())
    .addCommand(demoCommand())
    .addCommand(assessCommand())
    .addCommand(verifyCommand())
    .addCommand(previewCommand())
    .addCommand(sqlCommand())
    .addCommand(exportCommand());
}

export async function main(argv: string[]): Promise<number> {
  const cli = program().exitOverride();
  try {
    await cli.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof PledgeError) {
      process.stderr.write(`pledge: ${visibleControls(e.message)}\n`);
      return 1;
    }
    process.stderr.write(`pledge: ${visibleControls((e as Error)?.message?.split('\n')[0] ?? String(e))}\n`);
    if (process.env.PLEDGE_DEBUG) console.error(e);
    return 1;
  }
}

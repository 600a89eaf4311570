// The `pledge` command: one small file per subcommand in commands/, each
// parsing its options and calling one function that does the work.
// Only the module of the subcommand being run is loaded: the others pull in
// the report renderer, the browser driver and the workbook reader, a second or
// more of start-up that `pledge query "select 1"` has no use for.
import { Command, CommanderError } from 'commander';
import { PledgeError } from '../core/errors.ts';
import { visibleControls } from '../core/escape.ts';

const COMMANDS: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand(),
  validate: async () => (await import('./commands/validate.ts')).validateCommand(),
  build: async () => (await import('./commands/build.ts')).buildCommand(),
  close: async () => (await import('./commands/close.ts')).closeCommand(),
  test: async () => (await import('./commands/test.ts')).testCommand(),
  run: async () => (await import('./commands/run.ts')).runCommand(),
  query: async () => (await import('./commands/query.ts')).queryCommand(),
  demo: async () => (await import('./commands/demo.ts')).demoCommand(),
  assess: async () => (await import('./commands/assess.ts')).assessCommand(),
  verify: async () => (await import('./commands/verify.ts')).verifyCommand(),
  preview: async () => (await import('./commands/preview.ts')).previewCommand(),
  sql: async () => (await import('./commands/sql.ts')).sqlCommand(),
  export: async () => (await import('./commands/export.ts')).exportCommand(),
};

/** The command tree: every subcommand, or only `only` when it names one (the one being run). */
export async function program(only?: string): Promise<Command> {
  const cli = new Command('pledge')
    .description('Proves, with numbers, whether an organisation keeps its complaint-handling commitments.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const names = only && COMMANDS[only] ? [only] : Object.keys(COMMANDS);
  for (const name of names) cli.addCommand(await COMMANDS[name]());
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const cli = (await program(argv[2])).exitOverride();
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

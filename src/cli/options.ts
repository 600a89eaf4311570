// Options several commands share, with the same names and defaults everywhere.
import { Option, type Command } from 'commander';
import { visibleControls } from '../core/escape.ts';
import { PledgeError } from '../core/errors.ts';
import { asOfNotice, type Session } from '../models/session.ts';

export const DEFAULT_WAREHOUSE = 'data/warehouse.duckdb';
export const DEFAULT_POLICY = 'data/policy.yaml';
export const DEFAULT_OUT = 'reports/out';

/** The options several commands take, each written once: its flag, its help line and its default. */
const SHARED = {
  warehouse: (cmd: Command) => cmd.option('--warehouse <file>', 'DuckDB warehouse file', DEFAULT_WAREHOUSE),
  policy: (cmd: Command) => cmd.option('--policy <file>', 'policy file (YAML)', DEFAULT_POLICY),
  'as-of': (cmd: Command) => cmd.option('--as-of <instant>', 'evaluate as of this instant, local to the policy time zone ("2025-11-01 00:00")'),
  'reveal-pii': (cmd: Command) => cmd.option('--reveal-pii', 'show customer names, phones, ID numbers and e-mail unmasked (recorded in <warehouse>.reveal.log)', false),
  queries: (cmd: Command) => cmd.option('--queries <dir>', 'SQL folder (default queries/)'),
  panels: (cmd: Command) => cmd.option('--panels <dir>', 'dashboard panel definitions (default panels/dashboard)'),
  lang: (cmd: Command) => cmd.addOption(new Option('--lang <lang>', 'report language').choices(['zh', 'en']).default('zh')),
  // --engine and the four flags that only it reads (pledge run, pledge assess; src/apps/dask.ts).
  engine: (cmd: Command) => cmd
    .option('--engine <single|dask>', 'dask: the clocks and KPI counts computed per customer bucket on Dask distributed and merged, the rest as on one machine (src/apps/dask.ts)', 'single')
    .option('--local <n>', '--engine dask: start a LocalCluster of N worker processes')
    .option('--scheduler <tcp://host:port>', '--engine dask: a running Dask scheduler')
    .option('--buckets <n>', '--engine dask: customer-hash buckets, one Dask task each (default 16)')
    .option('--work <dir>', '--engine dask: keep the lake, bucket outputs and merged tables in this new or empty folder'),
} as const;

/** The engine flags as commander hands them over (text). */
export interface EngineFlags { engine?: string; local?: string; scheduler?: string; buckets?: string; work?: string }

/**
 * What --engine asks for: undefined for the single machine, else where and how Dask is to run
 * (computeOnDask checks the values). --local, --scheduler, --buckets and --work without
 * --engine dask are refused rather than ignored: the run would not be the one asked for.
 */
export function daskFlags(opts: EngineFlags): { local?: number; scheduler?: string; buckets?: number; work?: string } | undefined {
  const engine = opts.engine ?? 'single';
  if (engine !== 'single' && engine !== 'dask') throw new PledgeError(`--engine: "${engine}" is not single or dask`);
  if (engine === 'single') {
    const stray = (['local', 'scheduler', 'buckets', 'work'] as const).find((k) => opts[k] !== undefined);
    if (stray) throw new PledgeError(`--${stray}: only with --engine dask`);
    return undefined;
  }
  return {
    local: opts.local === undefined ? undefined : Number(opts.local), scheduler: opts.scheduler,
    buckets: opts.buckets === undefined ? undefined : Number(opts.buckets), work: opts.work,
  };
}

/** Adds the named shared options to a command, in the order given. */
export function sharedOptions(cmd: Command, ...names: (keyof typeof SHARED)[]): Command {
  for (const name of names) SHARED[name](cmd);
  return cmd;
}

/** A flag's value as a whole number of at least `min`, or an error naming the flag (commander passes the text). */
export function wholeNumber(flag: string, min = 0): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) {
      throw new PledgeError(`${flag}: "${v}" is not a whole number ≥ ${min}`);
    }
    return Number(v);
  };
}

// Lines for the terminal may quote file names and values from an export: escape
// sequences and bidi overrides in them are shown, not obeyed.
export function say(line: string): void {
  process.stdout.write(`${visibleControls(line)}\n`);
}

/** Tells on stderr which as-of instant the command used (and when it is past where the data ends). */
export function tellAsOf(session: Session): void {
  const [asOf, ...warnings] = asOfNotice(session);
  process.stderr.write(`${asOf}\n`);
  for (const w of warnings) warn(w);
}

export function warn(line: string): void {
  process.stderr.write(`warning: ${visibleControls(line)}\n`);
}

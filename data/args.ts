// The flags of the scripts outside the `pledge` command: the demo generator
// (data/generate.ts) and the benchmarks (bench/*.ts). Each script declares every
// flag it takes once, with its type, default and a line of help; this parses
// them with node:util parseArgs (strict: an unknown flag is refused, never read
// as a value or a file name) and answers the way the CLI's commander does:
// `--help` prints the usage and exits 0, a usage error is one line naming the
// flag and exits 2, and all of that before the script does any work.
//
// It lives in data/ rather than bench/ because the generator is also a module of
// the product (`pledge demo` imports it): the product must not load a file from
// the benchmarks, while the benchmarks already import from data/.
import { parseArgs } from 'node:util';

export interface Flag {
  type: 'string' | 'boolean' | 'integer';
  help: string;
  /** The value's name in the usage (`--rows <n>`); integers are <n> unless told. */
  value?: string;
  default?: string | number;
  /** The default in words, for a default that depends on other flags (the flag is then undefined when absent). */
  defaultText?: string;
  required?: boolean;
  /** Integers: the least value accepted (1: a positive whole number). */
  min?: number;
  /** Checks a value; throws an Error saying what is wrong with it. */
  check?: (value: string) => unknown;
}

export interface Positionals {
  /** Their name in the usage, e.g. `<export.csv>...`. */
  name: string;
  help: string;
  min: number;
  check?: (value: string) => unknown;
}

export interface ScriptSpec<F extends Record<string, Flag>> {
  /** The script's path from the repository root, as it is run: `node bin/run-ts.mjs <script>`. */
  script: string;
  about: string;
  flags: F;
  positionals?: Positionals;
  examples?: readonly string[];
}

type ValueOf<F extends Flag> = F extends { type: 'boolean' } ? boolean
  : (F extends { type: 'integer' } ? number : string) | (F extends { default: string | number } | { required: true } ? never : undefined);
export type Values<F extends Record<string, Flag>> = { [K in keyof F]: ValueOf<F[K]> };

const HELP: Flag = { type: 'boolean', help: 'show this help' };

/** The flag as the usage and the errors name it: `--rows <n>`, `--with-events`. */
function shown(name: string, flag: Flag): string {
  if (flag.type === 'boolean') return `--${name}`;
  return `--${name} <${flag.value ?? (flag.type === 'integer' ? 'n' : 'value')}>`;
}

export function usage<F extends Record<string, Flag>>(spec: ScriptSpec<F>): string {
  const pos = spec.positionals;
  const rows: [string, string][] = Object.entries(spec.flags).map(([name, f]) => {
    const dflt = f.defaultText ?? (f.default === undefined ? undefined : JSON.stringify(f.default));
    return [shown(name, f), `${f.help}${f.required ? ' (required)' : ''}${dflt === undefined ? '' : ` (default: ${dflt})`}`];
  });
  rows.push(['-h, --help', HELP.help]);
  if (pos) rows.unshift([pos.name, pos.help]);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [
    `Usage: node bin/run-ts.mjs ${spec.script} [options]${pos ? ` ${pos.name}` : ''}`,
    '',
    spec.about,
    '',
    pos ? 'Arguments and options:' : 'Options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    ...(spec.examples?.length ? ['', 'Examples:', ...spec.examples.map((e) => `  ${e}`)] : []),
  ].join('\n') + '\n';
}

/** A usage error: one line on stderr, exit 2 (a script may call it for a check of its own). */
export function usageError(script: string, message: string): never {
  process.stderr.write(`${script}: error: ${message} (run with --help for usage)\n`);
  process.exit(2);
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/**
 * Parses the script's arguments (process.argv after the script by default).
 * Returns only when they are right; `--help` and usage errors exit here.
 */
export function parseScriptArgs<const F extends Record<string, Flag>>(spec: ScriptSpec<F>, argv = process.argv.slice(2)):
  { values: Values<F>; positionals: string[] } {
  const fail = (message: string): never => usageError(spec.script, message);
  const options = Object.fromEntries([
    ...Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type === 'boolean' ? 'boolean' as const : 'string' as const }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);
  // Read loosely first, only to find --help and to name what is wrong: the strict parse below is the gate.
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    process.stdout.write(usage(spec));
    process.exit(0);
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (e) {
    for (const t of tokens) {
      if (t.kind === 'positional' && !spec.positionals) fail(`unexpected argument '${t.value}' (this script takes no arguments)`);
      if (t.kind !== 'option') continue;
      const flag = spec.flags[t.name];
      if (!flag) fail(`unknown option '${t.rawName}'`);
      if (flag.type === 'boolean' && t.value !== undefined) fail(`option '${t.rawName}' does not take a value`);
      // A value that looks like a flag (`--warehouse --help`) is a missing value, never a file name.
      if (flag.type !== 'boolean' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
        fail(`option '${shown(t.name, flag)}' argument missing`);
      }
    }
    fail(firstLine(e));
  }
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const raw = parsed!.values[name];
    if (flag.type === 'boolean') { values[name] = raw === true; continue; }
    if (raw === undefined) { values[name] = flag.default; continue; }
    const text = String(raw);
    const invalid = (why: string): never => fail(`option '${shown(name, flag)}' argument '${text}' is invalid: ${why}`);
    if (flag.type === 'integer') {
      const min = flag.min ?? 1;
      const n = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < min) invalid(min === 1 ? 'not a positive whole number' : `not a whole number ≥ ${min}`);
      values[name] = n;
    } else {
      values[name] = text;
    }
    if (flag.check) try { flag.check(text); } catch (e) { invalid(firstLine(e)); }
  }
  // As commander does: a value given wrong is named before a flag not given at all.
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.required && values[name] === undefined) fail(`required option '${shown(name, flag)}' not specified`);
  }
  const positionals = parsed!.positionals;
  const pos = spec.positionals;
  if (pos) {
    if (positionals.length < pos.min) fail(`missing argument ${pos.name}`);
    if (pos.check) for (const p of positionals) try { pos.check(p); } catch (e) { fail(`argument '${p}' is invalid: ${firstLine(e)}`); }
  }
  return { values: values as Values<F>, positionals };
}

/** A check: the value is one of these. */
export const oneOf = (...allowed: string[]) => (value: string) => {
  if (!allowed.includes(value)) throw new Error(`expected one of ${allowed.join(', ')}`);
};

/** A check: the value is a comma-separated list of these. */
export const listOf = (...allowed: string[]) => (value: string) => {
  const wrong = value.split(',').filter((v) => !allowed.includes(v));
  if (wrong.length || !value) throw new Error(`expected a comma-separated list of ${allowed.join(', ')}`);
};

// The scripts outside the `pledge` command, the benchmarks and the demo
// generator, parse their flags strictly (data/args.ts): `--help` prints the
// usage and exits 0, an unknown flag or a bad value is refused in one line
// naming it with exit 2, all before any work starts, and nothing is ever
// written under a flag's name (bench/floor.ts once took `--help` for its
// database path and made a DuckDB file of that name). Each run is in an empty
// temp folder, which must still be empty afterwards.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, type CliResult } from './support/cli.ts';

const folders: string[] = [];
const folder = () => { const d = tempDir('pledge-script-args-'); folders.push(d); return d; };
afterAll(() => { for (const d of folders) rmSync(d, { recursive: true, force: true }); });

function script(path: string, args: string[], cwd = folder()): Promise<CliResult & { cwd: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, path), ...args], { cwd, encoding: 'utf8' },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr, cwd }));
  });
}

/** Refused as a usage error: exit 2, one line on stderr naming `flag`, and nothing written. */
function expectRefused(r: CliResult & { cwd: string }, flag: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`'${flag}`);
  expect(r.stdout).toBe('');
  expect(readdirSync(r.cwd)).toEqual([]);
}

// Each script's flags as its header comment and the README describe them, and
// the defaults stated there (bench: 1M rows; the generator: the demo's 20,000
// complaints and seed 20251001; ingest-encodings: 200,000 complaints).
const SCRIPTS: Record<string, { usage: string[]; defaults: Record<string, string>; number?: string }> = {
  'bench/bench.ts': {
    usage: ['--rows <n>', '--reps <n>', '--memory-limit <size>', '--start <YYYY-MM-DD>', '--end <YYYY-MM-DD>', '--seed <n>',
      '--incremental-per-month <n>', '--no-incremental', '--only <list>', '--with-events', '--buckets <n>', '--workers <list>', '-h, --help'],
    defaults: { '--rows <n>': '1000000', '--memory-limit <size>': '"1GB"', '--start <YYYY-MM-DD>': '"2025-08-01"', '--end <YYYY-MM-DD>': '"2025-10-31"', '--workers <list>': '"1,2,4"' },
    number: '--rows',
  },
  'bench/floor.ts': {
    usage: ['<export.csv>...', '--warehouse <file.duckdb>', '-h, --help'],
    defaults: {},
  },
  'bench/ingest-encodings.ts': {
    usage: ['--complaints <n>', '-h, --help'],
    defaults: { '--complaints <n>': '200000' },
    number: '--complaints',
  },
  'data/generate.ts': {
    usage: ['--out <dir>', '--seed <n>', '--complaints <n>', '--start <YYYY-MM-DD>', '--end <YYYY-MM-DD>', '--export-at <time>', '--split <month|none>', '-h, --help'],
    defaults: { '--seed <n>': '20251001', '--complaints <n>': '20000', '--split <month|none>': '"month"' },
    number: '--complaints',
  },
};

describe.concurrent.each(Object.entries(SCRIPTS))('%s', (path, { usage, defaults }) => {
  it('--help prints every flag, one line each with its help, and exits 0 having done nothing', async () => {
    const r = await script(path, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: node bin/run-ts.mjs ${path} \\[options\\]`));
    const lines = r.stdout.split('\n').filter((l) => /^ {2}[-<]/.test(l));
    expect(lines.map((l) => l.trim().split(/ {2,}/)[0])).toEqual(usage);
    for (const l of lines) expect(l.trim().split(/ {2,}/)[1], l).toBeTruthy();
    for (const [flag, value] of Object.entries(defaults)) {
      expect(lines.find((l) => l.trim().startsWith(`${flag} `)), flag).toContain(`(default: ${value})`);
    }
    expect(readdirSync(r.cwd)).toEqual([]);
  });

  it('refuses an unknown flag, naming it (exit 2)', async () => {
    const r = await script(path, ['--nope']);
    expectRefused(r, '--nope');
    expect(r.stderr).toContain(`${path}: error: unknown option '--nope'`);
  });
});

describe.concurrent('a number given wrong is refused, naming its flag (exit 2)', () => {
  it.each(Object.entries(SCRIPTS).filter(([, s]) => s.number))('%s', async (path, { number }) => {
    const r = await script(path, [number!, 'abc']);
    expectRefused(r, number!);
    expect(r.stderr).toContain("'abc'");
  });
});

describe.concurrent('the flags each script checks itself', () => {
  it('a number is a positive whole number, and a flag with no value is refused, not read as the next flag', async () => {
    // The parser is shared (data/args.ts): its cases on the generator, whose start-up is the lightest.
    const runs = await Promise.all([['0'], ['1.5'], [], ['--help']].map((v) => script('data/generate.ts', ['--complaints', ...v])));
    for (const r of runs) expectRefused(r, '--complaints');
    expect(runs[0].stderr).toContain('not a positive whole number');
    expect(runs[2].stderr).toContain('argument missing');
    expect(runs[3].stderr).toContain('argument missing');
  });

  it('bench.ts: --rows below 1,000, an --only naming no contender, a value given to a switch', async () => {
    const [low, only, events] = await Promise.all([['--rows', '999'], ['--only', 'floor,duckdb'], ['--with-events=yes']]
      .map((args) => script('bench/bench.ts', args)));
    expectRefused(low, '--rows');
    expect(low.stderr).toContain('1000');
    expectRefused(only, '--only');
    expectRefused(events, '--with-events');
  });

  it('generate.ts: --out is required, --split is month or none, --export-at a local time', async () => {
    const [out, split, at] = await Promise.all([['--complaints', '10'], ['--out', 'o', '--split', 'week'], ['--out', 'o', '--export-at', 'tomorrow']]
      .map((args) => script('data/generate.ts', args)));
    expectRefused(out, '--out');
    expectRefused(split, '--split');
    expectRefused(at, '--export-at');
  });

  it('floor.ts: the warehouse is a named .duckdb file whose name does not start with -; the exports must exist', async () => {
    const runs = await Promise.all([
      // The old form, the warehouse as the first argument: refused, and no x.duckdb made.
      ['x.duckdb', 'a.csv'],
      ['--warehouse=--help', 'a.csv'],
      ['--warehouse', '-x.duckdb', 'a.csv'],
      // It removes the file first: anything but a .duckdb name is refused (README.md would be gone).
      ['--warehouse', 'README.md', 'a.csv'],
    ].map((args) => script('bench/floor.ts', args)));
    for (const r of runs) expectRefused(r, '--warehouse');
    expect(runs[1].stderr).toContain("may not start with '-'");
    const missing = await script('bench/floor.ts', ['--warehouse', 'f.duckdb', 'absent.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'absent.csv'");
    expect(readdirSync(missing.cwd)).toEqual([]);
  });

  it('generate.ts then floor.ts as the bench calls it: 300 complaints in one export, 300 rows counted', async () => {
    const cwd = folder();
    const gen = await script('data/generate.ts', ['--out', 'exports', '--complaints', '300', '--start', '2025-06-01', '--end', '2025-06-30', '--split', 'none', '--seed', '7'], cwd);
    expect(gen.code, gen.stderr).toBe(0);
    // --split none: one file of each kind.
    expect(readdirSync(join(cwd, 'exports')).sort()).toEqual(['complaints.csv', 'events.csv']);
    const floor = await script('bench/floor.ts', ['--warehouse', 'floor.duckdb', join('exports', 'complaints.csv')], cwd);
    expect(floor.code, floor.stderr).toBe(0);
    expect(JSON.parse(floor.stdout).rows).toBe(300);
    expect(readdirSync(cwd).sort()).toEqual(['exports', 'floor.duckdb']);
  });
});

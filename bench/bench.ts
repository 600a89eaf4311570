// The benchmark: Pledge held to DuckDB's own floor on synthetic exports from
// the demo generator, side by side in one run, every contender a child process
// so its wall time and peak memory are its own.
//
//   npm run bench -- --rows 1000000 [--reps 3] [--memory-limit 1GB] [--no-incremental] [--only floor,pledge] [--with-events]
//   npm run bench -- --help          # every flag, with its default
//   npm run bench -- --rows 100000 --only dask [--buckets 16] [--workers 1,2,4]   (a case of its own: bench/results/<rows>-dask.json)
//
// Contenders (each repeated, median reported):
//   floor      bare DuckDB (bench/floor.ts): CTAS from read_csv + the KPIs by hand in one query
//   pledge     `pledge ingest` of every export + `pledge run --month M` for every month
//   csv_parse  the basic KPIs in Node with csv-parse (bench/peers/csv-parse.ts)
//   pandas     the same with pandas (bench/peers/pandas_kpis.py), when python3 can import it
//   dask       (--only dask) the last month's `pledge run` single-machine against `--engine dask
//              --local 1, 2, 4`: wall times, the export / tasks / merge split, the bytes written to
//              the lake and sent back by the buckets, and whether every table's md5 is the same
// Also measured: report rendering time and HTML size, status computation time
// (both compared with the 1M run when this is another size), and adding one month
// to a warehouse holding 24 months against ingesting it into an empty one.
// Writes bench/results/<rows>.json. Absolute times on a shared machine are
// noisy; the ratios measured side by side in one run are what count.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { generateDemo, parseDay } from '../data/generate.ts';
import { listOf, parseScriptArgs } from '../data/args.ts';
import { openSession } from '../src/models/session.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CONTENDERS = ['floor', 'pledge', 'csv_parse', 'pandas'] as const;
const { values: a } = parseScriptArgs({
  script: 'bench/bench.ts',
  about: 'Pledge against DuckDB\'s own floor and two peers on synthetic exports; writes bench/results/<rows>.json.',
  flags: {
    rows: { type: 'integer', min: 1000, default: 1_000_000, help: 'complaints generated and measured' },
    reps: { type: 'integer', defaultText: '3, 2 from 5,000,000 rows', help: 'repetitions of each contender (the median is reported)' },
    'memory-limit': {
      type: 'string', value: 'size', default: '1GB', help: 'DuckDB memory_limit for every DuckDB contender',
      check: (v) => { if (!/^\d+(\.\d+)?\s*(B|[KMGT]i?B)$/i.test(v)) throw new Error('not a size such as 1GB or 512MiB'); },
    },
    // Three months of exports: `pledge run` for every month then costs three runs, at 1M and at 10M alike.
    start: { type: 'string', value: 'YYYY-MM-DD', default: '2025-08-01', check: parseDay, help: 'first day of receipt generated' },
    end: { type: 'string', value: 'YYYY-MM-DD', default: '2025-10-31', check: parseDay, help: 'last day of receipt generated' },
    seed: { type: 'integer', default: 20251001, help: 'generator seed' },
    // The 24-month warehouse for the incremental measurement holds 25 months at this
    // monthly volume (capped so a 10M run still ends within the hour).
    'incremental-per-month': { type: 'integer', defaultText: 'rows / 12, at most 100,000', help: 'complaints a month in the incremental measurement' },
    'no-incremental': { type: 'boolean', help: 'skip adding one month to a 24-month warehouse' },
    only: { type: 'string', value: 'list', check: listOf(...CONTENDERS, 'dask'), help: `run only these contenders (comma-separated: ${CONTENDERS.join(',')}), or dask alone (a case of its own)` },
    // Pledge also ingests the generator's flow logs (pauses, extensions, transfers,
    // reopenings), whose complaints are worked out in every run instead of stored. The floor reads none.
    'with-events': { type: 'boolean', help: 'Pledge also ingests the flow logs (results in <rows>-events.json)' },
    buckets: { type: 'integer', min: 1, default: 16, help: 'customer buckets of the dask case' },
    // At 1M and more one Dask run takes most of an hour on these machines: measure the worker counts asked for.
    workers: {
      type: 'string', value: 'list', default: '1,2,4', help: 'local Dask worker counts of the dask case (comma-separated)',
      check: (v) => { if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(v)) throw new Error('not a list of whole numbers such as 1,2,4'); },
    },
  },
  examples: ['npm run bench -- --rows 1000000', 'npm run bench -- --rows 10000000 --only floor,pledge'],
});

const ROWS = a.rows;
const REPS = a.reps ?? (ROWS >= 5_000_000 ? 2 : 3);
const MEMORY_LIMIT = a['memory-limit'];
const START = a.start;
const END = a.end;
const SEED = a.seed;
const INC_PER_MONTH = a['incremental-per-month'] ?? Math.min(Math.round(ROWS / 12), 100_000);
const WITH_EVENTS = a['with-events'];

const DATA = join(ROOT, 'bench', 'data');
// Read once at the start: every contender runs the working tree as it is then.
const COMMIT = (() => {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return head ? `${head}${dirty ? '+dirty' : ''}` : 'unknown';
})();
const RESULTS = join(ROOT, 'bench', 'results');
const TEMP = join(DATA, 'tmp');
// Warehouses and reports of this size's run: a 1M and a 10M run may go at the same time.
const WORK = join(DATA, `work-${ROWS}`);
const ENGINE_ENV = { PLEDGE_MEMORY_LIMIT: MEMORY_LIMIT, PLEDGE_TEMP_DIR: TEMP };

// ---------------------------------------------------------------- child processes

interface Measured { wall_s: number; peak_rss_bytes: number; stdout: string; stderr: string }

/** Runs a command under GNU time (-f %M: the child's peak resident set) and times it. */
async function measure(cmd: string, cmdArgs: string[], env: Record<string, string> = {}): Promise<Measured> {
  const rssFile = join(tmpdir(), `pledge-bench-rss-${process.pid}.txt`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...cmdArgs], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const code: number = await new Promise((ok) => child.on('close', ok));
  const wall_s = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${cmdArgs.slice(0, 4).join(' ')} … exited ${code}:\n${stderr.slice(-2000)}`);
  const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  rmSync(rssFile, { force: true });
  return { wall_s, peak_rss_bytes: kb * 1024, stdout, stderr };
}

const node = (script: string, scriptArgs: string[], env?: Record<string, string>) =>
  measure(process.execPath, [join(ROOT, script), ...scriptArgs], env);
const tsScript = (script: string, scriptArgs: string[], env?: Record<string, string>) =>
  node('bin/run-ts.mjs', [script, ...scriptArgs], env);
const pledge = (cmdArgs: string[]) => node('bin/pledge.mjs', cmdArgs, { ...ENGINE_ENV, PLEDGE_PROFILE: '1' });

/** "profile<TAB>phase<TAB>ms" lines written by PLEDGE_PROFILE, summed per phase. */
function profileOf(stderr: string, into: Record<string, number> = {}): Record<string, number> {
  for (const line of stderr.split('\n')) {
    const [tag, phase, ms] = line.split('\t');
    if (tag === 'profile') into[phase] = (into[phase] ?? 0) + Number(ms);
  }
  return into;
}

// ---------------------------------------------------------------- data

interface DataSet { dir: string; files: string[]; eventFiles: string[]; months: string[]; rows: number; bytes: number }

async function dataSet(name: string, complaints: number, start: string, end: string, events = false): Promise<DataSet> {
  const dir = join(DATA, events ? `${name}-events` : name);
  const marker = join(dir, 'generated.json');
  const wanted = { complaints, start, end, seed: SEED, events };
  const done = existsSync(marker) && JSON.stringify(JSON.parse(readFileSync(marker, 'utf8')).wanted) === JSON.stringify(wanted);
  if (!done) {
    rmSync(dir, { recursive: true, force: true });
    const t = performance.now();
    process.stdout.write(`generating ${complaints.toLocaleString('en-US')} complaints ${start}..${end} into ${dir} … `);
    await generateDemo({ outDir: dir, seed: SEED, complaints, start, end });
    // Without --with-events the flow logs are not ingested by anything measured here.
    if (!events) for (const f of readdirSync(dir)) if (f.startsWith('events-')) rmSync(join(dir, f));
    writeFileSync(marker, JSON.stringify({ wanted }));
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const files = readdirSync(dir).filter((f) => /^complaints-\d{4}-\d{2}\.csv$/.test(f)).sort().map((f) => join(dir, f));
  const months = files.map((f) => f.match(/(\d{4}-\d{2})\.csv$/)![1]);
  const eventFiles = readdirSync(dir).filter((f) => /^events-\d{4}-\d{2}\.csv$/.test(f)).sort().map((f) => join(dir, f));
  return { dir, files, eventFiles, months, rows: complaints, bytes: files.reduce((s, f) => s + statSync(f).size, 0) };
}

// ---------------------------------------------------------------- contenders

interface Run { wall_s: number; peak_rss_bytes: number; rows: number; profile?: Record<string, number>; extra?: Record<string, number> }

async function runFloor(data: DataSet): Promise<Run> {
  const m = await tsScript('bench/floor.ts', ['--warehouse', join(WORK, 'floor.duckdb'), ...data.files], ENGINE_ENV);
  rmSync(join(WORK, 'floor.duckdb'), { force: true });
  return { wall_s: m.wall_s, peak_rss_bytes: m.peak_rss_bytes, rows: JSON.parse(m.stdout).rows };
}

async function runPledge(data: DataSet): Promise<Run> {
  const warehouse = join(WORK, 'pledge.duckdb'), out = join(WORK, 'reports');
  rmSync(warehouse, { force: true }); rmSync(`${warehouse}.wal`, { force: true }); rmSync(out, { recursive: true, force: true });
  const ingest = await pledge(['ingest', ...data.files, ...data.eventFiles, '--warehouse', warehouse]);
  const loaded = [...ingest.stdout.matchAll(/complaints-\d{4}-\d{2}\.csv.*loaded ([\d,]+)/g)].reduce((s, m) => s + Number(m[1].replace(/,/g, '')), 0);
  let wall = ingest.wall_s, peak = ingest.peak_rss_bytes;
  const profile = profileOf(ingest.stderr);
  let last: Record<string, number> = {};
  for (const month of data.months) {
    const run = await pledge(['run', '--month', month, '--warehouse', warehouse, '--out', out]);
    wall += run.wall_s; peak = Math.max(peak, run.peak_rss_bytes);
    profileOf(run.stderr, profile);
    last = { ...profileOf(run.stderr), wall_ms: run.wall_s * 1000 };
  }
  const lastMonth = data.months[data.months.length - 1];
  const html = statSync(join(out, lastMonth, 'index.html')).size;
  // An analyst's query of a monthly KPI on the up-to-date warehouse (median of 3).
  const kpiQuery = [];
  for (let i = 0; i < 3; i++) {
    kpiQuery.push((await pledge(['query', '--warehouse', warehouse, '--format', 'csv',
      `select kpi, actual, target from kpi_summary_monthly where month = '${lastMonth}-01'`])).wall_s);
  }
  const sum = (p: Record<string, number>, prefix: string) => Object.entries(p).filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);
  return {
    wall_s: wall, peak_rss_bytes: peak, rows: loaded, profile,
    extra: {
      ingest_s: ingest.wall_s,
      // Stored facts brought up to date at the end of ingest (included in ingest_s).
      ingest_build_s: (profileOf(ingest.stderr)['ingest.build'] ?? 0) / 1000,
      runs_s: wall - ingest.wall_s,
      kpi_query_s: median(kpiQuery),
      warehouse_bytes: statSync(warehouse).size,
      last_month_run_s: last.wall_ms / 1000,
      last_month_status_ms: sum(last, 'run.staging.') + sum(last, 'run.intermediate.'),
      last_month_report_ms: sum(last, 'report.'),
      // The review pages (one per department and team), whose queries include streaming each
      // unit's full breach list to CSV: that part grows with the data by design.
      last_month_review_ms: sum(last, 'review.'),
      last_month_review_html_bytes: largestHtml(join(out, lastMonth, 'team')),
      last_month_render_ms: sum(last, 'report.render.') + sum(last, 'report.write'),
      last_month_html_bytes: html,
    },
  };
}

function largestHtml(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir).filter((f) => f.endsWith('.html')).map((f) => statSync(join(dir, f)).size));
}

async function runCsvParse(data: DataSet): Promise<Run> {
  const m = await tsScript('bench/peers/csv-parse.ts', data.files);
  return { wall_s: m.wall_s, peak_rss_bytes: m.peak_rss_bytes, rows: JSON.parse(m.stdout).rows };
}

/** A python3 that can import pandas (the pyenv one first, then Debian's), or why there is none. */
function findPandas(): { python?: string; reason?: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: r.stdout.trim() ? python : python };
  }
  if (process.getuid?.() === 0) {
    console.log('pandas: not importable; installing Debian\'s python3-pandas with apt-get …');
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-pandas'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0 && spawnSync('/usr/bin/python3', ['-c', 'import pandas']).status === 0) return { python: '/usr/bin/python3' };
    return { reason: 'apt-get install python3-pandas failed' };
  }
  return { reason: 'python3 cannot import pandas and this is not root (apt-get install python3-pandas)' };
}

function pandasVersion(python: string): string {
  return spawnSync(python, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).stdout.trim();
}

async function runPandas(data: DataSet, python: string): Promise<Run> {
  const m = await measure(python, [join(ROOT, 'bench/peers/pandas_kpis.py'), ...data.files]);
  return { wall_s: m.wall_s, peak_rss_bytes: m.peak_rss_bytes, rows: JSON.parse(m.stdout).rows };
}

// ---------------------------------------------------------------- incremental month

/** One month into a warehouse holding the 24 before it, against the same month into an empty one. */
async function incremental(): Promise<Record<string, unknown>> {
  const data = await dataSet(`incremental-${INC_PER_MONTH}`, INC_PER_MONTH * 25, '2023-10-01', '2025-10-31', WITH_EVENTS);
  if (data.files.length !== 25) throw new Error(`incremental data: expected 25 monthly exports, got ${data.files.length}`);
  const history = [...data.files.slice(0, 24), ...data.eventFiles.slice(0, 24)], [month] = data.months.slice(24);
  const file = [data.files[24], ...data.eventFiles.slice(24)];
  // The warehouse is made by the Pledge being measured: its stored facts are its own.
  const base = join(DATA, `incremental-${INC_PER_MONTH}${WITH_EVENTS ? '-events' : ''}-${COMMIT}-base.duckdb`);
  if (!existsSync(base)) {
    process.stdout.write('building the 24-month warehouse … ');
    const t = performance.now();
    await pledge(['ingest', ...history, '--warehouse', base]);
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const into = async (start: string | null) => {
    const w = join(WORK, 'incremental.duckdb'), out = join(WORK, 'incremental-reports');
    rmSync(w, { force: true }); rmSync(`${w}.wal`, { force: true });
    rmSync(`${w}.key`, { force: true });
    // The pseudonym key goes with the warehouse: the stored facts' fingerprint includes it.
    if (start) { copyFileSync(start, w); copyFileSync(`${start}.key`, `${w}.key`); }
    const ingest = await pledge(['ingest', ...file, '--warehouse', w]);
    const run = await pledge(['run', '--month', month, '--warehouse', w, '--out', out]);
    rmSync(w, { force: true });
    return { ingest_s: ingest.wall_s, run_s: run.wall_s };
  };
  const full: { ingest_s: number; run_s: number }[] = [], empty: typeof full = [];
  for (let i = 0; i < REPS; i++) {
    full.push(await into(base));
    empty.push(await into(null));
  }
  const f = { ingest_s: median(full.map((r) => r.ingest_s)), run_s: median(full.map((r) => r.run_s)) };
  const e = { ingest_s: median(empty.map((r) => r.ingest_s)), run_s: median(empty.map((r) => r.run_s)) };
  return {
    month, rows_per_month: INC_PER_MONTH, repetitions: REPS,
    into_24_months: f, into_empty: e,
    ingest_ratio: f.ingest_s / e.ingest_s,
    ingest_and_run_ratio: (f.ingest_s + f.run_s) / (e.ingest_s + e.run_s),
  };
}

// ---------------------------------------------------------------- the analyst's first query

/** `pledge query "select 1"` on the demo warehouse (20,000 complaints with their flow logs): median of 5. */
async function selectOneOnDemo(): Promise<Record<string, number>> {
  const warehouse = join(DATA, `demo-${COMMIT}.duckdb`);
  if (!existsSync(warehouse)) {
    await pledge(['demo', '--dir', join(DATA, 'demo-exports'), '--warehouse', warehouse, '--out', join(DATA, 'demo-reports')]);
  }
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await pledge(['query', '--warehouse', warehouse, 'select 1'])).wall_s);
  // Node starting and exiting, the least any command can cost, measured beside it.
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) bare.push((await measure(process.execPath, ['-e', '0'])).wall_s);
  return { select_1_s: round(median(times)), node_start_s: round(median(bare)) };
}

// ---------------------------------------------------------------- dask

/** An md5 of each ordered table the reports rest on, from a session reading `queriesDir` (the Dask run's copy) or queries/. */
async function tableDigests(warehouse: string, month: string, queriesDir?: string): Promise<Record<string, string>> {
  const s = await openSession({ warehouse, policy: join(ROOT, 'data', 'policy.yaml'), month, queriesDir, notice: () => {} });
  const tables: Record<string, string> = {
    commitment_status: "concat_ws('|', complaint_id, commitment, status, due_at, done_at, late_minutes)",
    kpi_fact_monthly: "concat_ws('|', month, department, team, channel_kind, segment, kpi, numerator, denominator, score_sum, breached, overdue, pending, unknown, on_time, appealed)",
    kpi_unit_monthly: "concat_ws('|', month, level, unit, kpi, numerator, denominator, round(actual, 9), on_target, round(org_actual, 9), round(previous, 9))",
    breach_list: "concat_ws('|', complaint_id, commitment, due_at, done_at, late_minutes, owner_team, responsible_team)",
  };
  try {
    const out: Record<string, string> = {};
    for (const [t, row] of Object.entries(tables)) out[t] = String(await s.wh.value(`select md5(string_agg(r, ',' order by r)) from (select ${row} as r from ${t})`));
    return out;
  } finally {
    s.close();
  }
}

/** The last month single-machine and on Dask with 1, 2 and 4 (--workers) local workers, same warehouse, once each. */
async function benchDask(data: DataSet): Promise<void> {
  const buckets = String(a.buckets);
  const warehouse = join(WORK, 'dask.duckdb');
  rmSync(warehouse, { force: true }); rmSync(`${warehouse}.wal`, { force: true });
  const ingest = await pledge(['ingest', ...data.files, ...data.eventFiles, '--warehouse', warehouse]);
  console.log(`  ingest ${ingest.wall_s.toFixed(1)} s`);
  const month = data.months[data.months.length - 1];
  const reports = (name: string) => { const d = join(WORK, `dask-reports-${name}`); rmSync(d, { recursive: true, force: true }); return d; };
  const single = await pledge(['run', '--month', month, '--warehouse', warehouse, '--out', reports('single')]);
  console.log(`  single   ${single.wall_s.toFixed(1).padStart(7)} s`);
  const expected = await tableDigests(warehouse, month);
  const dask: Record<string, unknown>[] = [];
  for (const workers of a.workers.split(',').map(Number)) {
    const work = join(WORK, `dask-work-${workers}`);
    rmSync(work, { recursive: true, force: true });
    const m = await pledge(['run', '--month', month, '--warehouse', warehouse, '--out', reports(String(workers)),
      '--engine', 'dask', '--local', String(workers), '--buckets', buckets, '--work', work]);
    const said = m.stdout.match(/export ([\d.]+) s, tasks ([\d.]+) s, merge ([\d.]+) s; lake (\d+) bytes, bucket outputs (\d+) bytes/);
    if (!said) throw new Error(`dask run: no summary line in\n${m.stdout}`);
    const digests = await tableDigests(warehouse, month, join(work, 'queries'));
    const equal = Object.keys(expected).every((t) => digests[t] === expected[t]);
    dask.push({
      workers, wall_s: round(m.wall_s), peak_rss_bytes: m.peak_rss_bytes, ratio_to_single: round(m.wall_s / single.wall_s),
      export_s: Number(said[1]), tasks_s: Number(said[2]), merge_s: Number(said[3]),
      // The coordinator's own part after the merge: the month's session over the merged tables and the reports.
      session_and_reports_s: round(m.wall_s - Number(said[1]) - Number(said[2]) - Number(said[3])),
      lake_bytes: Number(said[4]), bucket_output_bytes: Number(said[5]), tables_equal: equal,
    });
    console.log(`  dask ${workers}   ${m.wall_s.toFixed(1).padStart(7)} s  (export ${said[1]} s, tasks ${said[2]} s, merge ${said[3]} s)  md5s ${equal ? 'equal' : 'DIFFER'}`);
    rmSync(work, { recursive: true, force: true });
  }
  const results = {
    rows: ROWS, month, buckets: Number(buckets), with_events: WITH_EVENTS, ingest_s: round(ingest.wall_s),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, measured_at: new Date().toISOString(), commit: COMMIT,
    single: { wall_s: round(single.wall_s), peak_rss_bytes: single.peak_rss_bytes },
    dask, digests: expected,
    note: 'one run each on a shared 2-core machine: the point is the overhead and the merge, not a speed-up',
  };
  const file = join(RESULTS, `${ROWS}${WITH_EVENTS ? '-events' : ''}-dask.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten: ${file}`);
}

// ---------------------------------------------------------------- main

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

mkdirSync(TEMP, { recursive: true });
mkdirSync(WORK, { recursive: true });
mkdirSync(RESULTS, { recursive: true });
const data = await dataSet(String(ROWS), ROWS, START, END, WITH_EVENTS);
if (a.only === 'dask') {
  await benchDask(data);
  process.exit(0);
}
const pandas = findPandas();
console.log(`${ROWS.toLocaleString('en-US')} complaints, ${data.files.length} monthly exports, ${(data.bytes / 1e6).toFixed(0)} MB; ${REPS} repetitions; DuckDB memory_limit ${MEMORY_LIMIT}`);
if (!pandas.python) console.log(`pandas: skipped (${pandas.reason})`);

type Name = typeof CONTENDERS[number];
const contenders: [Name, () => Promise<Run>][] = [
  ['floor', () => runFloor(data)],
  ['pledge', () => runPledge(data)],
  ['csv_parse', () => runCsvParse(data)],
  ...(pandas.python ? [['pandas', () => runPandas(data, pandas.python!)] as [Name, () => Promise<Run>]] : []),
];
const only = (a.only ?? '').split(',').filter(Boolean);
const runs = new Map<Name, Run[]>();
// Interleaved repetitions: a noisy minute on the shared machine hits every contender alike.
for (let rep = 1; rep <= REPS; rep++) {
  for (const [name, go] of contenders) {
    if (only.length && !only.includes(name)) continue;
    const r = await go();
    if (r.rows !== ROWS) throw new Error(`${name}: counted ${r.rows} rows, expected ${ROWS}`);
    runs.set(name, [...(runs.get(name) ?? []), r]);
    console.log(`  rep ${rep} ${name.padEnd(9)} ${r.wall_s.toFixed(2).padStart(8)} s  ${(r.peak_rss_bytes / 2 ** 20).toFixed(0).padStart(6)} MiB`);
  }
}

const floorWall = median((runs.get('floor') ?? []).map((r) => r.wall_s));
const results: Record<string, unknown> = {
  rows: ROWS, bytes: data.bytes, months: data.months.length, period: `${START}..${END}`, seed: SEED,
  repetitions: REPS, memory_limit: MEMORY_LIMIT, machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  measured_at: new Date().toISOString(),
  // The code measured: the commit the run started on ("+dirty" with uncommitted changes).
  commit: COMMIT,
  note: 'medians over interleaved repetitions on a shared 2-core machine; ratios are measured side by side in this run',
};
for (const [name, rs] of runs) {
  const wall = median(rs.map((r) => r.wall_s));
  const entry: Record<string, unknown> = {
    wall_s: round(wall), peak_rss_bytes: Math.max(...rs.map((r) => r.peak_rss_bytes)),
    ratio_to_floor: round(wall / floorWall), rows_per_s: Math.round(ROWS / wall), runs_wall_s: rs.map((r) => round(r.wall_s)),
  };
  if (name === 'pandas') entry.version = pandasVersion(pandas.python!);
  if (rs[0].extra) {
    for (const k of Object.keys(rs[0].extra)) entry[k] = round(median(rs.map((r) => r.extra![k])));
  }
  if (rs[0].profile) {
    const phases = Object.keys(rs[0].profile);
    entry.profile_ms = Object.fromEntries(phases.map((p) => [p, Math.round(median(rs.map((r) => r.profile![p] ?? 0)))]));
  }
  results[name] = entry;
}
if (!pandas.python) results.pandas = { skipped: pandas.reason };

if (!a['no-incremental'] && runs.has('pledge')) results.incremental = await incremental();
if (runs.has('pledge')) {
  const p = results.pledge as Record<string, number>;
  // The figures, each a ratio to the floor of this run.
  p.ingest_ratio_to_floor = round(p.ingest_s / floorWall);
  p.run_month_ratio_to_floor = round(p.last_month_run_s / floorWall);
  results.demo_query = await selectOneOnDemo();
  results.with_events = WITH_EVENTS;
}

// Row-count independence of the report and linear status computation: against the 1M run.
const reference = join(RESULTS, '1000000.json');
if (ROWS !== 1_000_000 && existsSync(reference) && runs.has('pledge')) {
  const ref = JSON.parse(readFileSync(reference, 'utf8'));
  const p = results.pledge as Record<string, number>;
  results.against_1m = {
    rows_ratio: ROWS / ref.rows,
    report_ms_ratio: round(p.last_month_report_ms / ref.pledge.last_month_report_ms),
    render_ms_ratio: round(p.last_month_render_ms / ref.pledge.last_month_render_ms),
    html_bytes_ratio: round(p.last_month_html_bytes / ref.pledge.last_month_html_bytes),
    review_ms_ratio: ref.pledge.last_month_review_ms ? round(p.last_month_review_ms / ref.pledge.last_month_review_ms) : null,
    review_html_bytes_ratio: ref.pledge.last_month_review_html_bytes ? round(p.last_month_review_html_bytes / ref.pledge.last_month_review_html_bytes) : null,
    status_ms_ratio: round(p.last_month_status_ms / ref.pledge.last_month_status_ms),
    pledge_ratio_to_floor_1m: ref.pledge.ratio_to_floor,
  };
}

writeFileSync(join(RESULTS, `${ROWS}${WITH_EVENTS ? "-events" : ""}.json`), JSON.stringify(results, null, 2) + "\n");
printTable();
console.log(`\nwritten: bench/results/${ROWS}${WITH_EVENTS ? "-events" : ""}.json`);

function round(v: number): number { return Math.round(v * 1000) / 1000; }

function printTable(): void {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const head = ['contender', 'rows', 'bytes', 'wall s', 'rows/s', 'peak RSS', 'ratio to floor'];
  const body = [...runs.keys()].map((name) => {
    const r = results[name] as Record<string, number>;
    return [name, ROWS.toLocaleString('en-US'), `${(data.bytes / 1e6).toFixed(0)} MB`, r.wall_s.toFixed(2),
      r.rows_per_s.toLocaleString('en-US'), mib(r.peak_rss_bytes), `${r.ratio_to_floor.toFixed(2)}×`];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(line).join('\n')}`);
  if (!pandas.python) console.log(`pandas: skipped (${pandas.reason})`);
  const p = results.pledge as Record<string, number> | undefined;
  if (p) {
    console.log(`\npledge: ingest ${p.ingest_s.toFixed(2)} s + ${data.months.length} monthly runs ${p.runs_s.toFixed(2)} s; last month: status ${p.last_month_status_ms.toFixed(0)} ms, report ${p.last_month_report_ms.toFixed(0)} ms (render ${p.last_month_render_ms.toFixed(0)} ms), HTML ${p.last_month_html_bytes} bytes`);
  }
  if (p) console.log(`pledge / floor: ingest ${p.ingest_ratio_to_floor}×, one monthly run ${p.run_month_ratio_to_floor}×; query of a monthly KPI ${p.kpi_query_s} s`);
  if (results.demo_query) console.log(`pledge query "select 1" on the demo: ${JSON.stringify(results.demo_query)}`);
  const inc = results.incremental as Record<string, number> | undefined;
  if (inc) console.log(`incremental month (${inc.rows_per_month} rows): ingest into 24 months / into empty ${inc.ingest_ratio.toFixed(2)}×, ingest + run ${inc.ingest_and_run_ratio.toFixed(2)}×`);
  if (results.against_1m) console.log(`against 1M: ${JSON.stringify(results.against_1m)}`);
}

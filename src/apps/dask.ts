// pledge run|assess --engine dask: the month (or quarter) computed on Dask distributed, an engine
// that exists and is trusted to schedule, place and retry work across machines, with DuckDB
// (Pledge itself) doing the compute of each part. The shape of smallpond (DuckDB on Ray).
//
//   1. the coordinator exports the warehouse as a lake (src/outputs/lake.ts), split by a hash of
//      the customer pseudonym into buckets: a complaint's versions and events, and every
//      complaint of one customer (repeat complaints), are in one bucket;
//   2. engine/pledge_dask.py hands Dask one task per bucket (a LocalCluster of --local N worker
//      processes, or the scheduler at --scheduler tcp://HOST:PORT); each task runs
//      engine/bucket.mjs → buildBucket below: a warehouse of that bucket's slice of the lake,
//      its stored facts built and its session opened exactly as `pledge run` opens one, and
//      three tables written back: kpi_fact_monthly (additive counts), breach_list and
//      commitment_status (rows of the bucket's complaints). Dask retries a failed task; a bucket
//      that fails every try fails the run, named;
//   3. the coordinator merges them (mergeBuckets: counts summed cell by cell, rows put together)
//      and opens the month's session over the warehouse with those three names read from the
//      merged files (daskQueries: a copy of queries/ in which only those three files' bodies
//      differ). Everything that is not additive (ranks, shares, medians, the previous month,
//      "vs organisation", composites) is then the same SQL as the single-machine run, run once,
//      and `pledge run` writes the same reports from it.
// pledge assess --engine dask is the same, once for the quarter: the export and the tasks take the
// quarter's as-of, and a bucket's three tables hold every month up to it, so one lake and one
// submission cover the pack's three months; the pack's session reads the copy of queries/ made
// here, and the pack carries queries/ itself (src/cli/commands/assess.ts).
// The work folder (--work, default a new temporary folder, removed after) keeps the lake, each
// bucket's output and the merged tables; its sizes are what was written and shuffled.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PledgeError } from '../core/errors.ts';
import { PROJECT_ROOT } from '../core/project.ts';
import { sqlLiteral } from '../core/sql-text.ts';
import { Warehouse } from '../warehouse/db.ts';
import { loadPolicy } from '../warehouse/policy.ts';
import { EVENT_VERSIONS_DDL, PUBLISHED_KPI_DDL, ensureWarehouse } from '../warehouse/schema.ts';
import { openSession } from '../models/session.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { bucketName, exportParquet } from '../outputs/lake.ts';
import { testKillPoint } from '../outputs/publish.ts';

/** What the buckets compute and the coordinator merges: the only files of queries/ the Dask run reads otherwise. */
export const MERGED = { kpi_fact_monthly: 'kpi', breach_list: 'kpi', commitment_status: 'intermediate' } as const;
type MergedName = keyof typeof MERGED;

/** Debian's Python, where python3-distributed installs Dask (a python3 earlier on PATH may be another one). */
export const DASK_PYTHON = process.env.PLEDGE_PYTHON ?? '/usr/bin/python3';

export interface DaskOptions {
  /** The as-of every bucket and the coordinator use: asOf, else the end of month (as `pledge run`); assess gives asOf. */
  warehouse: string; policy: string; month?: string; asOf?: string; queriesDir?: string; revealPii?: boolean;
  /** The bound on what is known of appeals, as the coordinator's session has it (SessionOptions.appealsKnownBy). */
  appealsKnownBy?: string;
  /** A LocalCluster of this many worker processes (one thread each). */
  local?: number;
  /** A running Dask scheduler, tcp://HOST:PORT, whose workers see the work folder and this checkout. */
  scheduler?: string;
  buckets?: number;
  /** Keep the lake, the bucket outputs and the merged tables here (a new or empty folder). */
  work?: string;
}

export interface DaskRun {
  /** The copy of queries/ the month's session reads: the three merged names from the merged files. */
  queriesDir: string;
  work: string;
  /** The work folder stays after cleanup (--work named it). */
  kept: boolean;
  /** Seconds of each step, and bytes of what each wrote. */
  seconds: { export: number; dask: number; merge: number };
  bytes: { lake: number; buckets: number; merged: number };
  /** Each bucket's task: its time, its rows and the Dask worker that ran it (its name, else its address). */
  buckets: { bucket: string; seconds: number; rows: number; worker: string | null }[];
  /** Removes the work folder, unless --work named it. */
  cleanup(): void;
}

export async function computeOnDask(opts: DaskOptions): Promise<DaskRun> {
  if ((opts.local === undefined) === (opts.scheduler === undefined)) throw new PledgeError('--engine dask: give --local N or --scheduler tcp://HOST:PORT (one of them)');
  if (opts.local !== undefined && (!Number.isInteger(opts.local) || opts.local < 1)) throw new PledgeError(`--local: ${opts.local} is not a number of workers`);
  // The lake and every bucket's files would hold the values as read, on every worker: not done.
  if (opts.revealPii) throw new PledgeError('--engine dask: --reveal-pii is not supported (the lake the workers read holds pseudonyms and masked forms only)');
  const given = opts.work !== undefined;
  const work = resolve(opts.work ?? mkdtempSync(join(process.env.PLEDGE_TEMP_DIR ?? tmpdir(), 'pledge-dask-')));
  mkdirSync(work, { recursive: true });
  if (readdirSync(work).length) throw new PledgeError(`--work ${work}: not empty (give a new or empty folder)`);
  const cleanup = () => { if (!given) rmSync(work, { recursive: true, force: true }); };
  try {
    const lake = join(work, 'lake');
    const t0 = Date.now();
    const exported = await exportParquet(opts.warehouse, lake, opts.policy, {
      buckets: opts.buckets, month: opts.month, asOf: opts.asOf, appealsKnownBy: opts.appealsKnownBy, queriesDir: opts.queriesDir,
    });
    const t1 = Date.now();
    const out = join(work, 'buckets');
    const args = [join(PROJECT_ROOT, 'engine', 'pledge_dask.py'), '--lake', lake, '--out', out, '--buckets', String(exported.buckets),
      '--policy', resolve(opts.policy), '--as-of', exported.asOf, '--node', process.execPath, '--entry', join(PROJECT_ROOT, 'engine', 'bucket.mjs'),
      ...(opts.queriesDir ? ['--queries', resolve(opts.queriesDir)] : []),
      ...(opts.local !== undefined ? ['--local', String(opts.local)] : ['--scheduler', opts.scheduler!])];
    const r = spawnSync(DASK_PYTHON, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    if (r.error) throw new PledgeError(`--engine dask: cannot start ${DASK_PYTHON} (install Debian's python3-distributed and python3-dask, or set PLEDGE_PYTHON): ${r.error.message}`);
    if (r.status !== 0) {
      const said = `${r.stderr ?? ''}`.trim().split('\n').filter((l) => l.startsWith('pledge-dask:')).join('\n') || `${r.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
      throw new PledgeError(`--engine dask: ${said.replace(/^pledge-dask: /gm, '')}`);
    }
    const t2 = Date.now();
    const merged = join(work, 'merged');
    await mergeBuckets(out, merged, loadPolicy(opts.policy).timezone);
    const queriesDir = daskQueries(opts.queriesDir ?? defaultQueriesDir(), join(work, 'queries'), merged);
    const t3 = Date.now();
    const buckets = readdirSync(out).filter((b) => /^bucket=\d+$/.test(b)).sort().map((b) => {
      const done = JSON.parse(readFileSync(join(out, b, 'done.json'), 'utf8')) as { seconds: number; rows: number; worker: string | null };
      return { bucket: b, seconds: done.seconds, rows: done.rows, worker: done.worker };
    });
    return {
      queriesDir, work, kept: given, buckets, cleanup,
      seconds: { export: (t1 - t0) / 1000, dask: (t2 - t1) / 1000, merge: (t3 - t2) / 1000 },
      bytes: { lake: bytesUnder(lake), buckets: bytesUnder(out), merged: bytesUnder(merged) },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** The line `pledge run` and `pledge assess` print about a Dask run: its buckets, each step's time, what was written. */
export function daskSummary(d: DaskRun): string {
  return `dask: ${d.buckets.length} buckets; export ${d.seconds.export.toFixed(1)} s, tasks ${d.seconds.dask.toFixed(1)} s, merge ${d.seconds.merge.toFixed(1)} s; `
    + `lake ${d.bytes.lake} bytes, bucket outputs ${d.bytes.buckets} bytes${d.kept ? ` (kept in ${d.work})` : ''}`;
}

/**
 * One bucket's part (run by a Dask task through engine/bucket.mjs): its slice of the lake loaded
 * into a warehouse of its own, stored facts built and the session opened as `pledge run` opens
 * one (same policy, same as-of), and the merged names written as Parquet to `out`.
 */
export async function buildBucket(o: { lake: string; bucket: number; policy: string; asOf: string; out: string; queriesDir?: string }): Promise<void> {
  const t0 = Date.now();
  const name = bucketName(o.bucket);
  // Test-only: PLEDGE_TEST_KILL_AT=dask:bucket=NN kills every try of that bucket, dask-once:bucket=NN
  // only the first (a marker beside its output remembers it), as a lost worker would.
  testKillPoint(`dask:${name}`);
  const killed = join(dirname(o.out), `.${name}.killed`);
  if (process.env.PLEDGE_TEST_KILL_AT === `dask-once:${name}` && !existsSync(killed)) {
    writeFileSync(killed, '');
    process.kill(process.pid, 'SIGKILL');
  }
  rmSync(o.out, { recursive: true, force: true });   // a retried task starts again from nothing
  mkdirSync(o.out, { recursive: true });
  const policy = loadPolicy(o.policy);
  const warehouse = join(o.out, 'warehouse.duckdb');
  const wh = await Warehouse.open(warehouse, { timezone: policy.timezone });
  let knownBy: string | null = null;
  try {
    await ensureWarehouse(wh, policy.customStages);
    await wh.run(EVENT_VERSIONS_DDL);
    await wh.run(PUBLISHED_KPI_DDL);
    for (const t of ['complaint_versions', 'event_versions']) {
      const files = readdirSync(join(o.lake, t)).map((m) => join(o.lake, t, m, name)).filter((d) => existsSync(d))
        .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.parquet')).map((f) => join(d, f)));
      if (!files.length) continue;
      await wh.run(`insert into ${t} by name select * exclude (month, bucket)
        from read_parquet([${files.map(sqlLiteral).join(', ')}], hive_partitioning = true)`);
    }
    // The imports whole: the data's horizon (stg_data_horizon) and the as-of are the whole warehouse's.
    for (const t of ['imports', 'rejects', 'published_kpi', 'appeal_versions']) {
      // A lake written before appeals has no appeal_versions.parquet: no appeal.
      if (!existsSync(join(o.lake, `${t}.parquet`))) continue;
      await wh.run(`insert into ${t} by name from read_parquet(${sqlLiteral(join(o.lake, `${t}.parquet`))})`);
    }
    // The exporting session's bound on what is known of appeals (an --as-of, or none: each month's close).
    const settings = join(o.lake, 'settings.parquet');
    if (existsSync(settings)) knownBy = await wh.value<string | null>(`select appeals_known_by::varchar from read_parquet(${sqlLiteral(settings)})`);
  } finally {
    wh.close();
  }
  const session = await openSession({
    warehouse, policy: o.policy, asOf: o.asOf, queriesDir: o.queriesDir, readOnly: false, notice: () => {},
    appealsKnownBy: knownBy ?? 'infinity',
    reads: Object.keys(MERGED).map((n) => `select * from ${n}`).join(';\n'),
  });
  let rows = 0;
  try {
    for (const t of Object.keys(MERGED)) {
      await session.wh.run(`copy (from ${t} order by all) to ${sqlLiteral(join(o.out, `${t}.parquet`))} (format parquet)`);
      rows += Number(await session.wh.value(`select count(*) from ${t}`));
    }
  } finally {
    session.close();
  }
  rmSync(warehouse, { force: true });
  rmSync(`${warehouse}.wal`, { force: true });
  // engine/pledge_dask.py names the worker the task ran on (PLEDGE_DASK_WORKER).
  const worker = process.env.PLEDGE_DASK_WORKER ?? null;
  writeFileSync(join(o.out, 'done.json'), JSON.stringify({ bucket: name, rows, seconds: (Date.now() - t0) / 1000, worker }) + '\n');
}

/**
 * The buckets put together. kpi_fact_monthly's counts are sums over its cells (a cell absent from
 * a bucket counts nothing there), score sums added as DECIMAL(38,12) as kpi_unit_monthly adds
 * them; breach_list and commitment_status are per complaint and commitment, so their rows are the
 * buckets' rows, each complaint in exactly one bucket.
 */
export async function mergeBuckets(bucketsDir: string, merged: string, timezone: string): Promise<void> {
  mkdirSync(merged, { recursive: true });
  const done = readdirSync(bucketsDir).filter((b) => /^bucket=\d+$/.test(b) && existsSync(join(bucketsDir, b, 'done.json')));
  if (!done.length) throw new PledgeError(`${bucketsDir}: no bucket finished`);
  const files = (t: string) => `read_parquet([${done.map((b) => sqlLiteral(join(bucketsDir, b, `${t}.parquet`))).join(', ')}], union_by_name = true)`;
  const db = await Warehouse.open(':memory:', { timezone });
  try {
    await db.run(`copy (select month, department, team, channel_kind, segment, kpi,
          sum(numerator)::bigint as numerator, sum(denominator)::bigint as denominator,
          sum(score_sum::decimal(38, 12))::double as score_sum,
          sum(breached)::bigint as breached, sum(overdue)::bigint as overdue, sum(pending)::bigint as pending,
          sum(unknown)::bigint as unknown, sum(on_time)::bigint as on_time, sum(appealed)::bigint as appealed
        from ${files('kpi_fact_monthly')} group by all order by all)
      to ${sqlLiteral(join(merged, 'kpi_fact_monthly.parquet'))} (format parquet)`);
    for (const t of ['breach_list', 'commitment_status'] as MergedName[]) {
      await db.run(`copy (from ${files(t)} order by all) to ${sqlLiteral(join(merged, `${t}.parquet`))} (format parquet)`);
    }
  } finally {
    db.close();
  }
}

/**
 * A copy of queries/ whose three merged files read the merged Parquet: each keeps its header
 * (what its columns mean is unchanged) and its body becomes a read of the file. Every other
 * file is the one the single-machine run reads, so what is not additive is computed by it.
 */
export function daskQueries(from: string, to: string, merged: string): string {
  cpSync(from, to, { recursive: true });
  for (const [name, layer] of Object.entries(MERGED)) {
    const path = join(to, layer, `${name}.sql`);
    const header = readFileSync(path, 'utf8').split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('--'))).join('\n');
    writeFileSync(path, `${header}\n-- (pledge run --engine dask: the buckets' rows, merged by src/apps/dask.ts)\nfrom read_parquet(${sqlLiteral(join(merged, `${name}.parquet`))})\n`);
  }
  return to;
}

function bytesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((s, f) => {
    const st = statSync(join(dir, f));
    return st.isFile() ? s + st.size : s;
  }, 0);
}

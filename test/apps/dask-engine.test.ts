// pledge run --engine dask: the month computed per customer bucket on Dask distributed
// (Debian's python3-distributed; test/support/ensure-dask.mjs installs it), merged, and the
// non-additive figures computed once. On a small demo its tables must equal the single-machine
// run's, md5 for md5, with 1, 2 and 4 local workers, and its pages must be the demo's own, byte
// for byte. A bucket whose task dies once is retried by Dask; one that dies every time fails
// the run, named, and publishes nothing. A scheduler and two workers started on their own, as
// on a cluster (--scheduler), give the same tables, each bucket computed by one of those workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pledge, pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { openSession } from '../../src/models/session.ts';
import { computeOnDask } from '../../src/apps/dask.ts';

const dir = tempDir('pledge-dask-');
const warehouse = join(dir, 'warehouse.duckdb');
const policy = join(ROOT, 'data', 'policy.yaml');
const out = join(dir, 'out');
const month = '2025-10';
const BUCKETS = 4;

/** An md5 of each ordered table the reports rest on (as the demo-figures check in the README computes them). */
const DIGESTS: Record<string, string> = {
  commitment_status: `select count(*) as n, md5(string_agg(concat_ws('|', complaint_id, commitment, status, due_at, done_at, late_minutes), ','
    order by complaint_id, commitment)) as d from commitment_status`,
  kpi_fact_monthly: `select count(*) as n, md5(string_agg(concat_ws('|', month, department, team, channel_kind, segment, kpi, numerator, denominator,
    score_sum, breached, overdue, pending, unknown, on_time, appealed), ',' order by month, department, team, channel_kind, segment, kpi)) as d from kpi_fact_monthly`,
  kpi_unit_monthly: `select count(*) as n, md5(string_agg(concat_ws('|', month, level, unit, kpi, numerator, denominator, round(actual, 9), on_target,
    round(org_actual, 9), round(previous, 9), previous_published), ',' order by month, level, unit, kpi)) as d from kpi_unit_monthly`,
  breach_list: `select count(*) as n, md5(string_agg(concat_ws('|', complaint_id, commitment, due_at, done_at, late_minutes, owner_team, responsible_team), ','
    order by complaint_id, commitment)) as d from breach_list`,
  kpi_composite_monthly: `select count(*) as n, md5(string_agg(t::varchar, ',' order by t::varchar)) as d from kpi_composite_monthly t`,
};

async function digests(queriesDir?: string): Promise<Record<string, unknown>> {
  const s = await openSession({ warehouse, policy, month, queriesDir, notice: () => {} });
  try {
    const r: Record<string, unknown> = {};
    for (const [t, sql] of Object.entries(DIGESTS)) r[t] = (await s.wh.rows(sql))[0];
    return r;
  } finally {
    s.close();
  }
}

/** The CLI inherits the environment: the kill point is set for the one command only. */
function withKill<T>(at: string, f: () => T): T {
  process.env.PLEDGE_TEST_KILL_AT = at;
  try { return f(); } finally { delete process.env.PLEDGE_TEST_KILL_AT; }
}

/** Processes of a cluster started by the test (scheduler, workers), each in a process group of its own. */
const started: ChildProcess[] = [];
afterAll(() => { for (const p of started) { try { process.kill(-p.pid!, 'SIGTERM'); } catch { /* already gone */ } } });

/** Starts a process and resolves once a line of its stderr matches `ready` (Dask logs there). */
function startUntil(command: string, args: string[], cwd: string, ready: RegExp): Promise<string> {
  return new Promise((resolveReady, reject) => {
    const p = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    started.push(p);
    let said = '';
    const timer = setTimeout(() => reject(new Error(`${command}: not ready after 60 s:\n${said}`)), 60_000);
    p.stderr!.on('data', (b: Buffer) => {
      said += b.toString();
      const m = said.match(ready);
      if (m) { clearTimeout(timer); resolveReady(m[1] ?? m[0]); }
    });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${command} exited (${code}):\n${said}`)); });
  });
}

/**
 * A Dask scheduler (Debian's dask-scheduler, a free port) and one worker per name, each its own
 * process in a folder of its own, as hosts of a cluster would be; resolves to the scheduler's
 * address once every worker has registered with it.
 */
async function cluster(names: string[]): Promise<string> {
  const home = join(dir, 'cluster');
  mkdirSync(home, { recursive: true });
  const address = await startUntil('dask-scheduler', ['--host', '127.0.0.1', '--port', '0', '--no-dashboard'], home, /Scheduler at:\s+(tcp:\/\/[\d.]+:\d+)/);
  await Promise.all(names.map((name) => {
    const own = join(home, name);
    mkdirSync(own, { recursive: true });
    return startUntil('dask-worker', [address, '--name', name, '--nthreads', '1', '--nworkers', '1', '--no-dashboard', '--local-directory', own], own, /Registered to:/);
  }));
  return address;
}

let single: Record<string, unknown>;
let complaints: number;

beforeAll(async () => {
  // The demo writes the month's reports with the single-machine engine; they are what the Dask run must equal.
  pledgeOk(['demo', '--complaints', '1500', '--dir', join(dir, 'exports'), '--warehouse', warehouse, '--out', out, '--month', month]);
  single = await digests();
  // The complaints the month's statuses cover (those received by its end), each in one bucket.
  [{ n: complaints }] = pledgeJson<{ n: number }>(['query', '--warehouse', warehouse, '--month', month, 'select count(distinct complaint_id) as n from commitment_status']);
});

describe('pledge run --engine dask', () => {
  it('with 2 local workers gives the single-machine tables md5 for md5 and writes the demo\'s pages; a bucket that dies once is retried', async () => {
    const daskOut = join(dir, 'out-dask');
    const work = join(dir, 'work-2');
    const r = withKill('dask-once:bucket=01', () => pledge(['run', '--month', month, '--warehouse', warehouse, '--out', daskOut,
      '--engine', 'dask', '--local', '2', '--buckets', String(BUCKETS), '--work', work]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`dask: ${BUCKETS} buckets`));
    // --work keeps the copy of queries/ the run read: the merged tables and everything computed after them.
    expect(await digests(join(work, 'queries'))).toEqual(single);
    // bucket=01 was killed on its first try (the marker says so) and still finished.
    expect(existsSync(join(work, 'buckets', '.bucket=01.killed'))).toBe(true);
    expect(existsSync(join(work, 'buckets', 'bucket=01', 'done.json'))).toBe(true);
    // Byte for byte: queries/report/red_owners.sql breaks a tie between two worst units by name,
    // so the order rows arrive in (the threads' on one machine, the buckets' on Dask) names no one.
    const pages = readdirSync(join(out, month), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      expect(readFileSync(join(daskOut, month, page), 'utf8'), page).toBe(readFileSync(join(out, month, page), 'utf8'));
    }
  });

  it('splits the complaints into buckets that do not overlap and together hold every one', () => {
    const statuses = join(dir, 'work-2', 'buckets', '*', 'commitment_status.parquet');
    const [r] = pledgeJson<{ ids: number; twice: number; buckets: number }>(['query', '--warehouse', warehouse, `select
        count(distinct complaint_id) as ids,
        (select count(*) from (select complaint_id from read_parquet('${statuses}', filename = true)
           group by complaint_id having count(distinct filename) > 1)) as twice,
        count(distinct filename) as buckets
      from read_parquet('${statuses}', filename = true)`]);
    expect(r).toEqual({ ids: complaints, twice: 0, buckets: BUCKETS });
  });

  for (const workers of [1, 4]) {   // (2 workers: the run above)
    it(`with ${workers} local worker${workers > 1 ? 's' : ''} gives the single-machine run's tables, md5 for md5`, async () => {
      const dask = await computeOnDask({ warehouse, policy, month, local: workers, buckets: BUCKETS });
      try {
        expect(await digests(dask.queriesDir)).toEqual(single);
      } finally {
        dask.cleanup();
      }
      expect(existsSync(dask.work)).toBe(false);
    });
  }

  it('on a scheduler and two workers started on their own (--scheduler, as on a cluster) gives the same tables, each bucket placed on one of them', async () => {
    const dask = await computeOnDask({ warehouse, policy, month, scheduler: await cluster(['host-a', 'host-b']), buckets: BUCKETS, work: join(dir, 'work-cluster') });
    expect(await digests(dask.queriesDir)).toEqual(single);
    // Every bucket ran on a worker the scheduler placed it on; with four buckets and two idle workers, both got some.
    expect(dask.buckets.map((b) => b.bucket)).toEqual(['bucket=00', 'bucket=01', 'bucket=02', 'bucket=03']);
    expect(new Set(dask.buckets.map((b) => b.worker))).toEqual(new Set(['host-a', 'host-b']));
  });

  it('fails the run naming a bucket that dies on every try, and publishes nothing', () => {
    const failedOut = join(dir, 'out-failed');
    const r = withKill('dask:bucket=00', () => pledge(['run', '--month', month, '--warehouse', warehouse, '--out', failedOut,
      '--engine', 'dask', '--local', '1', '--buckets', '1']));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bucket=00 failed after 3 tries: killed by signal 9');
    expect(existsSync(join(failedOut, month))).toBe(false);
  });
});

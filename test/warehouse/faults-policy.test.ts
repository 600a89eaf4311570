// Issue 18, cases 8, 5 and 9 (part): a policy that cannot be meant, a full disk at
// commit, and KPI digits that depend on the order DuckDB's threads add rows in.
// Real policy files read by the real loader (and one through the CLI), a real
// DuckDB warehouse on a real full tmpfs, the real SQL files of queries/kpi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { loadPolicy } from '../../src/warehouse/policy.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import { generateDemo } from '../../data/generate.ts';

const base = readFileSync(join(FIXTURES, 'policy-clocks.yaml'), 'utf8');
const dir = tempDir('pledge-faults-policy-');

/** policy-clocks.yaml with one text replaced; the file's path, for the error to name. */
function policyWith(name: string, from: string, to: string): string {
  if (!base.includes(from)) throw new Error(`policy-clocks.yaml has no ${from}`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, base.replace(from, to));
  return file;
}

/** The loader's error message for a policy file (undefined when it loads). */
function refusal(file: string): string | undefined {
  try {
    loadPolicy(file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('case 8: a policy that cannot be meant is refused, naming the file, the key and the reason', () => {
  // The longest limit is 366 days (src/warehouse/policy.ts MAX_LIMIT_DAYS): 527040m = 366 x 1440,
  // 8784h = 366 x 24, 366wd, and in working hours 366 x 8 h (09:00-12:00 + 13:00-18:00) = 2928wh.
  const resolve = 'commitments.resolve.within';
  const cases: [string, string, RegExp][] = [
    ['100000wd', resolve, /"100000wd" is longer than the longest limit Pledge accepts, 366 days \(366wd\)/],
    ['100000000000000000000wd', resolve, /longer than the longest limit Pledge accepts, 366 days \(366wd\)/],
    ['1e20wd', resolve, /"1e20wd" is not a duration: write a whole number and a unit, e.g. "3wd"/],
    ['9007199254740993m', resolve, /"9007199254740993m" is longer than the longest limit Pledge accepts, 366 days \(527040m\)/],
    ['527041m', resolve, /366 days \(527040m\)/],
    ['8785h', resolve, /366 days \(8784h\)/],
    ['367d', resolve, /366 days \(366d\)/],
    ['2929wh', resolve, /366 days \(2928wh at 8 working hours a day\)/],
    ['0wd', resolve, /"0wd" is no time at all: nothing can be done within it/],
    ['0m', resolve, /"0m" is no time at all/],
    ['1.5wd', resolve, /"1.5wd" is not a duration: amounts are whole numbers/],
  ];
  for (const [bad, key, reason] of cases) {
    it(`within: ${bad}`, () => {
      const file = policyWith(`limit-${bad}`, 'within: 3wd', `within: ${bad}`);
      const message = refusal(file);
      expect(message).toMatch(reason);
      expect(message!.startsWith(`${file}: ${key}: `)).toBe(true);
    });
  }

  it('names the rule of a list: commitments.resolve.within[1].limit', () => {
    const file = policyWith('rule-list', 'within: 3wd', 'within:\n      - { when: { severity: urgent }, limit: 1wd }\n      - { limit: 0wd }');
    expect(refusal(file)).toBe(`${file}: commitments.resolve.within[1].limit: "0wd" is no time at all: nothing can be done within it (a limit is at least 1 of its unit, e.g. "3wd")`);
  });

  it('accepts the longest limits themselves (366wd, 8784h, 527040m, 2928wh)', () => {
    for (const ok of ['366wd', '8784h', '527040m', '2928wh', '366d']) {
      expect(refusal(policyWith(`ok-${ok}`, 'within: 3wd', `within: ${ok}`))).toBeUndefined();
    }
  });

  it('the wh bound follows the working day: 2928wh is too long for a four-hour day (366 x 4 h = 1464wh)', () => {
    const file = join(dir, 'short-day.yaml');
    writeFileSync(file, base.replace('working_hours: ["09:00-12:00", "13:00-18:00"]', 'working_hours: ["09:00-13:00"]').replace('within: 3wd', 'within: 2928wh'));
    expect(refusal(file)).toMatch(/^.*: commitments\.resolve\.within: "2928wh" is longer .* \(1464wh at 4 working hours a day\)/);
  });

  it('other durations are held to the same bounds: extensions.max_total, reopenings.window', () => {
    const cap = policyWith('cap', 'resolution: { commitment: resolve }', 'resolution: { commitment: resolve }\nextensions: { max_total: 100000wd }');
    expect(refusal(cap)).toMatch(new RegExp(`^${cap}: extensions\\.max_total: "100000wd" is longer`));
    const window = policyWith('window', 'resolution: { commitment: resolve }', 'resolution: { commitment: resolve }\nreopenings: { window: 0d }');
    expect(refusal(window)).toMatch(new RegExp(`^${window}: reopenings\\.window: "0d" is no time at all`));
  });

  const hours: [string, string, string][] = [
    ['["18:00-09:00"]', 'calendar.working_hours[0]', '"18:00-09:00" ends before it starts: write "09:00-18:00", or for hours across midnight two intervals, "00:00-09:00" and "18:00-24:00"'],
    ['["09:00-09:00"]', 'calendar.working_hours[0]', '"09:00-09:00" is empty: it starts and ends at 09:00 (e.g. "09:00-12:00")'],
    ['["09:00-12:00", "11:00-13:00"]', 'calendar.working_hours[1]', '"11:00-13:00" overlaps "09:00-12:00" (working_hours[0]): list each working minute once, e.g. "09:00-13:00" for both'],
    ['["09:00-24:30"]', 'calendar.working_hours[0]', '"09:00-24:30" is past the end of the day (the latest time is 24:00)'],
    ['[]', 'calendar.working_hours', 'at least one interval of working hours, e.g. ["09:00-12:00", "13:00-18:00"]'],
  ];
  for (const [value, key, reason] of hours) {
    it(`working_hours: ${value}`, () => {
      const file = policyWith(`hours-${hours.findIndex((h) => h[0] === value)}`, 'working_hours: ["09:00-12:00", "13:00-18:00"]', `working_hours: ${value}`);
      expect(refusal(file)).toBe(`${file}: ${key}: ${reason}`);
    });
  }

  it('accepts a night shift written as two intervals, and adjacent intervals', () => {
    expect(refusal(policyWith('night', 'working_hours: ["09:00-12:00", "13:00-18:00"]', 'working_hours: ["18:00-24:00", "00:00-09:00"]'))).toBeUndefined();
    expect(refusal(policyWith('adjacent', 'working_hours: ["09:00-12:00", "13:00-18:00"]', 'working_hours: ["09:00-12:00", "12:00-18:00"]'))).toBeUndefined();
  });

  it('the hint for -15wd does not suggest -15wd (through the CLI)', () => {
    const file = policyWith('negative', 'within: 3wd', 'within: -15wd');
    const r = pledge(['query', '--warehouse', join(dir, 'none.duckdb'), '--policy', file, 'select 1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`pledge: ${file}: commitments.resolve.within: "-15wd" is not a duration: a limit is never negative; write a whole number and a unit, e.g. "3wd" (units: m, h, d, wh, wd)`);
    // The only place -15wd appears is the quoted bad value itself.
    expect(r.stderr.split('-15wd').length - 1).toBe(1);
  });
});

describe('case 5: a full disk at commit is reported as the commit\'s error', () => {
  const mnt = join(dir, 'tmpfs');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(mnt, { recursive: true });
    // A real full disk: a 64 MB tmpfs (needs root; the test says why it skips otherwise).
    mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]).status === 0;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [mnt]);
  });

  const policy = join(FIXTURES, 'policy-clocks.yaml');
  const count = (warehouse: string) => pledgeJson<{ imports: number; rows: number }>(['query', '--warehouse', warehouse, '--policy', policy,
    'select count(*) as imports, sum(rows_read) as rows from imports'])[0];
  /** DuckDB's own CSV reader's count of a file's records, to check rows_read against. */
  async function records(file: string): Promise<number> {
    const wh = await Warehouse.open(':memory:');
    try { return Number(await wh.value('select count(*) from read_csv($f, header = true)', { f: file })); } finally { wh.close(); }
  }
  const ingestFillingDisk = (file: string, warehouse: string) => spawnSync(process.execPath,
    [join(ROOT, 'bin', 'pledge.mjs'), 'ingest', file, '--warehouse', warehouse, '--policy', policy],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PLEDGE_TEST_FILL_DISK_AT: 'commit' } });

  it('at commit: names "No space left on device" and the warehouse, not the failed rollback; nothing is half-written and a rerun imports', async (ctx) => {
    if (!mounted) ctx.skip();
    const warehouse = join(mnt, 'commit.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
    // statuses.csv: 6 complaints.
    expect(count(warehouse)).toEqual({ imports: 1, rows: await records(join(FIXTURES, 'statuses.csv')) });
    const before = count(warehouse);

    // A month of 1,500 generated complaints: its WAL record is far larger than a page, so the
    // commit's write meets the full disk (a few rows would fit in the WAL's last page).
    const month = (await generateDemo({ outDir: join(dir, 'month'), complaints: 1500, seed: 7 })).complaintFiles[0];
    const r = ingestFillingDisk(month, warehouse);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/rollback|no transaction is active/);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`pledge: ${warehouse}: the import of ${month} could not be committed, so none of it was written: `
      + `Could not write file "${warehouse}.wal": No space left on device`);

    rmSync(join(mnt, '.pledge-test-fill'));
    expect(count(warehouse)).toEqual(before);
    // The same file again, on a disk with room: all its records are read.
    pledgeOk(['ingest', month, '--warehouse', warehouse, '--policy', policy]);
    expect(count(warehouse)).toEqual({ imports: 2, rows: before.rows + await records(month) });
  }, 120_000);

  it('at the checkpoint after a commit that fit: says the import is committed and names the file; the WAL brings it back', async (ctx) => {
    if (!mounted) ctx.skip();
    const warehouse = join(mnt, 'checkpoint.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
    // tiny.csv's few rows fit in the WAL page already allocated: the commit succeeds on the
    // full disk, and the checkpoint that follows (writing the warehouse file) is what fails.
    const tiny = join(FIXTURES, 'tiny.csv');
    const r = ingestFillingDisk(tiny, warehouse);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`pledge: ${warehouse}: the imports are committed (kept in ${warehouse}.wal, replayed when the warehouse is next opened) `
      + `but could not be written into the warehouse file: Failed to create checkpoint because of error: Could not write file "${warehouse}": No space left on device`);
    rmSync(join(mnt, '.pledge-test-fill'));
    expect(count(warehouse)).toEqual({ imports: 2, rows: await records(join(FIXTURES, 'statuses.csv')) + await records(tiny) });
  }, 120_000);
});

describe('case 9: the same data give the same digits', () => {
  // Three KPIs of weight 1 scored 0.1, 0.2 and 0.3: composite = 100 x 0.6 / 3 = 20. In DOUBLE,
  // (0.1 + 0.2) + 0.3 = 0.6000000000000001 but (0.3 + 0.2) + 0.1 = 0.6: the order rows are added
  // in (which DuckDB's threads do not fix) moved the last digit. One thread, two insertion orders:
  // the DOUBLE sum gave 20.000000000000004 in the first and 20 in the second.
  const composite = readFileSync(join(ROOT, 'queries', 'kpi', 'kpi_composite_monthly.sql'), 'utf8');
  async function compositeWith(order: number[]): Promise<unknown> {
    const wh = await Warehouse.open(':memory:');
    try {
      await wh.run('set threads = 1');
      await wh.run('create table policy_scorecard_weight (kpi varchar, weight double)');
      // The score reads each KPI's unit from policy_target (the KPI catalogue): all three are shares.
      await wh.run(`create table policy_target as select * from (values ('a', 'share'), ('b', 'share'), ('c', 'share')) t(kpi, kpi_unit)`);
      await wh.run(`create table kpi_unit_monthly (month date, level varchar, department varchar, team varchar, unit varchar,
        kpi varchar, actual double, direction varchar, judgeable boolean)`);
      // Both tables in the same order: the join may keep either side's order.
      for (const i of order) await wh.run('insert into policy_scorecard_weight values ($kpi, 1)', { kpi: ['a', 'b', 'c'][i] });
      for (const i of order) {
        await wh.run(`insert into kpi_unit_monthly values ('2025-10-01', 'organisation', null, null, null, $kpi, $actual, 'at_least', true)`,
          { kpi: ['a', 'b', 'c'][i], actual: [0.1, 0.2, 0.3][i] });
      }
      return await wh.value(`select composite from (${composite})`);
    } finally {
      wh.close();
    }
  }

  it('the composite does not depend on the order its KPIs are added in', async () => {
    expect(await compositeWith([0, 1, 2])).toBe(20);
    expect(await compositeWith([2, 1, 0])).toBe(20);
  });

  it('five runs of the composite and the satisfaction means with two threads agree to the last digit', async () => {
    const demo = await generateDemo({ outDir: join(dir, 'demo'), complaints: 2000, seed: 7 });
    const warehouse = join(dir, 'demo.duckdb');
    const policy = join(ROOT, 'data', 'policy.yaml');
    pledgeOk(['ingest', ...demo.complaintFiles, ...demo.eventFiles, '--warehouse', warehouse, '--policy', policy]);
    expect(existsSync(warehouse)).toBe(true);
    const sql = `select string_agg(composite::varchar, ' ' order by month, level, department, team) as composite,
        (select string_agg(actual::varchar, ' ' order by month, level, department, team) from kpi_unit_monthly where kpi = 'satisfaction_mean') as means
      from kpi_composite_monthly`;
    const runs = Array.from({ length: 5 }, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'query', '--warehouse', warehouse, '--policy', policy, '--format', 'json', sql], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, PLEDGE_THREADS: '2' },
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    });
    expect(JSON.parse(runs[0])[0].composite.split(' ').length).toBeGreaterThan(10);
    expect(new Set(runs).size).toBe(1);
  }, 300_000);
});

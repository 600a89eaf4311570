// pledge assess --engine dask: the quarter's pack computed per customer bucket on Dask
// distributed (a LocalCluster of 2 workers, 4 buckets), merged, and the pack written from the
// merged tables. On a small demo its figures (the KPI table, the breach list, the commitment
// statuses and the spot-check sample) must be the single-machine pack's, table for table and
// file for file; its manifest must say it was made on Dask, and pledge verify (which re-computes
// on one machine) must pass it. One lake and one Dask submission cover the three months.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { parse } from 'csv-parse/sync';
import { listFiles } from '../../src/apps/assess/manifest.ts';

const dir = tempDir('pledge-dask-assess-');
const exportsDir = join(dir, 'exports');
const warehouse = join(dir, 'warehouse.duckdb');
const single = join(dir, 'pack-single');
const dask = join(dir, 'pack-dask');
const work = join(dir, 'work');
const QUARTER = '2025Q3';
const AS_OF = '2025-10-01 00:00';   // end of 2025Q3, local (Asia/Shanghai): the as-of assess uses
const BUCKETS = 4;

const manifestOf = (pack: string) => JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));

/** Rows, and an md5 of the rows in the order the pack's file holds them, of one evidence table. */
function digest(pack: string, name: string): { n: number; d: string } {
  const file = join(pack, 'evidence', `${name}.parquet`);
  const [r] = pledgeJson<{ n: number; d: string }>(['query', '--warehouse', warehouse, `select count(*) as n,
      md5(string_agg(t::varchar, '\n' order by file_row_number)) as d
    from read_parquet('${file}', file_row_number = true) t`]);
  return r;
}

let daskOut: string;

beforeAll(() => {
  // A small demo (2,000 complaints received April to November 2025): the quarter's three months are all in it.
  pledgeOk(['demo', '--complaints', '2000', '--dir', exportsDir, '--warehouse', warehouse, '--out', join(dir, 'out')]);
  pledgeOk(['assess', '--quarter', QUARTER, '--warehouse', warehouse, '--out', single]);
  daskOut = pledgeOk(['assess', '--quarter', QUARTER, '--warehouse', warehouse, '--out', dask,
    '--engine', 'dask', '--local', '2', '--buckets', String(BUCKETS), '--work', work]);
});

describe('pledge assess --engine dask', () => {
  it('gives the single-machine pack\'s KPI table, breach list, statuses and sample, row for row', () => {
    expect(daskOut).toMatch(new RegExp(`^dask: ${BUCKETS} buckets`, 'm'));
    for (const name of ['kpi', 'breach_list', 'commitment_status', 'sample']) {
      const mine = digest(dask, name);
      expect(mine.n, name).toBeGreaterThan(0);
      expect(mine, name).toEqual(digest(single, name));
    }
  });

  it('has as many breaches, and samples from as many complaints, as the warehouse\'s clocks say by a direct count', () => {
    // Another route to both counts: the clocks themselves, as of the quarter's end. The sample's
    // population is every complaint with a commitment due in the quarter and applicable
    // (queries/assess/assess_sample.sql); each stratum says its population once.
    const [w] = pledgeJson<{ breaches: number; population: number }>(['query', '--warehouse', warehouse, '--as-of', AS_OF, `select
        count(*) filter (where status in ('breached', 'overdue')) as breaches,
        count(distinct complaint_id) filter (where status <> 'not_applicable') as population
      from commitment_status where due_month >= date '2025-07-01' and due_month < date '2025-10-01'`]);
    expect(digest(dask, 'breach_list').n).toBe(w.breaches);
    const sample = parse(readFileSync(join(dask, 'evidence', 'sample.csv')), { columns: true }) as { stratum: string; stratum_population: string }[];
    const strata = new Map(sample.map((s) => [s.stratum, Number(s.stratum_population)]));
    expect([...strata.values()].reduce((a, b) => a + b, 0)).toBe(w.population);
    expect(w.breaches).toBeGreaterThan(0);
  });

  it('writes every file of the pack byte for byte as on one machine; only the manifest\'s engine differs', () => {
    const files = listFiles(single);
    expect(listFiles(dask)).toEqual(files);
    for (const f of files.filter((f) => f !== 'manifest.json')) {
      expect(readFileSync(join(dask, f)).equals(readFileSync(join(single, f))), f).toBe(true);
    }
    const { engine, ...rest } = manifestOf(dask);
    expect(engine).toEqual({ name: 'dask', buckets: BUCKETS, local: 2 });
    const { engine: one, ...restSingle } = manifestOf(single);
    expect(one).toEqual({ name: 'single' });
    expect(rest).toEqual(restSingle);
  });

  it('computed the quarter from one lake and one submission: every row of the pack\'s statuses came from exactly one bucket', () => {
    // One export (the lake) and one set of buckets for the three months, not one per month.
    expect(readdirSync(work).sort()).toEqual(['buckets', 'lake', 'merged', 'queries']);
    const done = readdirSync(join(work, 'buckets')).filter((b) => existsSync(join(work, 'buckets', b, 'done.json'))).sort();
    expect(done).toEqual(['bucket=00', 'bucket=01', 'bucket=02', 'bucket=03']);
    const [r] = pledgeJson<{ rows: number; found: number; twice: number; months: number }>(['query', '--warehouse', warehouse, `with pack as (
        select complaint_id, commitment, due_month from read_parquet('${join(dask, 'evidence', 'commitment_status.parquet')}')
      ), buckets as (
        select complaint_id, commitment, filename from read_parquet('${join(work, 'buckets', '*', 'commitment_status.parquet')}', filename = true)
      ), hits as (
        select p.complaint_id, p.commitment, count(b.filename) as k from pack p left join buckets b using (complaint_id, commitment) group by all
      )
      select (select count(*) from pack) as rows, count(*) filter (where k = 1) as found, count(*) filter (where k > 1) as twice,
        (select count(distinct due_month) from pack where due_month >= date '2025-07-01' and due_month < date '2025-10-01') as months
      from hits`]);
    expect(r).toEqual({ rows: r.rows, found: r.rows, twice: 0, months: 3 });
    expect(r.rows).toBe(digest(dask, 'commitment_status').n);
  });

  it('passes pledge verify, which says the pack was made on Dask and re-computes it on one machine', () => {
    const r = pledge(['verify', dask, '--inputs', exportsDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`made with --engine dask (${BUCKETS} buckets, a LocalCluster of 2); re-computed on one machine`);
    expect(r.stdout).toContain('match     re-computation\n');
    // Every file the manifest lists, the inputs and the re-computation: 1 + files + inputs verdicts.
    const m = manifestOf(dask);
    expect(r.stdout).toContain(`verify: all ${m.files.length + m.inputs.length + 1} match`);
  });

  it('refuses the Dask flags without --engine dask, and an engine it does not know, writing nothing', () => {
    const out = join(dir, 'pack-refused');
    for (const [args, said] of [
      [['--local', '2'], '--local: only with --engine dask'],
      [['--engine', 'spark'], '--engine: "spark" is not single or dask'],
      [['--engine', 'dask'], '--engine dask: give --local N or --scheduler tcp://HOST:PORT (one of them)'],
    ] as const) {
      const r = pledge(['assess', '--quarter', QUARTER, '--warehouse', warehouse, '--out', out, ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`pledge: ${said}`);
    }
    expect(existsSync(out)).toBe(false);
  });
});

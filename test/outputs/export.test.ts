// pledge export --parquet: the warehouse as Parquet, complaint versions
// partitioned by the local month of receipt (Asia/Shanghai in the demo policy).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import { ON_TARGET_MACRO, STAGE_TYPE_SQL } from '../../src/warehouse/policy-tables.ts';
import { createQueryObjects, defaultQueriesDir } from '../../src/models/queries.ts';
import { assembleSplitNames, createAllLive, isSplit } from '../../src/models/facts.ts';

describe('pledge export --parquet', () => {
  const dir = tempDir('pledge-export-');
  const warehouse = join(dir, 'warehouse.duckdb');
  const exportFile = join(dir, 'month-edge.csv');
  // Two complaints on either side of local midnight between October and November:
  // 2025-11-01 07:00 in Shanghai is 2025-10-31 23:00 UTC, so a month taken in UTC
  // would put both in October; the policy's zone puts one in each month.
  writeFileSync(exportFile, [
    'complaint_id,channel,severity,department,received_at',
    'E1,phone,general,客服中心,2025-10-31 23:30:00',
    'E2,app,general,客服中心,2025-11-01 07:00:00',
  ].join('\n') + '\n');
  const out = join(dir, 'parquet');

  it('writes one partition per local month and files for imports and rejects', () => {
    pledgeOk(['ingest', exportFile, join(FIXTURES, 'tiny.csv'), '--warehouse', warehouse]);
    const said = pledgeOk(['export', '--parquet', out, '--warehouse', warehouse]);
    // tiny.csv loads A1 and A2 (both received 2025-10-13); A3, the second A1, A4 and A5
    // are rejected. So October holds E1 + A1 + A2 = 3 versions, November holds E2.
    expect(readdirSync(join(out, 'complaint_versions')).sort()).toEqual(['month=2025-10', 'month=2025-11']);
    // Within a month, one folder per customer-hash bucket (16 by default) that holds a complaint.
    expect(readdirSync(join(out, 'complaint_versions', 'month=2025-10')).every((b) => /^bucket=(0\d|1[0-5])$/.test(b))).toBe(true);
    expect(existsSync(join(out, 'imports.parquet'))).toBe(true);
    expect(existsSync(join(out, 'rejects.parquet'))).toBe(true);
    expect(said).toContain('4 complaint versions in 2 monthly partitions x 16 buckets, 0 events, 2 imports');
    const months = pledgeJson<{ month: string; n: number; ids: string }>(['query', '--warehouse', warehouse,
      `select month, count(*) as n, string_agg(complaint_id, ',' order by complaint_id) as ids
       from read_parquet('${join(out, 'complaint_versions', '*', '*', '*.parquet')}', hive_partitioning = true) group by month order by month`]);
    expect(months).toEqual([{ month: '2025-10', n: 3, ids: 'A1,A2,E1' }, { month: '2025-11', n: 1, ids: 'E2' }]);
    const [rejected] = pledgeJson<{ lines: number }>(['query', '--warehouse', warehouse,
      `select count(distinct line_no) as lines from read_parquet('${join(out, 'rejects.parquet')}')`]);
    expect(rejected.lines).toBe(4);
  });

  it('refuses to write into a folder that is not empty, and says which', () => {
    const r = pledge(['export', '--parquet', out, '--warehouse', warehouse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${out}: not empty`);
  });
});

// The lake is complete: a fresh DuckDB that reads nothing but the Parquet files recomputes the
// figures. The SQL of queries/ is run over views of the lake as a session with no stored facts runs
// it, with the settings row in place of the session's variables and no policy file read; the
// statuses and KPI table it ends with must equal the warehouse's own, value for value.
describe('the lake is enough to recompute the KPIs elsewhere', () => {
  const dir = tempDir('pledge-lake-');
  const warehouse = join(dir, 'w.duckdb');
  const policy = join(FIXTURES, 'policy-events.yaml');
  const lake = join(dir, 'lake');
  const asOf = '2025-11-01 00:00';
  const KPI = `select md5(string_agg(concat_ws('|', month, level, unit, kpi, numerator, denominator, round(actual, 9), on_target, round(previous, 9)), ','
      order by month, level, unit, kpi)) as digest, count(*) as n from kpi_unit_monthly`;
  const STATUS = `select md5(string_agg(concat_ws('|', complaint_id, commitment, status, due_at, done_at, late_minutes), ',' order by complaint_id, commitment)) as digest,
      count(*) as n from commitment_status`;

  it('writes event versions, buckets, the policy and calendar tables and one settings row', () => {
    pledgeOk(['ingest', join(FIXTURES, 'clock-complaints.csv'), join(FIXTURES, 'clock-events.csv'), '--warehouse', warehouse, '--policy', policy]);
    const said = pledgeOk(['export', '--parquet', lake, '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, '--buckets', '4']);
    expect(said).toMatch(/x 4 buckets/);
    for (const t of ['policy_commitment', 'policy_commitment_rule', 'policy_target', 'policy_working_hours', 'calendar_source', 'settings', 'published_kpi']) {
      expect(existsSync(join(lake, `${t}.parquet`)), t).toBe(true);
    }
    // Every event of the flow log is in the lake, in the bucket of its complaint.
    const [events] = pledgeJson<{ n: number; split: number }>(['query', '--warehouse', warehouse, '--policy', policy, `select
        (select count(*) from read_parquet('${lake}/event_versions/*/*/*.parquet', hive_partitioning = true)) as n,
        (select count(*) from (select e.complaint_id from read_parquet('${lake}/event_versions/*/*/*.parquet', hive_partitioning = true) e
           join read_parquet('${lake}/complaint_versions/*/*/*.parquet', hive_partitioning = true) c using (complaint_id)
           where e.bucket <> c.bucket)) as split`]);
    const eventLines = readFileSync(join(FIXTURES, 'clock-events.csv'), 'utf8').trim().split('\n').length - 1;
    expect(events).toEqual({ n: eventLines, split: 0 });
  });

  it('a DuckDB holding only the lake gives the same commitment statuses and kpi_unit_monthly as the warehouse', async () => {
    const [expectedKpi] = pledgeJson<{ digest: string; n: number }>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, KPI]);
    const [expectedStatus] = pledgeJson<{ digest: string; n: number }>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, STATUS]);
    expect(expectedKpi.n).toBeGreaterThan(0);
    const probe = await Warehouse.open(':memory:');
    const [settings] = await probe.rows(`from read_parquet('${join(lake, 'settings.parquet')}')`);
    probe.close();
    const db = await Warehouse.open(':memory:', { timezone: String(settings.timezone) });
    try {
      const hive = (t: string) => `read_parquet('${join(lake, t)}/*/*/*.parquet', hive_partitioning = true)`;
      await db.run(`create view complaint_versions as select * exclude (month, bucket) from ${hive('complaint_versions')}`);
      await db.run(`create view event_versions as select * exclude (month, bucket) from ${hive('event_versions')}`);
      for (const f of readdirSync(lake).filter((f) => f.endsWith('.parquet') && f !== 'settings.parquet')) {
        await db.run(`create view ${f.replace('.parquet', '')} as from read_parquet('${join(lake, f)}')`);
      }
      for (const name of Object.keys(settings).filter((k) => k !== 'timezone')) {
        await db.run(`set variable ${name} = (select ${name} from read_parquet('${join(lake, 'settings.parquet')}'))`);
      }
      await db.run(ON_TARGET_MACRO);
      // The stage columns as an enum, from the lake's policy_stage (a PIVOT reads it: queries/staging/stg_complaints.sql).
      await db.run(STAGE_TYPE_SQL);
      // As a session with no stored facts: every complaint's clocks worked out from the versions and events.
      const queries = defaultQueriesDir();
      await createAllLive(db, queries);
      await assembleSplitNames(db, queries);
      await createQueryObjects(db, queries, { skip: isSplit });
      const [kpi] = await db.rows(KPI);
      const [status] = await db.rows(STATUS);
      expect({ kpi, status }).toEqual({ kpi: expectedKpi, status: expectedStatus });
    } finally {
      db.close();
    }
  });
});

// pledge export --parquet: the warehouse as Parquet, complaint versions
// partitioned by the local month of receipt (Asia/Shanghai in the demo policy).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

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
    expect(existsSync(join(out, 'imports.parquet'))).toBe(true);
    expect(existsSync(join(out, 'rejects.parquet'))).toBe(true);
    expect(said).toContain('4 complaint versions in 2 monthly partitions, 2 imports');
    const months = pledgeJson<{ month: string; n: number; ids: string }>(['query', '--warehouse', warehouse,
      `select month, count(*) as n, string_agg(complaint_id, ',' order by complaint_id) as ids
       from read_parquet('${join(out, 'complaint_versions', '*', '*.parquet')}', hive_partitioning = true) group by month order by month`]);
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

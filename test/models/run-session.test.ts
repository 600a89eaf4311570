// pledge run's session frees the tables no report reads once the last table built from
// them exists (the clock tables, the largest objects of a run); every KPI stays the same.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSession } from '../../src/models/session.ts';
import { FIXTURES, pledgeOk, ROOT, tempDir } from '../support/cli.ts';

describe('a report-only session (pledge run)', () => {
  const dir = tempDir('pledge-run-session-');
  const warehouse = join(dir, 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'tiny.csv'), '--warehouse', warehouse]);
  const policy = join(ROOT, 'data', 'policy.yaml');

  async function tablesAndKpis(reportsOnly: boolean) {
    const s = await openSession({ warehouse, policy, month: '2025-10', reportsOnly });
    try {
      const tables = (await s.wh.rows(`select table_name from duckdb_tables() where temporary`)).map((r) => String(r.table_name));
      const kpis = await s.wh.rows(`select * from kpi_summary_monthly order by all`);
      const statuses = await s.wh.rows(`select complaint_id, commitment, status, due_at from commitment_status order by all`);
      return { tables, kpis, statuses };
    } finally {
      s.close();
    }
  }

  it('drops the clock tables but keeps what reports and views read, with the same KPIs', async () => {
    const all = await tablesAndKpis(false);
    const run = await tablesAndKpis(true);
    for (const t of ['int_commitment_clock', 'int_commitment_due']) {
      expect(all.tables).toContain(t);
      expect(run.tables).not.toContain(t);
    }
    for (const t of ['commitment_status', 'breach_list', 'findings', 'kpi_summary_monthly', 'kpi_at_risk']) expect(run.tables).toContain(t);
    expect(run.statuses.length).toBeGreaterThan(0);
    expect(run.statuses).toEqual(all.statuses);
    expect(run.kpis).toEqual(all.kpis);
  });
});

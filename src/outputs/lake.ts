// The warehouse as Parquet, for engines beyond one machine (Spark SQL, Trino,
// DuckDB elsewhere): complaint versions partitioned by the local month of
// receipt, Hive style (complaint_versions/month=2025-10/…parquet), so a
// distributed engine prunes months by directory; imports and rejects as one
// file each (they are small). The warehouse is opened read-only. What the warehouse
// holds is already pseudonymised and masked (src/privacy/personal.ts); with --reveal-pii the
// personal file is attached and the values as read are written instead.
// The export is published as a whole (src/outputs/publish.ts): written into a new folder beside
// the target and renamed into place, so a killed or failed export leaves no part of itself.
import { join, resolve } from 'node:path';
import type { Policy } from '../warehouse/policy.ts';
import { openWarehouse } from '../privacy/upgrade.ts';
import { sqlLiteral } from '../core/sql-text.ts';
import { revealPersonal } from '../privacy/personal.ts';
import { checkReplaceable, publishFolder, testKillPoint, type PublishSpec } from './publish.ts';

export interface ExportSummary { dir: string; months: { month: string; rows: number }[]; imports: number; rejects: number }


export async function exportParquet(warehousePath: string, dir: string, policy: Policy, opts: { revealPii?: boolean } = {}): Promise<ExportSummary> {
  const target = resolve(dir);
  // Never over an earlier export or anything else: a new or empty folder (checked again at the swap).
  const spec: PublishSpec = { dir, kind: 'parquet-export', id: target, what: 'Parquet export', replaces: 'never', advice: 'export into a new or empty folder (nothing was written)' };
  checkReplaceable(spec);
  // The month is the policy zone's: the session zone decides where a TIMESTAMPTZ's local day falls.
  const wh = await openWarehouse(warehousePath, { readOnly: true, timezone: policy.timezone }, policy);
  try {
    if (opts.revealPii) await revealPersonal(wh);
    const month = `coalesce(strftime(received_at::timestamp, '%Y-%m'), 'unknown')`;
    const summary = await publishFolder(spec, async (staging) => {
      await wh.run(`copy (select *, ${month} as month from complaint_versions order by month, import_id, line_no)
        to ${sqlLiteral(join(staging, 'complaint_versions'))} (format parquet, partition_by (month))`);
      testKillPoint('export:versions');
      await wh.run(`copy (from imports order by import_id) to ${sqlLiteral(join(staging, 'imports.parquet'))} (format parquet)`);
      await wh.run(`copy (from rejects order by import_id, line_no) to ${sqlLiteral(join(staging, 'rejects.parquet'))} (format parquet)`);
      const months = await wh.rows(`select ${month} as month, count(*) as rows from complaint_versions group by all order by 1`);
      const [counts] = await wh.rows('select (select count(*) from imports) as imports, (select count(*) from rejects) as rejects');
      return {
        dir: target,
        months: months.map((m) => ({ month: String(m.month), rows: Number(m.rows) })),
        imports: Number(counts.imports), rejects: Number(counts.rejects),
      };
    });
    return summary;
  } finally {
    wh.close();
  }
}

// The warehouse as Parquet, for engines beyond one machine (Spark SQL, Trino,
// DuckDB elsewhere): complaint versions partitioned by the local month of
// receipt, Hive style (complaint_versions/month=2025-10/…parquet), so a
// distributed engine prunes months by directory; imports and rejects as one
// file each (they are small). The warehouse is opened read-only. What the warehouse
// holds is already pseudonymised and masked (pipelines/personal.ts); with --reveal-pii the
// personal file is attached and the values as read are written instead.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Policy } from './policy.ts';
import { openWarehouse } from './upgrade.ts';
import { PledgeError } from './errors.ts';
import { sqlLiteral } from './sql-text.ts';
import { revealPersonal } from './personal.ts';
import { privateTree } from '../reports/write.ts';

export interface ExportSummary { dir: string; months: { month: string; rows: number }[]; imports: number; rejects: number }


export async function exportParquet(warehousePath: string, dir: string, policy: Policy, opts: { revealPii?: boolean } = {}): Promise<ExportSummary> {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length) {
    throw new PledgeError(`${dir}: not empty; export into a new or empty folder (nothing was written)`);
  }
  mkdirSync(target, { recursive: true, mode: 0o700 });
  // The month is the policy zone's: the session zone decides where a TIMESTAMPTZ's local day falls.
  const wh = await openWarehouse(warehousePath, { readOnly: true, timezone: policy.timezone }, policy);
  try {
    if (opts.revealPii) await revealPersonal(wh);
    const month = `coalesce(strftime(received_at::timestamp, '%Y-%m'), 'unknown')`;
    await wh.run(`copy (select *, ${month} as month from complaint_versions order by month, import_id, line_no)
      to ${sqlLiteral(join(target, 'complaint_versions'))} (format parquet, partition_by (month))`);
    await wh.run(`copy (from imports order by import_id) to ${sqlLiteral(join(target, 'imports.parquet'))} (format parquet)`);
    await wh.run(`copy (from rejects order by import_id, line_no) to ${sqlLiteral(join(target, 'rejects.parquet'))} (format parquet)`);
    const months = await wh.rows(`select ${month} as month, count(*) as rows from complaint_versions group by all order by 1`);
    const [counts] = await wh.rows('select (select count(*) from imports) as imports, (select count(*) from rejects) as rejects');
    // DuckDB writes with the process umask, and the folder may have existed (0755).
    privateTree(target);
    return {
      dir: target,
      months: months.map((m) => ({ month: String(m.month), rows: Number(m.rows) })),
      imports: Number(counts.imports), rejects: Number(counts.rejects),
    };
  } finally {
    wh.close();
  }
}

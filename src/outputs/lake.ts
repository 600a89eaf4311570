// The warehouse as Parquet, for engines beyond one machine (Spark SQL, Trino,
// DuckDB elsewhere, Pledge's own Dask engine, src/apps/dask.ts): everything the SQL of
// queries/ reads, so another engine can recompute every figure from the folder alone.
//   complaint_versions/month=2025-10/bucket=07/…parquet   by the local month of receipt, then
//   event_versions/month=2025-10/bucket=07/…parquet       by a customer-hash bucket (Hive style,
//                                                         so an engine prunes by directory)
//   imports, rejects, published_kpi, appeal_versions .parquet   small: one file each
//   policy_*.parquet, calendar_source.parquet             every table a session loads from the policy
//   settings.parquet                                      one row: every getvariable() the SQL reads, and the zone
//                                                         (policy_sha256 names the policy text they came from)
// The bucket is a stable hash of the complaint's customer pseudonym (customer_key), so all of
// a customer's complaints, and every event of a complaint, are in one bucket: repeat complaints
// are found within a bucket. md5, not DuckDB's hash(): the same key gives the same bucket on
// every DuckDB version and in every other engine (the first 8 hex digits of the md5, mod N).
// An event's month is that of its complaint's receipt, so a month's complaints and their flow
// logs are pruned together. The warehouse is opened read-only. What the warehouse holds is
// already pseudonymised and masked (src/privacy/personal.ts); with --reveal-pii the personal
// file is attached and the values as read are written instead.
// The export is published as a whole (src/outputs/publish.ts): written into a new folder beside
// the target and renamed into place, so a killed or failed export leaves no part of itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqlLiteral } from '../core/sql-text.ts';
import { PledgeError } from '../core/errors.ts';
import { openSession } from '../models/session.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { checkReplaceable, publishFolder, testKillPoint, type PublishSpec } from './publish.ts';

export interface ExportSummary {
  dir: string; months: { month: string; rows: number }[]; buckets: number; events: number;
  imports: number; rejects: number; tables: string[]; asOf: string;
}

export interface ExportOptions {
  revealPii?: boolean;
  /** Customer-hash buckets the versions are split into (DEFAULT_BUCKETS). */
  buckets?: number;
  /** The instant the settings table holds as as_of (as `pledge run`: --as-of, else the end of --month, else the data's end). */
  asOf?: string;
  month?: string;
  /** What the settings table holds as appeals_known_by (SessionOptions.appealsKnownBy). */
  appealsKnownBy?: string;
  queriesDir?: string;
}

/** 16 buckets: a few per worker on a small cluster, and each still thousands of complaints at 100k. */
export const DEFAULT_BUCKETS = 16;

/** The bucket of a customer pseudonym (or, for a complaint with none, of its id), 0..n-1: written once, here. */
export function bucketSql(key: string, n: number): string {
  return `lpad((('0x' || left(md5(${key}), 8))::bigint % ${n})::varchar, 2, '0')`;
}

/** The bucket's folder: two digits (bucketSql), so bucket=03 sorts before bucket=12 in a listing. */
export function bucketName(b: number): string {
  return `bucket=${String(b).padStart(2, '0')}`;
}

export async function exportParquet(warehousePath: string, dir: string, policyPath: string, opts: ExportOptions = {}): Promise<ExportSummary> {
  const target = resolve(dir);
  const n = opts.buckets ?? DEFAULT_BUCKETS;
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new PledgeError(`--buckets: ${n} is not a whole number from 1 to 99`);
  // Never over an earlier export or anything else: a new or empty folder (checked again at the swap).
  const spec: PublishSpec = { dir, kind: 'parquet-export', id: target, what: 'Parquet export', replaces: 'never', advice: 'export into a new or empty folder (nothing was written)' };
  checkReplaceable(spec);
  // A session that reads nothing: the policy and calendar tables and the as-of loaded as for a run,
  // no view and no clock computed. The month is the policy zone's: the session zone decides where
  // a TIMESTAMPTZ's local day falls.
  const session = await openSession({
    warehouse: warehousePath, policy: policyPath, month: opts.month, asOf: opts.asOf, appealsKnownBy: opts.appealsKnownBy, revealPii: opts.revealPii,
    queriesDir: opts.queriesDir, reads: 'select 1',
  });
  const { wh } = session;
  try {
    const month = (at: string) => `coalesce(strftime(${at}::timestamp, '%Y-%m'), 'unknown')`;
    // One bucket per complaint: its customer's (the greatest pseudonym its versions carry, should a
    // re-export change it), else its own id's.
    await wh.run(`create or replace temp table lake_complaint as
      select complaint_id, ${bucketSql('coalesce(max(customer_key), complaint_id)', n)} as bucket,
             ${month('min(received_at)')} as month
      from complaint_versions group by complaint_id`);
    const summary = await publishFolder(spec, async (staging) => {
      const out = (name: string) => sqlLiteral(join(staging, name));
      await wh.run(`copy (select v.*, ${month('v.received_at')} as month, k.bucket from complaint_versions v join lake_complaint k using (complaint_id)
          order by month, bucket, import_id, line_no)
        to ${out('complaint_versions')} (format parquet, partition_by (month, bucket))`);
      testKillPoint('export:versions');
      // An event of a complaint no export holds is kept, in its own id's bucket and month "unknown".
      await wh.run(`copy (select e.*, coalesce(k.month, 'unknown') as month, coalesce(k.bucket, ${bucketSql('e.complaint_id', n)}) as bucket
          from event_versions e left join lake_complaint k using (complaint_id) order by month, bucket, import_id, line_no)
        to ${out('event_versions')} (format parquet, partition_by (month, bucket))`);
      await wh.run(`copy (from imports order by import_id) to ${out('imports.parquet')} (format parquet)`);
      await wh.run(`copy (from rejects order by import_id, line_no) to ${out('rejects.parquet')} (format parquet)`);
      await wh.run(`copy (from published_kpi order by all) to ${out('published_kpi.parquet')} (format parquet)`);
      // Appeals (申诉) are few, and one applies to a complaint whatever its bucket: one file, read whole.
      await wh.run(`copy (from appeal_versions order by all) to ${out('appeal_versions.parquet')} (format parquet)`);
      // Every table the session loaded from the policy and its calendar (src/warehouse/policy-tables.ts).
      const loaded = (await wh.rows(`select table_name from duckdb_tables() where temporary and table_name not like 'lake_%' and table_name <> 'appeal_versions' order by 1`))
        .map((r) => String(r.table_name));
      for (const t of loaded) await wh.run(`copy (from ${t} order by all) to ${out(`${t}.parquet`)} (format parquet)`);
      await wh.run(`copy (${settingsSql(opts.queriesDir ?? defaultQueriesDir())}) to ${out('settings.parquet')} (format parquet)`);
      const months = await wh.rows(`select ${month('received_at')} as month, count(*) as rows from complaint_versions group by all order by 1`);
      const [counts] = await wh.rows(`select (select count(*) from imports) as imports, (select count(*) from rejects) as rejects,
        (select count(*) from event_versions) as events`);
      return {
        dir: target, buckets: n, asOf: session.asOf,
        months: months.map((m) => ({ month: String(m.month), rows: Number(m.rows) })),
        events: Number(counts.events), imports: Number(counts.imports), rejects: Number(counts.rejects), tables: loaded,
      };
    });
    return summary;
  } finally {
    session.close();
  }
}

/** One row, a column for every getvariable('name') a file under queries/ reads (as_of among them), typed as set. */
function settingsSql(queriesDir: string): string {
  const names = new Set<string>(['as_of']);
  // facts_fingerprint is the session's digest of the stored facts (src/models/facts.ts), not a setting.
  const sql = readdirSync(queriesDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(join(queriesDir, f), 'utf8'));
  for (const text of sql) for (const m of text.matchAll(/getvariable\('([a-z_0-9]+)'\)/g)) names.add(m[1]);
  names.delete('facts_fingerprint');
  // The zone too: local days, months and working hours are the policy zone's (set TimeZone to it).
  return `select ${[...names].sort().map((v) => `getvariable('${v}') as "${v}"`).join(', ')}, current_setting('TimeZone') as timezone`;
}

// The pack's data files, each the result of one SQL file in queries/assess/,
// written by DuckDB's COPY as CSV and Parquet. Their bytes depend only on the
// inputs, the policy, the SQL and the as-of instant: rows come in the order the
// SQL defines, and nothing about the run (time, path, user) is written in them.
import { sqlLiteral } from '../../core/sql-text.ts';
import { chmodSync, readFileSync } from 'node:fs';
import { FILE_MODE } from '../../core/files.ts';
import { join } from 'node:path';
import type { Params, Row, Warehouse } from '../../warehouse/db.ts';
import type { Policy } from '../../warehouse/policy.ts';
import type { AppealRows } from '../../reports/assess-appeals.ts';
import { bindableParams } from '../../models/query-file.ts';
import { explainSqlError } from '../../models/sql-errors.ts';
import { PledgeError } from '../../core/errors.ts';
import { maskedColumnsSql, maskRows, MASKED } from '../../privacy/masking.ts';

export interface EvidenceSpec {
  /** File name without extension, and the temporary table that holds its rows during the run. */
  name: string;
  /** The SQL file under the queries folder. */
  query: string;
  /** Where in the pack: "evidence" for the data files, "." for the calendar as used. */
  folder: string;
  formats: ('csv' | 'parquet')[];
  description: string;
  /** Written only under this scorecard scheme (the points files: under the weighted scheme the pack is as before). */
  scheme?: Policy['scorecard']['scheme'];
}

export const EVIDENCE: EvidenceSpec[] = [
  { name: 'kpi', query: 'assess/assess_kpi.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'KPIs per month and for the quarter, whole organisation and per department, with targets' },
  { name: 'breach_list', query: 'assess/assess_breach_list.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'every commitment breached or overdue that fell due in the quarter' },
  { name: 'commitment_status', query: 'assess/assess_commitment_status.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'the status of every commitment of every complaint in the quarter' },
  { name: 'sample', query: 'assess/assess_sample.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'the spot-check sample (抽查)' },
  { name: 'appeals', query: 'assess/assess_appeals.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'every appeal (申诉) of the quarter: decision, status (applied, rejected, pending, late, …)' },
  { name: 'appeal_effects', query: 'assess/assess_appeal_effects.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'every figure an applied appeal changed: with no appeal applied and as reported, per month and quarter, per unit' },
  { name: 'points', query: 'assess/assess_points.sql', folder: 'evidence', formats: ['csv', 'parquet'], scheme: 'points',
    description: 'every unit\'s points per month (points scheme): score, class maximum, rank, red and black lists' },
  { name: 'points_lines', query: 'assess/assess_points_lines.sql', folder: 'evidence', formats: ['csv', 'parquet'], scheme: 'points',
    description: 'how each unit earned or lost its points, line by line, per month' },
  { name: 'reconciliation', query: 'assess/assess_reconciliation.sql', folder: 'evidence', formats: ['csv', 'parquet'],
    description: 'every input file: rows read, loaded and rejected' },
  { name: 'calendar', query: 'assess/assess_calendar.sql', folder: '.', formats: ['csv'],
    description: 'the working-day calendar the clocks were computed on' },
];

export interface WrittenEvidence { spec: EvidenceSpec; files: string[]; rows: number }


/** Runs every evidence query into a temporary table and COPYs it out; returns what was written. */
export async function writeEvidence(wh: Warehouse, queriesDir: string, packDir: string, params: Params, policy: Policy): Promise<WrittenEvidence[]> {
  // One thread, so the same bits on every run, is set where the session opens
  // (openSession({ deterministic: true })): the KPI tables are built there, before this runs.
  const written: WrittenEvidence[] = [];
  for (const spec of EVIDENCE.filter((s) => s.scheme === undefined || s.scheme === policy.scorecard.scheme)) {
    const file = join(queriesDir, spec.query);
    let sql: string;
    try {
      sql = readFileSync(file, 'utf8').replace(/;\s*$/, '');
    } catch {
      throw new PledgeError(`${file}: no such query file`);
    }
    const table = `evidence_${spec.name}`;
    try {
      await wh.run(`create or replace temp table ${table} as\n${sql}\n`, bindableParams(sql, params, file));
    } catch (e) {
      if (e instanceof PledgeError) throw e;
      throw await explainSqlError(wh, e, file, sql, `create or replace temp table ${table} as\n`);
    }
    const files: string[] = [];
    // The evidence queries select no personal data; masking still runs (always, --reveal-pii is refused
    // for packs) so that a query edited later cannot leak it, and CSV cells cannot start a formula.
    const columns = (await wh.rows(`select column_name as name, data_type as type from duckdb_columns() where table_name = $t and database_name = 'temp' order by column_index`, { t: table }))
      .map((c) => ({ name: String(c.name), type: String(c.type) }));
    for (const format of spec.formats) {
      const rel = spec.folder === '.' ? `${spec.name}.${format}` : `${spec.folder}/${spec.name}.${format}`;
      const options = format === 'csv' ? "format csv, header true, delimiter ',', quote '\"', null ''" : 'format parquet, compression zstd';
      const select = maskedColumnsSql(columns, MASKED, { csv: format === 'csv' });
      await wh.run(`copy (select ${select} from ${table} q order by q.rowid) to ${sqlLiteral(join(packDir, rel))} (${options})`);
      chmodSync(join(packDir, rel), FILE_MODE);   // private like every other report file
      files.push(rel);
    }
    const rows = Number(await wh.value(`select count(*) from ${table}`));
    written.push({ spec, files, rows });
  }
  return written;
}

/** The rows of one evidence table, as written (for the HTML page). */
export async function evidenceRows(wh: Warehouse, name: string): Promise<Row[]> {
  return maskRows(await wh.rows(`from evidence_${name} order by rowid`), MASKED);
}

/** The appeal and points sections' rows (src/reports/assess-appeals.ts); the points ones only when written. */
export async function appealRows(wh: Warehouse, written: WrittenEvidence[]): Promise<AppealRows> {
  const has = (name: string) => written.some((w) => w.spec.name === name);
  return {
    appeals: await evidenceRows(wh, 'appeals'), effects: await evidenceRows(wh, 'appeal_effects'),
    points: has('points') ? await evidenceRows(wh, 'points') : undefined,
    lines: has('points_lines') ? await evidenceRows(wh, 'points_lines') : undefined,
  };
}

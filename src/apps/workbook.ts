// pledge run --xlsx: the month's scorecards, rankings and breach list as one Excel
// workbook, for performance reviews (绩效考核 is done in spreadsheets). Every figure comes
// from the report queries the review pages read (queries/report/unit_ranking.sql,
// unit_scorecard.sql, unit_breaches.sql): nothing is worked out here. Numbers are number
// cells (shares with a percent format, never "95.2%" as text), instants are date cells
// (the policy zone's wall-clock time, which is what Excel, having no zones, shows), and
// text is written as string cells: Excel never evaluates a string cell, so an export value
// such as =HYPERLINK(…) stays text. Personal data is masked as in every output: the
// queries read the masked views.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type ExcelJSType from 'exceljs';
import type { Row } from '../warehouse/db.ts';
import type { Session } from '../models/session.ts';
import { runQueryFile } from '../models/query-file.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { writeFileAtomic } from '../core/files.ts';
import { commitmentLabel, kpiLabel, levelLabel, localize, statusLabel, UI, type Lang } from '../reports/labels.ts';
import { addAppealsSheet, addPointsSheet } from './workbook-points.ts';
import { addSheet, COUNT, INSTANT, instant, number, PERCENT, POINTS, text, type Cell } from './workbook-cells.ts';
import { kpiUnit } from '../warehouse/kpi-catalogue.ts';
import { formatLimit } from '../reports/format.ts';

// exceljs is CommonJS; loaded as xlsx-records.ts loads it.
const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;

export interface WorkbookOptions { month: string; dir: string; lang: Lang; queriesDir?: string }

/** The workbook's file name inside the month's set. */
export const workbookName = (month: string) => `pledge-${month}.xlsx`;

/** Writes <dir>/pledge-<month>.xlsx; returns its path. */
export async function writeWorkbook(session: Session, opts: WorkbookOptions): Promise<string> {
  const { lang } = opts;
  const q = (file: string, params: Record<string, string>) => runQueryFile(session.wh, join(opts.queriesDir ?? defaultQueriesDir(), 'report', file), { month: `${opts.month}-01`, ...params });
  const L = (k: keyof typeof UI) => localize(UI[k], lang);
  const valueFormat = (kpi: string, unit?: unknown) => ((unit ?? kpiUnit(kpi)) === 'points' ? POINTS : PERCENT);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pledge';
  wb.created = instant(session.asOf) ?? new Date(0);   // the as-of, not the wall clock: the same inputs give the same workbook contents

  const ranked: Record<string, Row[]> = {};
  for (const level of ['department', 'team'] as const) {
    const units = await q('unit_ranking.sql', { level });
    ranked[level] = units;
    const rows: { cells: Cell[]; formats?: (string | undefined)[] }[] = [];
    for (const u of units) {
      for (const k of await q('unit_scorecard.sql', { level, unit: String(u.unit) })) {
        const kpi = String(k.kpi);
        const f = valueFormat(kpi, k.kpi_unit);
        const judged = number(k.denominator);
        rows.push({
          cells: [text(u.unit), ...(level === 'team' ? [text(u.department)] : []), kpiLabel(session.policy, kpi, lang), number(k.actual), number(k.target),
            k.on_target === null || k.on_target === undefined ? L('cannotJudge') : L(k.on_target ? 'yes' : 'no'),
            judged, judged === null ? null : judged + (number(k.unknown) ?? 0), number(k.weight), number(u.composite), number(u.rank)],
          formats: [undefined, ...(level === 'team' ? [undefined] : []), undefined, f, f],
        });
      }
    }
    addSheet(wb, L(level === 'department' ? 'sheetDepartments' : 'sheetTeams'), [
      { header: levelLabel(level, lang), width: 18 }, ...(level === 'team' ? [{ header: L('department'), width: 18 }] : []),
      { header: L('kpi'), width: 26 }, { header: L('actual'), width: 10 }, { header: L('target'), width: 10 }, { header: L('onTarget'), width: 10 },
      { header: L('judged'), width: 10, format: COUNT }, { header: L('due'), width: 10, format: COUNT }, { header: L('weight'), width: 8, format: PERCENT },
      { header: L('composite'), width: 10, format: POINTS }, { header: L('rank'), width: 8 },
    ], rows);
  }

  addSheet(wb, L('sheetRanking'), [
    { header: L('level'), width: 10 }, { header: L('rank'), width: 8 }, { header: L('unit'), width: 18 }, { header: L('department'), width: 18 },
    { header: L('composite'), width: 10, format: POINTS }, { header: L('unitsRanked'), width: 10, format: COUNT },
    { header: L('kpisMissed'), width: 12, format: COUNT }, { header: L('kpisUnjudged'), width: 12, format: COUNT }, { header: L('breaches'), width: 10, format: COUNT },
  ], (['department', 'team'] as const).flatMap((level) => ranked[level].map((u) => ({
    cells: [levelLabel(level, lang), number(u.rank), text(u.unit), text(u.department), number(u.composite), number(u.units_ranked),
      number(u.kpis_missed), number(u.kpis_unjudged), number(u.breaches)],
  }))));

  // Every breach of the month, department by department (the review pages' full lists).
  const breaches: { cells: Cell[] }[] = [];
  for (const d of ranked.department) {
    for (const b of await q('unit_breaches.sql', { level: 'department', unit: String(d.unit) })) {
      breaches.push({
        cells: [text(b.complaint_id), commitmentLabel(session.policy, String(b.commitment), lang), text(d.unit), text(b.team), text(b.handler), text(b.category),
          formatLimit(b.limit_text, lang), instant(b.due_at), instant(b.done_at), statusLabel(String(b.status), lang), number(b.late_hours)],
      });
    }
  }
  addSheet(wb, L('sheetBreaches'), [
    { header: L('complaintId'), width: 16 }, { header: L('commitment'), width: 20 }, { header: L('department'), width: 16 }, { header: levelLabel('team', lang), width: 16 },
    { header: L('handler'), width: 12 }, { header: L('category'), width: 14 }, { header: L('limit'), width: 8 },
    { header: L('dueAt'), width: 17, format: INSTANT }, { header: L('doneAt'), width: 17, format: INSTANT }, { header: L('status'), width: 10 },
    { header: L('lateHours'), width: 10, format: '#,##0.0' },
  ], breaches);

  if (session.policy.scorecard.scheme === 'points') await addPointsSheet(wb, session, lang, q);
  await addAppealsSheet(wb, session, lang, q);

  const path = join(opts.dir, workbookName(opts.month));
  writeFileAtomic(path, new Uint8Array(await wb.xlsx.writeBuffer()));
  return path;
}

// The workbook's Points (计分) and Appeals (申诉) sheets (pledge run --xlsx, issue 20). Their
// figures come from the report queries the review pages read (queries/report/points_ranking.sql,
// unit_points.sql, month_appeals.sql): nothing is worked out here but the split of each line's
// points into earned and lost. Points is written only under scorecard.scheme: points (under
// the weighted scheme there is no score to show, and an empty sheet would suggest one).
// Appeals is written always, with its header row even when the month has none: an empty sheet
// says "no appeal this month", where a missing one would leave the reader wondering whether
// appeals were left out (the assessment pack says so in one line for the same reason).
import type ExcelJSType from 'exceljs';
import type { Row } from '../warehouse/db.ts';
import type { Session } from '../models/session.ts';
import {
  appealDecisionLabel, appealStatusLabel, commitmentLabel, isRate, levelLabel, localize, pointsHowWords, pointsListLabel, statusLabel, UI, type Lang,
} from '../reports/labels.ts';
import { addSheet, INSTANT, instant, number, PERCENT, POINTS, text, type Cell } from './workbook-cells.ts';

type Query = (file: string, params: Record<string, string>) => Promise<Row[]>;

export async function addPointsSheet(wb: ExcelJSType.Workbook, session: Session, lang: Lang, q: Query): Promise<void> {
  const L = (k: keyof typeof UI) => localize(UI[k], lang);
  const rows: { cells: Cell[]; formats?: (string | undefined)[] }[] = [];
  for (const level of ['department', 'team'] as const) {
    for (const u of await q('points_ranking.sql', { level })) {
      for (const l of await q('unit_points.sql', { level, unit: String(u.unit) })) {
        const points = number(l.points) ?? 0;
        const kpi = l.line_kind === 'kpi';
        const score = l.line_kind === 'score';
        // A KPI earns its points and loses the rest of its full score; an item earns a bonus or loses a penalty.
        const earned = score ? points : kpi ? points : Math.max(0, points);
        const lost = score ? null : kpi ? (number(l.full_points) ?? 0) - points : Math.max(0, -points);
        const format = kpi && isRate(String(l.line)) ? PERCENT : POINTS;
        const reason = score
          ? [number(u.rank) !== null ? `${L('rank')} ${u.rank}` : '', l.is_capped ? localize({ zh: '已封顶', en: 'capped' }, lang) : '', pointsListLabel(u.on_red_list ? 'red' : u.on_black_list ? 'black' : null, lang)].filter(Boolean).join(' · ')
          : pointsHowWords({ ...l, how: howOf(l) }, lang);
        rows.push({
          cells: [levelLabel(level, lang), text(u.unit), text(u.department), score ? L('pointsTotal') : text(lang === 'zh' ? l.label_zh : l.label_en),
            number(l.actual), number(l.line_value), number(l.full_points), earned, lost, reason],
          formats: [undefined, undefined, undefined, undefined, format, format],
        });
      }
    }
  }
  addSheet(wb, L('sheetPoints'), [
    { header: L('level'), width: 10 }, { header: L('unit'), width: 18 }, { header: L('department'), width: 18 }, { header: L('pointsLine'), width: 24 },
    { header: L('actual'), width: 10 }, { header: L('lineValue'), width: 10 }, { header: L('fullPoints'), width: 10, format: POINTS },
    { header: L('pointsEarned'), width: 10, format: POINTS }, { header: L('pointsLost'), width: 10, format: POINTS }, { header: L('reason'), width: 40 },
  ], rows);
}

/** unit_points.sql says how a line went as flags; the labels speak kpi_points_lines_monthly's `how`. */
function howOf(l: Row): string {
  for (const how of ['full', 'deducted', 'floor', 'unjudged', 'bonus', 'penalty', 'capped', 'none']) if (l[`is_${how}`]) return how;
  return '';
}

export async function addAppealsSheet(wb: ExcelJSType.Workbook, session: Session, lang: Lang, q: Query): Promise<void> {
  const L = (k: keyof typeof UI) => localize(UI[k], lang);
  const rows = (await q('month_appeals.sql', {})).map((a) => ({
    cells: [text(a.complaint_id), a.commitment === null ? L('wholeComplaint') : commitmentLabel(session.policy, String(a.commitment), lang),
      text(a.department), text(a.team), a.verdict_status === null ? null : statusLabel(String(a.verdict_status), lang),
      instant(a.filed_at), instant(a.decided_at), instant(a.window_ends_at), appealDecisionLabel(String(a.decision), lang),
      appealStatusLabel(String(a.status), lang)] as Cell[],
  }));
  addSheet(wb, L('sheetAppeals'), [
    { header: L('complaintId'), width: 16 }, { header: L('appealItem'), width: 18 }, { header: L('department'), width: 16 },
    { header: levelLabel('team', lang), width: 16 }, { header: L('verdict'), width: 10 },
    { header: L('filedAt'), width: 17, format: INSTANT }, { header: L('decidedAt'), width: 17, format: INSTANT },
    { header: L('windowEnds'), width: 17, format: INSTANT }, { header: L('decision'), width: 10 }, { header: L('status'), width: 28 },
  ], rows);
}

// The table `pledge run` ends with: the month's headline KPIs against their targets, read
// from the same query the dashboard's tiles are drawn from (queries/report/dashboard_tiles.sql),
// so the terminal and the page never disagree and no KPI rule is written here.
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { kpiLabel, localize, UI, type Lang } from '../reports/labels.ts';
import { formatKpiValue, formatNumber } from '../reports/format.ts';

/** Columns a terminal gives a character: two for CJK and full-width forms, one otherwise. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (text: string, width: number, right = false) => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/** The verdict of one tile in words: on target yes / no, or cannot be judged (on_target null). */
export function verdict(onTarget: unknown, lang: Lang): string {
  if (onTarget === null || onTarget === undefined) return localize(UI.cannotJudge, lang);
  return localize(onTarget ? UI.yes : UI.no, lang);
}

/** The rows of dashboard_tiles as lines of an aligned text table, header first. */
export function kpiTable(tiles: Row[], policy: Policy, lang: Lang): string[] {
  const header = [localize(UI.kpi, lang), localize(UI.actual, lang), localize(UI.target, lang), localize(UI.onTarget, lang), `${localize(UI.judged, lang)}/${localize(UI.due, lang)}`];
  const body = tiles.map((t) => {
    const kpi = String(t.kpi);
    const judged = Number(t.denominator ?? 0);
    const due = judged + Number(t.unknown ?? 0);
    return [kpiLabel(policy, kpi, lang), formatKpiValue(kpi, t.actual, lang), formatKpiValue(kpi, t.target, lang), verdict(t.on_target, lang),
      `${formatNumber(judged, lang)}/${formatNumber(due, lang)}`];
  });
  const rows = [header, ...body];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  const numeric = [false, true, true, false, false];
  return rows.map((r) => r.map((c, i) => pad(c, widths[i], numeric[i])).join('  ').trimEnd());
}

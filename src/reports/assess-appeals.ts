// The assessment pack's appeal section (申诉) and, under the points scheme, its points section:
// every appeal of the quarter with what became of it and the figures it changed, and every
// unit's points per month with how each line was earned or lost. They present the rows of
// queries/assess/assess_appeals.sql, assess_appeal_effects.sql, assess_points.sql and
// assess_points_lines.sql (the pack's evidence files); nothing is worked out here.
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { escapeHtml as e } from './html.ts';
import {
  type Lang, localize, kpiLabel, isRate, commitmentLabel, levelLabel, statusLabel, appealStatusLabel, appealDecisionLabel,
  pointsHowWords, pointsListLabel, UI,
} from './labels.ts';
import { formatNumber, formatPercent, formatInstant, durationWords } from './format.ts';
import { parseDuration } from '../warehouse/policy.ts';

export interface AppealRows {
  appeals: Row[];
  effects: Row[];
  /** Only under the points scheme (the pack then writes evidence/points.csv and points_lines.csv). */
  points?: Row[];
  lines?: Row[];
}

const W = {
  appeals: { zh: '申诉', en: 'Appeals' },
  none: { zh: '本季度无申诉。', en: 'No appeal was filed about this quarter.' },
  lead: {
    zh: '本季度判定所涉及或在本季度提出的每一项申诉（共 {n} 项，见 {file}）。在申诉期限（{window}，自判定所在月结束后起算）内提出并通过的申诉，把所申诉的承诺（或整张工单）从单位的指标中剔除；原判定仍保留在 commitment_status 与 breach_list 中。超过期限、被驳回或待审核的申诉不改变任何数字。',
    en: 'Every appeal about a verdict of the quarter or filed in it ({n}, in {file}). One approved and filed within the window ({window} after the end of the verdict\'s month) takes what it names (a commitment, or the whole complaint) out of the unit\'s figures; the verdict as it was stays in commitment_status and breach_list. One filed late, rejected or pending changes no figure.',
  },
  effect: { zh: '对指标的影响', en: 'Effect on the figures' },
  noEffect: { zh: '未改变任何数字', en: 'changed no figure' },
  effectsTitle: { zh: '申诉改变的数字', en: 'Figures the appeals changed' },
  effectsLead: {
    zh: '不计申诉（按同一 SQL 重新计算、不采纳任何申诉）与实际公布的数字，按月、按季度，分全公司、部门、班组（全部见 {file}）。',
    en: 'Each figure with no appeal applied (worked out again by the same SQL, no appeal applied) and as reported, per month and for the quarter, for the organisation, each department and each team (all in {file}).',
  },
  unappealed: { zh: '不计申诉', en: 'No appeal applied' },
  reported: { zh: '实际', en: 'As reported' },
  period: { zh: '期间', en: 'Period' },
  shown: { zh: '页面显示前 {shown} 行，共 {total} 行。', en: 'The first {shown} of {total} rows are shown.' },
  points: { zh: '考核得分', en: 'Points' },
  pointsLead: {
    zh: '考核计分：每项指标满分，低于考核线按规则扣分，不低于保底分；加减分项按事件或发现计数；合计加基础分 {base}，不超过所在类别的满分（见 {file}，各项明细见 {lines}）。',
    en: 'Points scheme: each KPI its full score, less points on the wrong side of its line, never below its floor; bonus and penalty items counted from events or findings; added to the base of {base}, at most the class maximum ({file}; every line in {lines}).',
  },
  lines: { zh: '得分明细', en: 'How each was earned or lost' },
  kpiPoints: { zh: '指标得分', en: 'KPI points' },
  bonus: { zh: '加分', en: 'Bonus' },
  penalty: { zh: '减分', en: 'Penalty' },
  capped: { zh: '已封顶', en: 'capped' },
} satisfies Record<string, { zh: string; en: string }>;

const words = (t: { zh: string; en: string }, lang: Lang) => e(localize(t, lang));
const code = (file: string) => `<code>${e(file)}</code>`;

/** "complaint:commitment", or the complaint alone for a whole complaint: how assess_appeal_effects names it. */
const appealKey = (r: Row) => `${r.complaint_id}${r.commitment === null ? '' : `:${r.commitment}`}`;

/** A figure as counts and value: "2/4 (50.0%)"; a score KPI by its value alone. */
function figure(kpi: string, numerator: unknown, denominator: unknown, actual: unknown, lang: Lang): string {
  if (!isRate(kpi)) return `${formatNumber(actual, lang, 1)} (n = ${formatNumber(denominator, lang)})`;
  return `${formatNumber(numerator, lang)}/${formatNumber(denominator, lang)} (${formatPercent(actual, lang)})`;
}

const unitWords = (r: Row, lang: Lang) => (r.level === 'organisation' ? localize(UI.organisation, lang) : String(r.unit));

function change(r: Row, lang: Lang): string {
  const kpi = String(r.kpi);
  return `${figure(kpi, r.numerator_unappealed, r.denominator_unappealed, r.actual_unappealed, lang)} → ${figure(kpi, r.numerator, r.denominator, r.actual, lang)}`;
}

export function appealsSection(policy: Policy, rows: AppealRows, lang: Lang): string {
  const head = `<section class="panel" id="appeals"><h2>${words(W.appeals, lang)}</h2>`;
  // Said in one line when there is none, so that an assessor does not wonder whether appeals were left out.
  if (!rows.appeals.length) return `${head}\n<p id="no-appeals">${words(W.none, lang)}</p>\n</section>`;
  const window = parseDuration(policy.appeals.window);
  const lead = e(localize(W.lead, lang)).replace('{n}', formatNumber(rows.appeals.length, lang))
    .replace('{file}', code('evidence/appeals.csv')).replace('{window}', e(window ? durationWords(window, lang) : policy.appeals.window));
  const L = (k: keyof typeof UI) => words(UI[k], lang);
  const body = rows.appeals.map((a) => {
    const key = appealKey(a);
    // On this table: the month figures of the appeal's own unit (its team, else its department); every level and the quarter below.
    const mine = rows.effects.filter((r) => r.period_kind === 'month' && String(r.appeals ?? '').split('; ').includes(key)
      && r.level === (a.team === null ? 'department' : 'team'));
    const effect = a.status !== 'applied' ? words(W.noEffect, lang)
      : mine.map((r) => `<span class="effect" data-kpi="${e(r.kpi)}">${e(`${unitWords(r, lang)} · ${r.period} · ${kpiLabel(policy, String(r.kpi), lang)}${lang === 'zh' ? '：' : ': '}${change(r, lang)}`)}</span>`).join('<br>') || words(W.noEffect, lang);
    return `<tr data-complaint="${e(a.complaint_id)}" data-commitment="${e(a.commitment ?? '')}" data-status="${e(a.status)}">
<td>${e(a.complaint_id)}</td><td>${e(a.commitment === null ? localize(UI.wholeComplaint, lang) : commitmentLabel(policy, String(a.commitment), lang))}</td>
<td>${e(a.department ?? '–')}</td><td>${e(a.team ?? '–')}</td><td>${e(a.verdict_status === null ? '–' : statusLabel(String(a.verdict_status), lang))}</td>
<td class="instant">${e(formatInstant(a.filed_at))}</td><td class="instant">${e(formatInstant(a.decided_at))}</td><td class="instant">${e(formatInstant(a.window_ends_at))}</td>
<td>${e(appealDecisionLabel(String(a.decision), lang))}</td><td class="status">${e(appealStatusLabel(String(a.status), lang))}</td><td class="effect">${effect}</td></tr>`;
  }).join('\n');
  return `${head}
<p>${lead}</p>
<div class="table-wrap"><table id="appeals-table"><thead><tr><th>${L('complaintId')}</th><th>${L('appealItem')}</th><th>${L('department')}</th><th>${e(levelLabel('team', lang))}</th>
<th>${L('verdict')}</th><th>${L('filedAt')}</th><th>${L('decidedAt')}</th><th>${L('windowEnds')}</th><th>${L('decision')}</th><th>${L('status')}</th><th>${words(W.effect, lang)}</th></tr></thead><tbody>
${body}
</tbody></table></div>
${effectsTable(policy, rows.effects, lang)}
</section>`;
}

function effectsTable(policy: Policy, effects: Row[], lang: Lang): string {
  if (!effects.length) return '';
  const limit = policy.reports.list_rows;
  const rows = effects.slice(0, limit).map((r) => `<tr data-period="${e(r.period)}" data-level="${e(r.level)}" data-unit="${e(r.unit ?? '')}" data-kpi="${e(r.kpi)}">
<td class="period">${e(r.period)}</td><td>${e(levelLabel(String(r.level), lang))}</td><td>${e(unitWords(r, lang))}</td><td>${e(kpiLabel(policy, String(r.kpi), lang))}</td>
<td class="num">${e(figure(String(r.kpi), r.numerator_unappealed, r.denominator_unappealed, r.actual_unappealed, lang))}</td>
<td class="num">${e(figure(String(r.kpi), r.numerator, r.denominator, r.actual, lang))}</td><td>${e(r.appeals ?? '–')}</td></tr>`).join('\n');
  const more = effects.length > limit
    ? `<p class="note">${e(localize(W.shown, lang)).replace('{shown}', formatNumber(limit, lang)).replace('{total}', formatNumber(effects.length, lang))}</p>` : '';
  return `<h3>${words(W.effectsTitle, lang)}</h3>
<p class="note">${e(localize(W.effectsLead, lang)).replace('{file}', code('evidence/appeal_effects.csv'))}</p>
<div class="table-wrap"><table id="appeal-effects-table"><thead><tr><th>${words(W.period, lang)}</th><th>${words(UI.level, lang)}</th><th>${words(UI.unit, lang)}</th><th>${words(UI.kpi, lang)}</th>
<th class="num">${words(W.unappealed, lang)}</th><th class="num">${words(W.reported, lang)}</th><th>${words(W.appeals, lang)}</th></tr></thead><tbody>
${rows}
</tbody></table></div>
${more}`;
}

/** Under the points scheme: every unit's points per month, then how each line was earned or lost. */
export function pointsSection(policy: Policy, rows: AppealRows, lang: Lang): string {
  if (!rows.points || !rows.lines) return '';
  const L = (k: keyof typeof UI) => words(UI[k], lang);
  const n = (v: unknown) => formatNumber(v, lang, 1);
  const lead = e(localize(W.pointsLead, lang)).replace('{base}', n(policy.scorecard.points.base))
    .replace('{file}', code('evidence/points.csv')).replace('{lines}', code('evidence/points_lines.csv'));
  const scores = rows.points.map((r) => `<tr data-period="${e(r.period)}" data-level="${e(r.level)}" data-unit="${e(r.unit)}" data-score="${r.score ?? ''}">
<td class="period">${e(r.period)}</td><td>${e(levelLabel(String(r.level), lang))}</td><td class="num">${e(r.rank)}/${e(r.units_ranked)}</td><td>${e(r.unit)}</td>
<td class="num">${n(r.score)}</td><td class="num">${n(r.kpi_points)}</td><td class="num">${n(r.bonus)}</td><td class="num">${n(r.penalty)}</td>
<td class="num">${r.class_max === null ? '–' : `${n(r.class_max)} (${e(r.unit_class)}${r.capped ? `, ${words(W.capped, lang)}` : ''})`}</td><td>${e(pointsListLabel(r.list, lang))}</td></tr>`).join('\n');
  const value = (r: Row, v: unknown) => (r.line_kind !== 'kpi' || v === null ? '–' : isRate(String(r.line)) ? formatPercent(v, lang) : n(v));
  const lines = rows.lines.map((r) => `<tr data-period="${e(r.period)}" data-level="${e(r.level)}" data-unit="${e(r.unit)}" data-line="${e(r.line)}" data-points="${r.points ?? ''}">
<td class="period">${e(r.period)}</td><td>${e(r.unit)}</td><td>${e(lang === 'zh' ? r.label_zh : r.label_en)}</td><td class="num">${value(r, r.actual)}</td><td class="num">${value(r, r.line_value)}</td>
<td class="num">${r.full_points === null ? '–' : n(r.full_points)}</td><td>${e(pointsHowWords(r, lang))}</td><td class="num">${n(r.points)}</td></tr>`).join('\n');
  return `<section class="panel" id="points"><h2>${words(W.points, lang)}</h2>
<p>${lead}</p>
<div class="table-wrap"><table id="points-table"><thead><tr><th>${words(W.period, lang)}</th><th>${L('level')}</th><th class="num">${L('rank')}</th><th>${L('unit')}</th>
<th class="num">${L('score')}</th><th class="num">${words(W.kpiPoints, lang)}</th><th class="num">${words(W.bonus, lang)}</th><th class="num">${words(W.penalty, lang)}</th>
<th class="num">${L('classMax')}</th><th>${L('pointsList')}</th></tr></thead><tbody>
${scores}
</tbody></table></div>
<h3>${words(W.lines, lang)}</h3>
<div class="table-wrap"><table id="points-lines-table"><thead><tr><th>${words(W.period, lang)}</th><th>${L('unit')}</th><th>${L('pointsLine')}</th><th class="num">${L('actual')}</th>
<th class="num">${L('lineValue')}</th><th class="num">${L('fullPoints')}</th><th>${L('reason')}</th><th class="num">${L('pointsEarned')}</th></tr></thead><tbody>
${lines}
</tbody></table></div>
</section>`;
}

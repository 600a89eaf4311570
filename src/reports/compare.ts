// The policy what-if page: the month's KPIs under the policy in force and
// under another policy, per KPI and department, and the complaints whose
// status changes. Written beside the dashboard by `pledge run --compare-policy`,
// in the run's language: KPIs by their catalogue name, a change coloured by
// whether it is better (the KPI's direction), shares' changes in percentage points.
import { basename, join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { escapeHtml, page } from './html.ts';
import { formatDelta, formatInstant, formatKpiValue, formatLimit } from './format.ts';
import { type Lang, localize, kpiLabel, isRate, statusLabel, commitmentLabel, UI } from './labels.ts';
import { kpiEntry, policyKpis } from '../warehouse/kpi-catalogue.ts';
import { writeFileAtomic } from '../core/files.ts';

/** One month under two policies, as the what-if (apps/compare-policy.ts) computes it and this page shows it. */
export interface Comparison {
  month: string;
  current: string;
  other: string;
  asOf: string;
  kpis: Row[];
  statusChanges: Row[];
  /** The policy in force: its commitments name the per-commitment KPIs. */
  policy: Policy;
}

export interface ComparisonPageOptions {
  lang: Lang;
  /** The month's dashboard, relative to the compare page (it is written beside it). */
  dashboardHref?: string;
}

const WORDS = {
  vs: { zh: '对比', en: 'vs' },
  current: { zh: '现行规则', en: 'Current policy' },
  other: { zh: '拟议规则', en: 'Proposed policy' },
  kpis: { zh: '各部门指标', en: 'KPIs per department' },
  department: { zh: '部门', en: 'Department' },
  difference: { zh: '差异', en: 'Difference' },
  better: { zh: '绿色：拟议规则下更好；红色：更差（按指标方向）。', en: 'Green: better under the proposed policy; red: worse (by the KPI\'s direction).' },
  changes: { zh: '状态改变的投诉', en: 'Complaints whose status changes' },
  none: { zh: '没有投诉的状态改变。', en: 'No complaint changes status.' },
  complaint: { zh: '投诉编号', en: 'Complaint' },
  commitment: { zh: '承诺', en: 'Commitment' },
  limitDue: { zh: '（时限，到期）', en: ' (limit, due)' },
} satisfies Record<string, { zh: string; en: string }>;

/** The page's file name, from the other policy's file name: the dashboard links to it before it is written. */
export function comparisonPageName(other: string): string {
  return `compare-${basename(other).replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9_-]/g, '_')}.html`;
}

/** better / worse / same: the difference read in the KPI's direction (at_most: lower is better). */
function verdict(kpi: string, difference: unknown): 'better' | 'worse' | 'same' | 'none' {
  if (difference === null || difference === undefined) return 'none';
  // As shown (one decimal): a difference that rounds to ±0.0 is no change.
  const shown = Math.round(Number(difference) * (isRate(kpi) ? 1000 : 10));
  if (shown === 0) return 'same';
  const up = shown > 0;
  return (kpiEntry(kpi)?.direction === 'at_most' ? !up : up) ? 'better' : 'worse';
}

function kpiTable(rows: Row[], policy: Policy, lang: Lang): string {
  const l = (t: { zh: string; en: string }) => escapeHtml(localize(t, lang));
  // The catalogue's order (the tiles'), department by department as the SQL gives them.
  const order = new Map(policyKpis(policy).map((k) => [k.key, k.order]));
  const departments = [...new Set(rows.map((r) => r.department ?? null))];
  const sorted = [...rows].sort((a, b) => departments.indexOf(a.department ?? null) - departments.indexOf(b.department ?? null)
    || (order.get(String(a.kpi)) ?? 1e9) - (order.get(String(b.kpi)) ?? 1e9));
  const body = sorted.map((r) => {
    const kpi = String(r.kpi);
    const v = verdict(kpi, r.difference);
    const cls = v === 'better' ? ' green' : v === 'worse' ? ' red' : '';
    return `<tr data-kpi="${escapeHtml(kpi)}" data-department="${escapeHtml(r.department ?? '')}" data-change="${v}">
<td>${escapeHtml(kpiLabel(policy, kpi, lang))}</td><td>${escapeHtml(r.department ?? localize(UI.organisation, lang))}</td>
<td class="num">${formatKpiValue(kpi, r.current_value, lang)}</td><td class="num">${formatKpiValue(kpi, r.other_value, lang)}</td>
<td class="num${cls}" data-value="${escapeHtml(r.difference ?? '')}">${formatDelta(r.difference, 0, isRate(kpi), lang)}</td></tr>`;
  }).join('\n');
  return `<p class="note">${l(WORDS.better)}</p><div class="table-wrap"><table><thead><tr><th>${l(UI.kpi)}</th><th>${l(WORDS.department)}</th><th class="num">${l(WORDS.current)}</th><th class="num">${l(WORDS.other)}</th><th class="num">${l(WORDS.difference)}</th></tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function statusTable(rows: Row[], policy: Policy, lang: Lang): string {
  const l = (t: { zh: string; en: string }) => escapeHtml(localize(t, lang));
  if (!rows.length) return `<p class="note">${l(WORDS.none)}</p>`;
  const state = (status: unknown, limit: unknown, due: unknown) =>
    `${escapeHtml(status === null || status === undefined ? '—' : statusLabel(String(status), lang))} (${escapeHtml(limit === null || limit === undefined ? '—' : formatLimit(limit, lang))}, ${escapeHtml(formatInstant(due))})`;
  const body = rows.map((r) => `<tr data-complaint="${escapeHtml(r.complaint_id)}" data-commitment="${escapeHtml(r.commitment)}">
<td>${escapeHtml(r.complaint_id)}</td><td>${escapeHtml(commitmentLabel(policy, String(r.commitment), lang))}</td><td>${escapeHtml(r.department)}</td>
<td>${state(r.current_status, r.current_limit, r.current_due_at)}</td>
<td>${state(r.other_status, r.other_limit, r.other_due_at)}</td></tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr><th>${l(WORDS.complaint)}</th><th>${l(WORDS.commitment)}</th><th>${l(WORDS.department)}</th><th>${l(WORDS.current)}${l(WORDS.limitDue)}</th><th>${l(WORDS.other)}${l(WORDS.limitDue)}</th></tr></thead><tbody>
${body}
</tbody></table></div>`;
}

/** Written into `dir`, the month's folder (pledge run passes the folder its set is being written into). */
export function writeComparisonPage(c: Comparison, outDir: string, dir = join(outDir, c.month), opts: ComparisonPageOptions = { lang: 'zh', dashboardHref: 'index.html' }): string {
  const { lang } = opts;
  const l = (t: { zh: string; en: string }) => escapeHtml(localize(t, lang));
  const title = `${localize(UI.whatIf, lang)} · ${c.month} · ${basename(c.other)} ${localize(WORDS.vs, lang)} ${basename(c.current)}`;
  const back = opts.dashboardHref ? `<p class="crumbs back-link"><a href="${escapeHtml(opts.dashboardHref)}" data-back="dashboard">← ${l(UI.backToDashboard)}</a></p>` : '';
  const body = `<header>${back}<h1>${escapeHtml(title)}</h1>
<p>${l(UI.asOf)} ${escapeHtml(c.asOf.slice(0, 16))} · ${l(WORDS.current)}: ${escapeHtml(c.current)} · ${l(WORDS.other)}: ${escapeHtml(c.other)}</p></header>
<main>
<section class="panel" id="panel-kpis"><h2>${l(WORDS.kpis)}</h2>${kpiTable(c.kpis, c.policy, lang)}</section>
<section class="panel" id="panel-status-changes"><h2>${l(WORDS.changes)} (${c.statusChanges.length})</h2>${statusTable(c.statusChanges, c.policy, lang)}</section>
</main>
<footer><p class="note">${l(UI.generated)}</p></footer>`;
  const path = join(dir, comparisonPageName(c.other));
  const running = `${title} · ${localize(UI.asOf, lang)} ${c.asOf.slice(0, 16)} · ${localize(WORDS.current, lang)}: ${c.current}`;
  writeFileAtomic(path, page({ title, lang, body, charts: false, running }));
  return path;
}

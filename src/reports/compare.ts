// The policy what-if page: the month's KPIs under the policy in force and
// under another policy, per KPI and department, and the complaints whose
// status changes. Written beside the dashboard by `pledge run --compare-policy`.
import { basename, join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import { escapeHtml, page } from './html.ts';
import { formatInstant } from './format.ts';
import { kpiUnit } from '../warehouse/kpi-catalogue.ts';
import { writeFileAtomic } from '../core/files.ts';

/** One month under two policies, as the what-if (apps/compare-policy.ts) computes it and this page shows it. */
export interface Comparison {
  month: string;
  current: string;
  other: string;
  asOf: string;
  kpis: Row[];
  statusChanges: Row[];
}

const isPoints = (kpi: unknown) => kpiUnit(String(kpi)) === 'points';

function value(kpi: unknown, v: unknown, signed = false): string {
  if (v === null || v === undefined) return '—';
  const n = Number(v);
  const text = isPoints(kpi) ? n.toFixed(1) : `${(n * 100).toFixed(1)}%`;
  return signed && n > 0 ? `+${text}` : text;
}

function kpiTable(rows: Row[]): string {
  const body = rows.map((r) => `<tr data-kpi="${escapeHtml(r.kpi)}" data-department="${escapeHtml(r.department ?? '')}">
<td>${escapeHtml(r.kpi)}</td><td>${escapeHtml(r.department ?? '(all)')}</td>
<td class="num">${value(r.kpi, r.current_value)}</td><td class="num">${value(r.kpi, r.other_value)}</td>
<td class="num${r.difference && Number(r.difference) !== 0 ? ' red' : ''}">${value(r.kpi, r.difference, true)}</td></tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr><th>KPI</th><th>Department</th><th class="num">Current</th><th class="num">Other</th><th class="num">Difference</th></tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function statusTable(rows: Row[]): string {
  if (!rows.length) return '<p class="note">No complaint changes status.</p>';
  const body = rows.map((r) => `<tr data-complaint="${escapeHtml(r.complaint_id)}" data-commitment="${escapeHtml(r.commitment)}">
<td>${escapeHtml(r.complaint_id)}</td><td>${escapeHtml(r.commitment)}</td><td>${escapeHtml(r.department)}</td>
<td>${escapeHtml(r.current_status ?? '—')} (${escapeHtml(r.current_limit ?? '—')}, ${escapeHtml(formatInstant(r.current_due_at))})</td>
<td>${escapeHtml(r.other_status ?? '—')} (${escapeHtml(r.other_limit ?? '—')}, ${escapeHtml(formatInstant(r.other_due_at))})</td></tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr><th>Complaint</th><th>Commitment</th><th>Department</th><th>Current (limit, due)</th><th>Other (limit, due)</th></tr></thead><tbody>
${body}
</tbody></table></div>`;
}

/** Written into `dir`, the month's folder (pledge run passes the folder its set is being written into). */
export function writeComparisonPage(c: Comparison, outDir: string, dir = join(outDir, c.month)): string {
  const title = `Policy what-if · ${c.month} · ${basename(c.other)} vs ${basename(c.current)}`;
  const body = `<header><h1>${escapeHtml(title)}</h1>
<p>As of ${escapeHtml(c.asOf.slice(0, 16))} · current: ${escapeHtml(c.current)} · other: ${escapeHtml(c.other)}</p></header>
<main>
<section class="panel" id="panel-kpis"><h2>KPIs per department</h2>${kpiTable(c.kpis)}</section>
<section class="panel" id="panel-status-changes"><h2>Complaints whose status changes (${c.statusChanges.length})</h2>${statusTable(c.statusChanges)}</section>
</main>`;
  const path = join(dir, `compare-${basename(c.other).replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9_-]/g, '_')}.html`);
  writeFileAtomic(path, page({ title, lang: 'en', body, charts: false }));
  return path;
}

// <out>/index.html: every month run under one reports folder, its status (closed or
// provisional), its headline KPIs and links to the pages it has. Each run leaves, inside
// its month's published set, month.json (what it computed: the tiles' figures, the pages
// it wrote); the index is made from those and from the folders carrying the set marker
// (src/outputs/publish.ts), so a folder Pledge did not write, or a half-written one, is
// never listed. Rewritten whole after every run, atomically: a reader sees the old index
// or the new one. The status comes from the run that writes the index (kpi_month_close:
// a month closed by an ingest since its own run shows as closed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { writeFileAtomic } from '../core/files.ts';
import { PledgeError } from '../core/errors.ts';
import { carriesMarker } from '../outputs/publish.ts';
import { escapeHtml, page } from '../reports/html.ts';
import { kpiLabel, levelLabel, localize, UI, type Lang } from '../reports/labels.ts';
import { formatKpiValue } from '../reports/format.ts';

export const MONTH_SUMMARY = 'month.json';
export const INDEX_FILE = 'index.html';
/** Carried by the index Pledge writes, so that it replaces only its own. */
const INDEX_MARK = 'data-pledge-month-index="1"';

export interface MonthSummary {
  month: string;
  as_of: string;
  /** Closed (its figures published) when the run wrote it; null: the month has no data. */
  closed: boolean | null;
  kpis: { kpi: string; label: { zh: string; en: string }; actual: number | null; target: number | null; on_target: boolean | null }[];
  pages: { dashboard: string; reviews: { level: string; unit: string; path: string }[]; compare: string[]; pdfs: string[]; workbook?: string };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Writes month.json into the month's set, from the tiles the run read (queries/report/dashboard_tiles.sql). */
export function writeMonthSummary(dir: string, s: { month: string; asOf: string; closed: boolean | null; tiles: Row[]; policy: Policy; pages: MonthSummary['pages'] }): void {
  const summary: MonthSummary = {
    month: s.month, as_of: s.asOf, closed: s.closed,
    kpis: s.tiles.map((t) => ({
      kpi: String(t.kpi), label: { zh: kpiLabel(s.policy, String(t.kpi), 'zh'), en: kpiLabel(s.policy, String(t.kpi), 'en') },
      actual: num(t.actual), target: num(t.target), on_target: t.on_target === null || t.on_target === undefined ? null : Boolean(t.on_target),
    })),
    pages: s.pages,
  };
  writeFileAtomic(join(dir, MONTH_SUMMARY), JSON.stringify(summary, null, 2) + '\n');
}

function readSummary(dir: string): MonthSummary | undefined {
  try {
    const s = JSON.parse(readFileSync(join(dir, MONTH_SUMMARY), 'utf8')) as MonthSummary;
    return typeof s?.month === 'string' && Array.isArray(s.kpis) && s.pages ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A relative link inside the reports folder: only names Pledge writes (no scheme, no "..", no leading "/"). */
const safeLink = (href: string) => /^[A-Za-z0-9_.\/-]+$/.test(href) && !/(^|\/)\.\.(\/|$)/.test(href) && !href.startsWith('/');
const link = (href: string, text: string) => (safeLink(href) ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : '');

const quarterOf = (month: string) => `${month.slice(0, 4)}Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

/**
 * Rewrites <out>/index.html from every month set under `out`. `closed` holds the months'
 * states as the writing run reads them (kpi_month_close); a month it does not know keeps the
 * state its own run recorded. Returns the index's path.
 */
export function writeMonthIndex(out: string, opts: { lang: Lang; closed: Record<string, boolean> }): string {
  const { lang } = opts;
  const entries = existsSync(out) ? readdirSync(out, { withFileTypes: true }) : [];
  const months = entries.filter((e) => e.isDirectory() && /^\d{4}-(0[1-9]|1[0-2])$/.test(e.name) && carriesMarker(join(out, e.name), 'report-month'))
    .map((e) => ({ month: e.name, summary: readSummary(join(out, e.name)) }))
    .sort((a, b) => b.month.localeCompare(a.month));
  // Assessment packs (pledge assess --out <out>/assess-<quarter>) are listed with the months of their quarter.
  const packs = entries.filter((e) => e.isDirectory() && /^assess-\d{4}Q[1-4]$/.test(e.name) && existsSync(join(out, e.name, 'manifest.json')))
    .map((e) => e.name);
  // The KPI columns: the newest month's tiles, in their order.
  const columns = months.find((m) => m.summary)?.summary?.kpis.map((k) => ({ kpi: k.kpi, label: k.label[lang] })) ?? [];
  const head = [localize(UI.month, lang), localize(UI.status, lang), ...columns.map((c) => c.label), localize(UI.pages, lang)];
  const rows = months.map(({ month, summary }) => {
    const closed = opts.closed[month] ?? summary?.closed ?? null;
    const status = closed ? localize(UI.monthClosed, lang) : localize(UI.monthProvisional, lang);
    const cells = columns.map(({ kpi }) => {
      const k = summary?.kpis.find((x) => x.kpi === kpi);
      if (!k || k.actual === null) return '<td class="num">–</td>';
      const cls = k.on_target === false ? ' red' : '';
      const title = `${localize(UI.target, lang)} ${formatKpiValue(kpi, k.target, lang)}`;
      return `<td class="num${cls}" data-kpi="${escapeHtml(kpi)}" title="${escapeHtml(title)}">${escapeHtml(formatKpiValue(kpi, k.actual, lang))}</td>`;
    });
    const p = summary?.pages;
    const at = (href: string) => `${month}/${href}`;
    const links = [link(at(p?.dashboard ?? INDEX_FILE), localize(UI.dashboard, lang))];
    for (const level of ['department', 'team']) {
      const pages = (p?.reviews ?? []).filter((r) => r.level === level && existsSync(join(out, month, r.path)));
      if (!pages.length) continue;
      links.push(`<details><summary>${escapeHtml(levelLabel(level, lang))} ${localize(UI.reviewPages, lang)} (${pages.length})</summary>`
        + pages.map((r) => link(at(r.path), r.unit)).join(' · ') + '</details>');
    }
    for (const c of (p?.compare ?? []).filter((f) => existsSync(join(out, month, f)))) links.push(link(at(c), `${localize(UI.comparePages, lang)}: ${c.replace(/^compare-|\.html$/g, '')}`));
    if (p?.workbook && existsSync(join(out, month, p.workbook))) links.push(link(at(p.workbook), localize(UI.workbook, lang)));
    for (const pack of packs.filter((x) => x === `assess-${quarterOf(month)}`)) links.push(link(`${pack}/index.html`, `${localize(UI.packs, lang)} ${pack.slice(7)}`));
    return `<tr data-month="${month}" data-status="${closed ? 'closed' : 'provisional'}"><td>${link(at(p?.dashboard ?? INDEX_FILE), month)}</td><td>${escapeHtml(status)}</td>${cells.join('')}`
      + `<td>${links.filter(Boolean).join('<br>')}</td></tr>`;
  });
  const title = localize(UI.monthIndexTitle, lang);
  const body = `<header><h1>${escapeHtml(title)}</h1></header>
<main>
<div class="table-wrap"><table class="month-index" ${INDEX_MARK}>
<thead><tr>${head.map((h, i) => `<th${i >= 2 && i < head.length - 1 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  const path = join(out, INDEX_FILE);
  // An index.html someone else put in the reports folder is theirs: left alone, and said so.
  if (existsSync(path) && !readFileSync(path, 'utf8').includes(INDEX_MARK)) {
    throw new PledgeError(`${path}: not a month index written by Pledge; it was left as it is (move it away to have the index of every month written there)`);
  }
  writeFileAtomic(path, page({ title, lang, body, charts: false }));
  return path;
}

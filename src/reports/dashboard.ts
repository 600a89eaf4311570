// The monthly executive dashboard: one self-contained HTML file per month.
// The first screen answers "are we keeping our promises, and if not, who owns
// the problem"; the panels below come from panels/dashboard/*.yaml.
import { join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import { openSession, type Session } from '../models/session.ts';
import { MissingParameterError, runQueryFile } from '../models/query-file.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { escapeHtml, page } from './html.ts';
import { type Lang, localize, kpiLabel, isRate, UI } from './labels.ts';
import { formatPercent, formatNumber, formatKpiValue } from './format.ts';
import { loadPanels, panelRows, renderPanel, type Panel, type PanelContext } from './panels.ts';
import { writeFileAtomic } from '../core/files.ts';
import { unitPagePath, storyPagePath } from './units.ts';
import { breachesHref, writeBreachesPage, writeStories } from './story.ts';
import { contentsBar, FILTER_SCRIPT } from './navigation.ts';
import { timed, timedSync } from '../core/timings.ts';
import { PROJECT_ROOT } from '../core/project.ts';

export const DEFAULT_PANELS_DIR = join(PROJECT_ROOT, 'panels', 'dashboard');

export interface DashboardOptions {
  month: string;          // YYYY-MM
  outDir: string;         // the month's page goes to <outDir>/<month>/index.html
  /** The folder the month's files are written into instead (pledge run: the new set being written, src/outputs/publish.ts). */
  dir?: string;
  lang: Lang;
  panelsDir?: string;
  queriesDir?: string;
  /** The month's what-if pages beside this one (pledge run --compare-policy): file name and the other policy's name. */
  comparePages?: { href: string; other: string }[];
}

export interface DashboardResult {
  path: string; panels: { id: string; query: string; rows: Row[] }[]; files: string[];
  /** The complaints whose clock stories were written (the review pages need not write them again). */
  stories: ReadonlySet<string>;
}

export async function writeDashboard(session: Session, opts: DashboardOptions): Promise<DashboardResult> {
  // Bounded lists stream their full CSV beside the page as they are read.
  const dir = opts.dir ?? join(opts.outDir, opts.month);
  // Drill-down: tiles link to breaches/index.html, breach rows to the complaints' clock stories (only those are written).
  const storiesLinked = new Set<string>();
  const ctx: PanelContext = {
    ...await panelContext(session, opts), csvDir: dir, listTotals: new Map(), csvWritten: [],
    complaintHref: (id) => storyPagePath(id), storiesLinked, breachesHref,
  };
  const outputs: PanelOutput[] = [];
  for (const panel of loadPanels(opts.panelsDir ?? DEFAULT_PANELS_DIR, session.policy)) outputs.push(await computePanel(panel, ctx));
  const path = join(dir, 'index.html');
  const html = await dashboardPage(session, opts, outputs);
  timedSync('report.write', () => writeFileAtomic(path, html));
  const breaches = await timed('report.breaches', () => writeBreachesPage(session, ctx, dir, opts.month, opts.lang));
  const stories = await timed('report.stories', () => writeStories(session, ctx.queriesDir, dir, storiesLinked, opts.month, opts.lang, opts.dir !== undefined));
  // The full lists the bounded tables link to, beside the page, and the drill-down pages.
  const files = [...ctx.csvWritten!, breaches, ...stories];
  return { path, panels: outputs.map(({ id, query, rows }) => ({ id, query, rows })), files, stories: storiesLinked };
}

/** One panel's rows and HTML: what the live preview keeps and recomputes panel by panel. */
export interface PanelOutput { id: string; query: string; rows: Row[]; html: string; firstScreen?: boolean }

export async function panelContext(session: Session, opts: DashboardOptions): Promise<PanelContext> {
  const queriesDir = opts.queriesDir ?? defaultQueriesDir();
  const { wh, policy } = session;
  const params = { month: `${opts.month}-01`, as_of: session.asOf };
  const targets = new Map((await wh.rows('select * from policy_target')).map((t) => [String(t.kpi), t]));
  return {
    wh, policy, lang: opts.lang, params, queriesDir, targets,
    unitHref: (level, unit) => unitPagePath(level, unit),
  };
}

export async function computePanel(panel: Panel, ctx: PanelContext): Promise<PanelOutput> {
  try {
    const rows = await timed(`report.query.${panel.id}`, () => panelRows(panel, ctx));
    return { id: panel.id, query: panel.query, rows, firstScreen: panel.first_screen, html: timedSync(`report.render.${panel.id}`, () => renderPanel(panel, rows, ctx)) };
  } catch (e) {
    // A panel whose line is not in this policy (parameters:) is shown as not set up, not guessed.
    if (!(e instanceof MissingParameterError)) throw e;
    process.stderr.write(`warning: panel ${panel.id} left out: ${e.message}\n`);
    const note = ctx.lang === 'zh' ? `政策文件未设置 parameters.${e.parameter}` : `parameters.${e.parameter} is not set in the policy file`;
    return {
      id: panel.id, query: panel.query, rows: [], firstScreen: panel.first_screen,
      html: `<section class="panel" id="panel-${escapeHtml(panel.id)}" data-panel="${escapeHtml(panel.id)}" data-missing-parameter="${escapeHtml(e.parameter)}">
<h2>${escapeHtml(localize(panel.title, ctx.lang))}</h2><p class="note">${escapeHtml(note)} (${escapeHtml(ctx.policy.source)})</p></section>`,
    };
  }
}

/** The whole page from the panels' HTML: the first-screen panels, the revisions of published figures, the rest. */
export async function dashboardPage(session: Session, opts: DashboardOptions, outputs: PanelOutput[]): Promise<string> {
  const firstScreen = outputs.filter((o) => o.firstScreen).map((o) => o.html);
  const rest = outputs.filter((o) => !o.firstScreen).map((o) => o.html);
  const { policy } = session;
  const closed = await timed('report.closed_month', () => closedMonth(session, opts));

  const lang = opts.lang;
  const title = `${localize(UI.dashboardTitle, lang)} · ${opts.month}`;
  const [units] = [await runQueryFile(session.wh, join(opts.queriesDir ?? defaultQueriesDir(), 'report', 'filter_units.sql'), { month: `${opts.month}-01` })];
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(policy.organisation)} · ${escapeHtml(localize(UI.asOf, lang))} ${escapeHtml(session.asOf.slice(0, 16))} (${escapeHtml(policy.timezone)}) · ${escapeHtml(localize(UI.policy, lang))}: ${escapeHtml(policy.source)}</p>
${uncoveredBanner(session.uncoveredYears, lang)}
${horizonBanner(session, lang)}
${closed.banner}
${session.wh.privacy.reveal ? `<div class="banner" data-reveal-pii="true">${escapeHtml(localize(UI.revealed, lang))}</div>` : ''}
<p class="page-links"><a href="../index.html" data-month-index>${escapeHtml(localize(UI.everyMonth, lang))}</a></p>
${(opts.comparePages ?? []).map((c) => `<p class="page-links"><a href="${escapeHtml(c.href)}" data-compare-page="${escapeHtml(c.href)}">${escapeHtml(localize(UI.whatIf, lang))}: ${escapeHtml(c.other)}</a></p>`).join('\n')}
</header>
${contentsBar(outputs.map((o) => o.html), lang, units)}
<main>
${firstScreen.join('\n')}
${closed.revisions}
${rest.join('\n')}
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  const running = `${title} · ${localize(UI.asOf, lang)} ${session.asOf.slice(0, 16)} · ${localize(UI.policy, lang)}: ${policy.source}`;
  return timedSync('report.render.page', () => page({ title, lang, body, charts: true, running, scripts: [FILTER_SCRIPT] }));
}

/** The as-of is past where the data ends: clocks due in between are unknown, and the reader must know why. */
function horizonBanner(session: Session, lang: Lang): string {
  if (!session.horizon || session.horizon >= session.asOf.slice(0, 19)) return '';
  const text = localize(UI.pastHorizon, lang).replace('{horizon}', session.horizon.slice(0, 16)).replace('{asOf}', session.asOf.slice(0, 16));
  return `<div class="banner" data-horizon="${escapeHtml(session.horizon)}">${escapeHtml(text)}</div>`;
}

function uncoveredBanner(years: number[], lang: Lang): string {
  if (!years.length) return '';
  return `<div class="banner" data-calendar-uncovered="${years.join(',')}">${escapeHtml(localize(UI.uncovered, lang))} ${years.join(', ')}</div>`;
}

// ---------------------------------------------------------------- closed months
// Whether the reporting month is closed (its figures published, src/models/close.ts) or
// provisional, what "vs last month" compares with, and the revisions of published figures:
// the month's own (this session judges it at its end) and, when the policy or the imports
// changed since it was closed, the month before's, recomputed at its own end in a second
// read-only session (only then: with neither changed it reads as published).

const CLOSE_UI = {
  closed: { zh: '本月已结账：数据按月末口径发布', en: 'Closed: the figures are published as of' },
  closedAt: { zh: '结账于', en: 'closed' },
  provisional: { zh: '临时数据：本月尚未结账', en: 'Provisional: this month is not closed' },
  closesAt: { zh: '按考核规则结账时间', en: 'it closes by the policy at' },
  open: { zh: '仍未完成的时限', en: 'of its clocks are still open (pending or overdue) and can change its figures' },
  previousPublished: { zh: '“较上月”对比的是上月已发布的数据（截至', en: '"vs last month" compares with last month as published (as of' },
  previousRecomputed: { zh: '“较上月”对比的是上月按本次口径重新计算的数据：上月尚未结账', en: '"vs last month" compares with last month recomputed at this as-of: it is not closed' },
  revisions: { zh: '已发布数据的修订', en: 'Revisions of published figures' },
  revisionsLead: { zh: '按同一截至时点重新计算后与已发布数不同的指标；已发布数不变，月度对比仍以其为准。', en: 'Figures that read differently recomputed at the instant they were published at; the published figure stands and months are compared with it.' },
  month: { zh: '月份', en: 'Month' },
  unit: { zh: '单位', en: 'Unit' },
  published: { zh: '已发布', en: 'Published' },
  recomputed: { zh: '重新计算', en: 'Recomputed' },
  difference: { zh: '差异', en: 'Difference' },
  reason: { zh: '原因', en: 'Why' },
};

async function closedMonth(session: Session, opts: DashboardOptions): Promise<{ banner: string; revisions: string }> {
  const queriesDir = opts.queriesDir ?? defaultQueriesDir();
  const { lang } = opts;
  const l = (t: { zh: string; en: string }) => escapeHtml(localize(t, lang));
  const at = (v: unknown) => escapeHtml(String(v ?? '–').slice(0, 16));
  const [state] = await runQueryFile(session.wh, join(queriesDir, 'report', 'month_status.sql'), { month: `${opts.month}-01` });
  if (!state) return { banner: '', revisions: '' };
  const open = `${formatPercent(state.open_share, lang)} (${formatNumber(state.open_clocks, lang)} / ${formatNumber(state.clocks, lang)})`;
  const status = state.closed
    ? `<div class="banner" data-month-state="closed" data-published-as-of="${escapeHtml(state.published_as_of)}">${l(CLOSE_UI.closed)} ${at(state.published_as_of)} · ${l(CLOSE_UI.closedAt)} ${at(state.closed_at)}</div>`
    : `<div class="banner" data-month-state="provisional" data-open-share="${escapeHtml(state.open_share ?? '')}">${l(CLOSE_UI.provisional)} (${l(CLOSE_UI.closesAt)} ${at(state.closes_at)}, reports.close_after: ${escapeHtml(session.policy.reports.close_after)}) · ${lang === 'zh' ? `${l(CLOSE_UI.open)} ${open}` : `${open} ${l(CLOSE_UI.open)}`}</div>`;
  const previous = state.previous_closed
    ? `<p class="note" data-previous="published">${l(CLOSE_UI.previousPublished)} ${at(state.previous_published_as_of)})</p>`
    : `<p class="note" data-previous="recomputed">${l(CLOSE_UI.previousRecomputed)}</p>`;

  const revisionsFile = join(queriesDir, 'report', 'revisions.sql');
  const rows = state.closed ? await runQueryFile(session.wh, revisionsFile, { month: `${opts.month}-01` }) : [];
  if (state.previous_may_be_revised) rows.push(...await previousRevisions(session, opts, revisionsFile));
  return { banner: status + previous, revisions: revisionTable(rows, session, lang) };
}

/** The month before's revisions, like for like: recomputed at its own end, in a session of its own. */
async function previousRevisions(session: Session, opts: DashboardOptions, file: string): Promise<Row[]> {
  const [y, m] = opts.month.split('-').map(Number);
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const other = await openSession({
    warehouse: session.wh.path, policy: session.policy.source, month: previous, queriesDir: opts.queriesDir,
    reads: 'select * from kpi_revisions', notice: () => undefined,
  });
  try {
    return await runQueryFile(other.wh, file, { month: `${previous}-01` });
  } finally {
    other.close();
  }
}

function revisionTable(rows: Row[], session: Session, lang: Lang): string {
  if (!rows.length) return '';
  const l = (t: { zh: string; en: string }) => escapeHtml(localize(t, lang));
  const th = (t: { zh: string; en: string }, num = false) => `<th${num ? ' class="num"' : ''}>${l(t)}</th>`;
  const shown = rows.slice(0, session.policy.reports.list_rows);
  const body = shown.map((r) => {
    const kpi = String(r.kpi);
    const show = (v: unknown) => formatKpiValue(kpi, v, lang);
    const diff = r.difference === null ? '–' : isRate(kpi) ? `${Number(r.difference) >= 0 ? '+' : ''}${(Number(r.difference) * 100).toFixed(1)} pp` : formatNumber(r.difference, lang, 1);
    const unit = r.unit === null ? localize(UI.organisation, lang) : String(r.unit);
    return `<tr data-month="${escapeHtml(String(r.month).slice(0, 7))}" data-level="${escapeHtml(r.level)}" data-unit="${escapeHtml(r.unit ?? '')}" data-kpi="${escapeHtml(kpi)}">`
      + `<td>${escapeHtml(String(r.month).slice(0, 7))}</td><td>${escapeHtml(unit)}</td><td>${escapeHtml(kpiLabel(session.policy, kpi, lang))}</td>`
      + `<td class="num" data-field="published_actual" data-value="${escapeHtml(r.published_actual ?? '')}">${show(r.published_actual)}</td>`
      + `<td class="num" data-field="recomputed_actual" data-value="${escapeHtml(r.recomputed_actual ?? '')}">${show(r.recomputed_actual)}</td>`
      + `<td class="num">${escapeHtml(diff)}</td><td>${escapeHtml(r.reason)}</td></tr>`;
  });
  const more = rows.length > shown.length ? `<p class="note">${shown.length} / ${rows.length} · pledge query --month … "from kpi_revisions where like_for_like"</p>` : '';
  return `<section class="panel" id="panel-revisions" data-query="report/revisions.sql" data-revisions="${rows.length}"><h2>${l(CLOSE_UI.revisions)}</h2><p class="note">${l(CLOSE_UI.revisionsLead)}</p>
<div class="table-wrap"><table class="compact"><thead><tr>${th(CLOSE_UI.month)}${th(CLOSE_UI.unit)}${th(UI.kpi)}${th(CLOSE_UI.published, true)}${th(CLOSE_UI.recomputed, true)}${th(CLOSE_UI.difference, true)}${th(CLOSE_UI.reason)}</tr></thead><tbody>
${body.join('\n')}
</tbody></table></div>${more}</section>`;
}

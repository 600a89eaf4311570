// The monthly executive dashboard: one self-contained HTML file per month.
// The first screen answers "are we keeping our promises, and if not, who owns
// the problem"; the panels below come from reports/panels/dashboard/*.yaml.
import { join } from 'node:path';
import type { Row } from '../pipelines/db.ts';
import type { Session } from '../pipelines/session.ts';
import { MissingParameterError, runQueryFile } from '../pipelines/query-file.ts';
import { defaultQueriesDir } from '../pipelines/queries.ts';
import { escapeHtml, page } from './html.ts';
import { type Lang, localize, kpiLabel, isRate, UI } from './labels.ts';
import { formatPercent, formatNumber } from './format.ts';
import { loadPanels, panelRows, renderPanel, type Panel, type PanelContext } from './panels.ts';
import { writeFileAtomic } from './write.ts';
import { unitPagePath } from './units.ts';
import { timed, timedSync } from '../pipelines/profile.ts';

export const DEFAULT_PANELS_DIR = join(import.meta.dirname, 'panels', 'dashboard');

export interface DashboardOptions {
  month: string;          // YYYY-MM
  outDir: string;         // the month's page goes to <outDir>/<month>/index.html
  lang: Lang;
  panelsDir?: string;
  queriesDir?: string;
}

export interface DashboardResult { path: string; panels: { id: string; query: string; rows: Row[] }[]; files: string[] }

export async function writeDashboard(session: Session, opts: DashboardOptions): Promise<DashboardResult> {
  // Bounded lists stream their full CSV beside the page as they are read.
  const ctx = { ...await panelContext(session, opts), csvDir: join(opts.outDir, opts.month), listTotals: new Map(), csvWritten: [] };
  const outputs: PanelOutput[] = [];
  for (const panel of loadPanels(opts.panelsDir ?? DEFAULT_PANELS_DIR)) outputs.push(await computePanel(panel, ctx));
  const path = join(opts.outDir, opts.month, 'index.html');
  const html = await dashboardPage(session, opts, outputs);
  timedSync('report.write', () => writeFileAtomic(path, html));
  // The full lists the bounded tables link to, beside the page.
  const files = ctx.csvWritten;
  return { path, panels: outputs.map(({ id, query, rows }) => ({ id, query, rows })), files };
}

/** One panel's rows and HTML: what the live preview keeps and recomputes panel by panel. */
export interface PanelOutput { id: string; query: string; rows: Row[]; html: string }

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
    return { id: panel.id, query: panel.query, rows, html: timedSync(`report.render.${panel.id}`, () => renderPanel(panel, rows, ctx)) };
  } catch (e) {
    // A panel whose line is not in this policy (parameters:) is shown as not set up, not guessed.
    if (!(e instanceof MissingParameterError)) throw e;
    process.stderr.write(`warning: panel ${panel.id} left out: ${e.message}\n`);
    const note = ctx.lang === 'zh' ? `政策文件未设置 parameters.${e.parameter}` : `parameters.${e.parameter} is not set in the policy file`;
    return {
      id: panel.id, query: panel.query, rows: [],
      html: `<section class="panel" id="panel-${escapeHtml(panel.id)}" data-panel="${escapeHtml(panel.id)}" data-missing-parameter="${escapeHtml(e.parameter)}">
<h2>${escapeHtml(localize(panel.title, ctx.lang))}</h2><p class="note">${escapeHtml(note)} (${escapeHtml(ctx.policy.source)})</p></section>`,
    };
  }
}

/** The whole page from the panels' HTML (the red-owners summary is recomputed each time: it is small). */
export async function dashboardPage(session: Session, opts: DashboardOptions, outputs: PanelOutput[]): Promise<string> {
  const queriesDir = opts.queriesDir ?? defaultQueriesDir();
  const params = { month: `${opts.month}-01`, as_of: session.asOf };
  const sections = outputs.map((o) => o.html);
  const redOwners = await timed('report.query.red_owners', () => runQueryFile(session.wh, join(queriesDir, 'report', 'red_owners.sql'), params));
  const { policy } = session;

  const lang = opts.lang;
  const title = `${localize(UI.dashboardTitle, lang)} · ${opts.month}`;
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(policy.organisation)} · ${escapeHtml(localize(UI.asOf, lang))} ${escapeHtml(session.asOf.slice(0, 16))} (${escapeHtml(policy.timezone)}) · ${escapeHtml(localize(UI.policy, lang))}: ${escapeHtml(policy.source)}</p>
${uncoveredBanner(session.uncoveredYears, lang)}
${horizonBanner(session, lang)}
${session.wh.privacy.reveal ? `<div class="banner" data-reveal-pii="true">${escapeHtml(localize(UI.revealed, lang))}</div>` : ''}
</header>
<main>
${sections[0] ?? ''}
${redSummary(redOwners, session, lang)}
${sections.slice(1).join('\n')}
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  return timedSync('report.render.page', () => page({ title, lang, body, charts: true }));
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

/** What is red and who owns it: one row per missed KPI, with the department and team that did worst, linked to their reviews. */
function redSummary(rows: Row[], session: Session, lang: Lang): string {
  const heading = `<h2>${escapeHtml(localize(UI.redOwners, lang))}</h2>`;
  // No data-panel: it is not a panel file (the preview counts those), but it names its query like one.
  const attrs = `class="panel" id="panel-red" data-query="report/red_owners.sql" data-params="{}"`;
  if (!rows.length) return `<section ${attrs}>${heading}<p>${escapeHtml(localize(UI.allGreen, lang))}</p></section>`;
  const td = (field: string, v: unknown, text: string, cls = '', href?: string) =>
    `<td${cls ? ` class="${cls}"` : ''} data-field="${field}" data-value="${escapeHtml(v ?? '')}">${href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : escapeHtml(text)}</td>`;
  const body = rows.map((r) => {
    const kpi = String(r.kpi);
    const show = (v: unknown) => (isRate(kpi) ? formatPercent(v, lang) : formatNumber(v, lang, 1));
    const dept = r.worst_department ? String(r.worst_department) : '';
    const team = r.worst_team ? String(r.worst_team) : '';
    // A KPI that cannot be judged is listed too, grey: "all met" must not hide it.
    const actual = r.cannot_judge
      ? `${localize(UI.cannotJudge, lang)}${r.actual === null ? '' : ` (${show(r.actual)})`} · ${localize(UI.judgedShare, lang)} ${formatPercent(r.judged_share, lang)}`
      : show(r.actual);
    return `<tr data-kpi="${escapeHtml(kpi)}"${r.cannot_judge ? ' class="unjudged"' : ''}>${td('kpi', kpi, kpiLabel(session.policy, kpi, lang))}`
      + td('actual', r.actual, actual, r.cannot_judge ? 'num muted' : 'num red') + td('target', r.target, show(r.target), 'num')
      + td('worst_department', dept, dept ? `${dept} (${show(r.worst_actual)})` : '–', '', dept ? unitPagePath('department', dept) : undefined)
      + td('worst_team', team, team ? `${team} (${show(r.worst_team_actual)})` : '–', '', team ? unitPagePath('team', team) : undefined)
      + td('departments_missing', r.departments_missing, formatNumber(r.departments_missing, lang), 'num') + '</tr>';
  });
  const th = (t: { zh: string; en: string }, num = false) => `<th${num ? ' class="num"' : ''}>${escapeHtml(localize(t, lang))}</th>`;
  return `<section ${attrs}>${heading}<div class="table-wrap"><table class="compact"><thead><tr>${th(UI.kpi)}${th(UI.actual, true)}${th(UI.targetHeader, true)}${th(UI.worstDepartment)}${th(UI.worstTeam)}${th(UI.departmentsMissing, true)}</tr></thead><tbody>
${body.join('\n')}
</tbody></table></div></section>`;
}

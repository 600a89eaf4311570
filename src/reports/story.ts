// Drill-down from the dashboard: a tile -> the month's breaches of its commitment
// (breaches/index.html, a section per commitment, panels/breaches/) -> one complaint's clock
// story (complaint/<id>.html): its stages and flow-log events on a timeline and, for each
// commitment, its start, limit, pauses, extensions, transfers, due instant and verdict,
// with lateness in the clock's own unit. Stories are written only for the complaints a
// breach list on a page links to (each list shows at most reports.list_rows rows), so
// their number is bounded whatever the data's size. No script on these pages.
import { dirname, join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import type { Session } from '../models/session.ts';
import { runQueryFile } from '../models/query-file.ts';
import { escapeHtml, page } from './html.ts';
import { type Lang, localize, commitmentLabel, statusLabel, eventLabel, UI } from './labels.ts';
import { formatClockDuration, formatInstant, formatLimit, formatNumber } from './format.ts';
import { loadPanels, panelRows, renderPanel, type PanelContext } from './panels.ts';
import { writeFileSync } from 'node:fs';
import { makeFolder, outputModes, writeFileAtomic } from '../core/files.ts';
import { storyPagePath } from './units.ts';
import { stageOf, type Stage } from '../warehouse/stages.ts';
import { PROJECT_ROOT } from '../core/project.ts';
import { timed } from '../core/timings.ts';

export const BREACHES_PANELS_DIR = join(PROJECT_ROOT, 'panels', 'breaches');
// In a folder of its own, as the stories are: a page of lists only, bounded by reports.list_rows
// per commitment, not one of the month's pages whose size stays put whatever the data (index.html,
// department/, team/).
export const BREACHES_PAGE = 'breaches/index.html';

/** The anchor of a commitment's section on breaches/index.html. */
export function breachesAnchor(commitment: string): string {
  return `panel-c-${commitment.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase()}`;
}

/** href of a tile's breach list from the month folder: a commitment's section, or the page's top. */
export function breachesHref(commitment?: string): string {
  return commitment === undefined ? BREACHES_PAGE : `${BREACHES_PAGE}#${breachesAnchor(commitment)}`;
}

const WORDS = {
  breachesLead: {
    zh: '每项承诺本月的违约（超时完成或逾期未办），超时最多的在前；超时按该时限自身的计量（工作日时限按工作日与工作小时）。点击投诉编号查看其时限明细。',
    en: 'Each commitment\'s breaches this month (done late or overdue), latest first; lateness is in the clock\'s own unit (a working-day limit in working days and hours). A complaint\'s id opens its clock story.',
  },
  none: { zh: '本月无违约。', en: 'No breaches this month.' },
  complaint: { zh: '投诉', en: 'Complaint' },
  handler: { zh: '承办人', en: 'Handler' },
  category: { zh: '类别', en: 'Category' },
  received: { zh: '受理', en: 'Received' },
  timeline: { zh: '时间线', en: 'Timeline' },
  commitments: { zh: '各项承诺的时限', en: 'Each commitment\'s clock' },
  commitment: { zh: '承诺', en: 'Commitment' },
  limit: { zh: '时限', en: 'Limit' },
  start: { zh: '起算', en: 'Started' },
  originalDue: { zh: '原应完成', en: 'Due before adjustments' },
  pauses: { zh: '挂起', en: 'Pauses' },
  extensions: { zh: '延期', en: 'Extensions' },
  transfers: { zh: '转办/退回', en: 'Transfers' },
  due: { zh: '应完成', en: 'Due' },
  done: { zh: '实际完成', en: 'Done' },
  verdict: { zh: '结论', en: 'Verdict' },
  late: { zh: '超时 {d}', en: '{d} late' },
  overdueLate: { zh: '逾期未办，已超 {d}', en: 'not done, {d} late so far' },
  pauseApplied: { zh: '{at} 挂起，不计 {d}', en: 'paused {at}: {d} not counted' },
  pauseAfterDue: { zh: '{at} 挂起（已过应完成时间，不计）', en: 'paused {at}, after the due instant: no effect' },
  extApplied: { zh: '{at} 批准延期 {x}，顺延 {d}', en: '{x} approved {at}: due moved by {d}' },
  extIgnored: { zh: '{at} 批准延期 {x}（{why}，不计）', en: '{x} approved {at} ({why}: no effect)' },
  after_due: { zh: '在到期之后批准', en: 'approved after the due instant' },
  over_cap: { zh: '超出延期上限', en: 'beyond the cap' },
  unit_mismatch: { zh: '单位与时限不符', en: 'in another unit than the limit' },
  reopen: { zh: '{at} 重新打开', en: 'reopened {at}' },
  transfersAt: { zh: '{n} 次；到期时由 {team} 负责', en: '{n}; held by {team} when due' },
  chargedTo: { zh: '违约计入 {team}', en: 'charged to {team}' },
  problem: { zh: '无法判定：{p}', en: 'cannot be judged: {p}' },
  stageFromLog: { zh: '（取自流转记录）', en: ' (from the flow log)' },
  toTeam: { zh: '至 {team}', en: 'to {team}' },
};

const l = (t: { zh: string; en: string }, lang: Lang, fill: Record<string, string> = {}) =>
  Object.entries(fill).reduce((s, [k, v]) => s.replace(`{${k}}`, v), localize(t, lang));

/** breaches/index.html: a section per commitment that has breaches in the month, each row linked to its story. */
export async function writeBreachesPage(session: Session, dashboard: PanelContext, dir: string, month: string, lang: Lang): Promise<string> {
  const [panel] = loadPanels(BREACHES_PANELS_DIR);
  // Links and CSVs from the page's own folder, one below the month's.
  const base: PanelContext = {
    ...dashboard, csvDir: join(dir, 'breaches'),
    unitHref: (l, u) => { const h = dashboard.unitHref?.(l, u); return h === undefined ? undefined : `../${h}`; },
    complaintHref: (id) => `../${storyPagePath(id)}`,
  };
  const counts = await session.wh.rows('select commitment, count(*)::int as n from breach_list where due_month = $month::date group by all', { month: `${month}-01` });
  const byCommitment = new Map(counts.map((r) => [String(r.commitment), Number(r.n)]));
  const sections: string[] = [];
  const contents: string[] = [];
  for (const commitment of Object.keys(session.policy.commitments)) {
    const n = byCommitment.get(commitment) ?? 0;
    if (!n) continue;
    const name = { zh: `${commitmentLabel(session.policy, commitment, 'zh')}（${n} 件）`, en: `${commitmentLabel(session.policy, commitment, 'en')} (${n})` };
    const id = breachesAnchor(commitment).replace(/^panel-/, '');
    const p = { ...panel, id, title: name, params: { commitment }, csv: `breaches-${id}` };
    const rows = await panelRows(p, base);
    sections.push(renderPanel(p, rows, base));
    contents.push(`<a href="#panel-${escapeHtml(id)}">${escapeHtml(localize(name, lang))}</a>`);
  }
  const title = `${localize(UI.breachesTitle, lang)} · ${month}`;
  const body = `<header>
<p class="crumbs"><a href="../index.html">← ${escapeHtml(localize(UI.backToDashboard, lang))}</a></p>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(session.policy.organisation)} · ${escapeHtml(localize(UI.asOf, lang))} ${escapeHtml(session.asOf.slice(0, 16))} (${escapeHtml(session.policy.timezone)})</p>
<p class="note">${escapeHtml(l(WORDS.breachesLead, lang))}</p>
</header>
${contents.length ? `<nav class="contents" aria-label="${escapeHtml(localize(UI.contents, lang))}">${contents.join('')}</nav>` : ''}
<main>
${sections.join('\n') || `<p>${escapeHtml(l(WORDS.none, lang))}</p>`}
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  const path = join(dir, BREACHES_PAGE);
  writeFileAtomic(path, page({ title, lang, body, charts: false }));
  return path;
}

/** The clock story of every complaint in ids, under <dir>/complaint/; returns the files written. */
/**
 * staged: dir is a set being written that publishFolder syncs whole before publishing it
 * (src/outputs/publish.ts), so each page is written plainly: two fsyncs per page made
 * 800 stories cost 10 s.
 */
export async function writeStories(session: Session, queriesDir: string, dir: string, ids: Iterable<string>, month: string, lang: Lang, staged = false): Promise<string[]> {
  const list = [...new Set(ids)].sort();
  if (!list.length) return [];
  const params = { ids: list.join('\u001f') };
  const run = (file: string) => timed(`report.story.${file}`, () => runQueryFile(session.wh, join(queriesDir, 'report', file), params, session.policy));
  const group = (rows: Row[]) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) m.set(String(r.complaint_id), [...(m.get(String(r.complaint_id)) ?? []), r]);
    return m;
  };
  const heads = group(await run('story_complaint.sql'));
  const clocks = group(await run('story_commitments.sql'));
  const steps = group(await run('story_adjustments.sql'));
  const timeline = group(await run('story_timeline.sql'));
  const files: string[] = [];
  await timed('report.story.write', async () => { for (const id of list) {
    const path = join(dir, storyPagePath(id));
    const html = storyPage(session, { id, month, lang, stages: session.policy.stageList, head: heads.get(id)?.[0], clocks: clocks.get(id) ?? [], steps: steps.get(id) ?? [], timeline: timeline.get(id) ?? [] });
    if (staged) {
      makeFolder(dirname(path));
      writeFileSync(path, html, { mode: outputModes().file });
    } else writeFileAtomic(path, html);
    files.push(path);
  } });
  return files;
}

interface Story { id: string; month: string; lang: Lang; stages: readonly Stage[]; head?: Row; clocks: Row[]; steps: Row[]; timeline: Row[] }

function storyPage(session: Session, s: Story): string {
  const { lang } = s;
  const at = (v: unknown) => formatInstant(v);
  const h = s.head ?? {};
  const facts = [[UI.filterDepartment, h.department], [UI.filterTeam, h.team], [WORDS.handler, h.handler], [WORDS.category, h.category], [WORDS.received, at(h.received_at)]]
    .map(([k, v]) => `<span><b>${escapeHtml(l(k as { zh: string; en: string }, lang))}</b> ${escapeHtml(v ?? '–')}</span>`).join(' · ');
  const title = `${localize(UI.storyTitle, lang)} · ${s.id}`;
  const body = `<header>
<p class="crumbs"><a href="../${BREACHES_PAGE}">← ${escapeHtml(localize(UI.backToBreaches, lang))}</a> · <a href="../index.html">${escapeHtml(localize(UI.backToDashboard, lang))}</a></p>
<h1>${escapeHtml(title)}</h1>
<p>${facts}</p>
<p class="note">${escapeHtml(session.policy.organisation)} · ${escapeHtml(localize(UI.asOf, lang))} ${escapeHtml(session.asOf.slice(0, 16))} (${escapeHtml(session.policy.timezone)}) · ${escapeHtml(localize(UI.policy, lang))}: ${escapeHtml(session.policy.source)}</p>
</header>
<main>
<section class="panel" id="story-timeline"><h2>${escapeHtml(l(WORDS.timeline, lang))}</h2>
${timelineSvg(s)}
${timelineList(s)}
</section>
<section class="panel" id="story-clocks"><h2>${escapeHtml(l(WORDS.commitments, lang))}</h2>
${clockTable(session, s)}
</section>
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  return page({ title, lang, body, charts: false });
}

/** A timeline entry's words: a stage by its label (the policy's own stages too), an event by its label. */
function entryName(r: Row, lang: Lang, stages: readonly Stage[]): string {
  if (r.kind === 'stage') {
    const st = stageOf(String(r.name), stages);
    const name = st ? (lang === 'zh' ? st.labelZh : st.label) : String(r.name);
    return name + (r.source === 'event' ? l(WORDS.stageFromLog, lang) : '');
  }
  const extra = r.team ? ` ${l(WORDS.toTeam, lang, { team: String(r.team) })}` : r.detail ? ` ${formatLimit(r.detail, lang)}` : '';
  return eventLabel(String(r.name), lang) + extra;
}

/** The stages and events on one time axis, with each breached commitment's due instant marked in red. */
function timelineSvg(s: Story): string {
  const points = s.timeline.map((r) => ({ t: Date.parse(String(r.instant).replace(' ', 'T')), stage: r.kind === 'stage' }));
  const dues = s.clocks.filter((c) => c.status === 'breached' || c.status === 'overdue').map((c) => Date.parse(String(c.due_at).replace(' ', 'T')));
  const all = [...points.map((p) => p.t), ...dues].filter(Number.isFinite);
  if (all.length < 2) return '';
  const lo = Math.min(...all), hi = Math.max(...all), w = 1000, x = (t: number) => 10 + ((t - lo) / (hi - lo || 1)) * (w - 20);
  const marks = points.map((p, i) => `<circle cx="${x(p.t).toFixed(1)}" cy="20" r="5" class="${p.stage ? 'stage' : 'event'}"><title>${i + 1}</title></circle>`
    + `<text x="${x(p.t).toFixed(1)}" y="${i % 2 ? 44 : 40}" text-anchor="middle">${i + 1}</text>`).join('');
  const dueMarks = dues.map((t) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="6" y2="32" class="due"/>`).join('');
  return `<svg class="timeline" viewBox="0 0 ${w} 50" width="100%" role="img" aria-hidden="true" data-marks="${points.length}">`
    + `<line x1="10" x2="${w - 10}" y1="20" y2="20" class="axis"/>${dueMarks}${marks}</svg>`;
}

function timelineList(s: Story): string {
  const items = s.timeline.map((r, i) => `<li data-kind="${escapeHtml(r.kind)}" data-name="${escapeHtml(r.name)}"><span class="n">${i + 1}</span> <time>${escapeHtml(formatInstant(r.instant))}</time> ${escapeHtml(entryName(r, s.lang, s.stages))}</li>`);
  return `<ol class="story-timeline">${items.join('\n')}</ol>`;
}

function clockTable(session: Session, s: Story): string {
  const { lang } = s;
  const th = (t: { zh: string; en: string }) => `<th>${escapeHtml(l(t, lang))}</th>`;
  const hands = s.timeline.filter((r) => r.name === 'transferred' || r.name === 'returned');
  const rows = s.clocks.map((c) => {
    const commitment = String(c.commitment);
    const measure = (m: unknown) => formatClockDuration(m, c.limit_unit, c.working_day_minutes, lang);
    const mine = s.steps.filter((x) => x.commitment === commitment);
    const pauses = mine.filter((x) => x.kind === 'pause').map((x) => x.decision === 'applied'
      ? l(WORDS.pauseApplied, lang, { at: formatInstant(x.event_at), d: measure(x.moved_minutes) })
      : l(WORDS.pauseAfterDue, lang, { at: formatInstant(x.event_at) }));
    const exts = mine.filter((x) => x.kind === 'extension').map((x) => x.decision === 'applied'
      ? l(WORDS.extApplied, lang, { at: formatInstant(x.event_at), x: formatLimit(x.detail, lang), d: measure(x.moved_minutes) })
      : l(WORDS.extIgnored, lang, { at: formatInstant(x.event_at), x: formatLimit(x.detail, lang), why: l(WORDS[x.decision as 'after_due'] ?? WORDS.after_due, lang) }));
    const reopen = mine.filter((x) => x.kind === 'reopen').map((x) => l(WORDS.reopen, lang, { at: formatInstant(x.event_at) }));
    const before = c.due_at === null ? hands : hands.filter((r) => String(r.instant) <= String(c.due_at));
    const transfers = before.length ? l(WORDS.transfersAt, lang, { n: formatNumber(before.length, lang), team: String(c.owner_team ?? '–') }) : '–';
    const status = String(c.status);
    let verdict = statusLabel(status, lang);
    if (status === 'breached') verdict += ` · ${l(WORDS.late, lang, { d: measure(c.late_clock_minutes) })}`;
    if (status === 'overdue') verdict += ` · ${l(WORDS.overdueLate, lang, { d: measure(c.late_clock_minutes) })}`;
    if (status === 'unknown' && c.data_problem) verdict += ` · ${l(WORDS.problem, lang, { p: String(c.data_problem) })}`;
    if ((status === 'breached' || status === 'overdue') && c.responsible_team) verdict += ` · ${l(WORDS.chargedTo, lang, { team: String(c.responsible_team) })}`;
    const list = (xs: string[]) => (xs.length ? xs.map((x) => `<div>${escapeHtml(x)}</div>`).join('') : '–');
    const red = status === 'breached' || status === 'overdue';
    return `<tr data-commitment="${escapeHtml(commitment)}" data-status="${escapeHtml(status)}" data-late-minutes="${escapeHtml(c.late_clock_minutes ?? '')}">`
      + `<td>${escapeHtml(commitmentLabel(session.policy, commitment, lang))}</td><td>${escapeHtml(formatLimit(c.limit_text, lang))}</td>`
      + `<td>${escapeHtml(formatInstant(c.started_at))}</td><td>${escapeHtml(formatInstant(c.original_due_at))}</td>`
      + `<td data-field="pauses">${list(pauses)}</td><td data-field="extensions">${list([...exts, ...reopen])}</td><td data-field="transfers">${escapeHtml(transfers)}</td>`
      + `<td data-field="due_at">${escapeHtml(formatInstant(c.due_at))}</td><td data-field="done_at">${escapeHtml(formatInstant(c.done_at))}</td>`
      + `<td data-field="verdict"${red ? ' class="red"' : ''}>${escapeHtml(verdict)}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="compact"><thead><tr>${[WORDS.commitment, WORDS.limit, WORDS.start, WORDS.originalDue, WORDS.pauses, WORDS.extensions, WORDS.transfers, WORDS.due, WORDS.done, WORDS.verdict].map(th).join('')}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

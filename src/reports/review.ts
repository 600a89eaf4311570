// Performance-review pages (绩效考核): one per department and one per team,
// linked from the dashboard. Each shows the unit's scorecard against the target
// and the organisation, its composite score and rank (weights from the policy),
// its handlers, why it breached (in a chart, a table and a sentence), and its breach list (the first rows on the
// page, every row in a CSV beside it). Sections come from panels/review/*.yaml.
import { join } from 'node:path';
import type { Row } from '../warehouse/db.ts';
import type { Session } from '../models/session.ts';
import { runQueryFile } from '../models/query-file.ts';
import { defaultQueriesDir } from '../models/queries.ts';
import { escapeHtml, page } from './html.ts';
import { type Lang, localize, levelLabel, UI } from './labels.ts';
import { loadPanels, panelRows, renderPanel, type PanelContext } from './panels.ts';
import { writeFileAtomic } from '../core/files.ts';
import { timed } from '../core/timings.ts';
import { type UnitLevel, unitPagePath, unitSlug, storyPagePath } from './units.ts';
import { writeStories } from './story.ts';
import { contentsBar } from './navigation.ts';
import { PROJECT_ROOT } from '../core/project.ts';

export const REVIEW_PANELS_DIR = join(PROJECT_ROOT, 'panels', 'review');

/** dir: the folder the month's files are written into (default <outDir>/<month>; see DashboardOptions.dir). */
export interface ReviewOptions {
  month: string; outDir: string; dir?: string; lang: Lang; queriesDir?: string; panelsDir?: string;
  /** Clock stories already written beside the pages (the dashboard's): linked, not written again. */
  storiesWritten?: ReadonlySet<string>;
}
export interface ReviewPage { level: UnitLevel; unit: string; path: string; files: string[] }

/** Writes every department's and team's page for the month; returns them in rank order. */
export async function writeReviews(session: Session, opts: ReviewOptions): Promise<ReviewPage[]> {
  const queriesDir = opts.queriesDir ?? defaultQueriesDir();
  const targets = new Map((await session.wh.rows('select * from policy_target')).map((t) => [String(t.kpi), t]));
  const panels = loadPanels(opts.panelsDir ?? REVIEW_PANELS_DIR, session.policy);
  const pages: ReviewPage[] = [];
  // The clock stories of the complaints the pages' breach lists link to (each list at most reports.list_rows rows).
  const stories = new Set<string>();
  for (const level of ['department', 'team'] as const) {
    const units = await runQueryFile(session.wh, join(queriesDir, 'report', 'unit_ranking.sql'), { month: `${opts.month}-01`, level });
    for (const u of units) {
      pages.push(await writeReview(session, { ...opts, queriesDir }, panels, targets, level, String(u.unit), stories));
    }
  }
  await timed('review.stories', () => writeStories(session, queriesDir, opts.dir ?? join(opts.outDir, opts.month), [...stories].filter((id) => !opts.storiesWritten?.has(id)), opts.month, opts.lang, opts.dir !== undefined));
  return pages;
}

async function writeReview(session: Session, opts: ReviewOptions & { queriesDir: string }, panels: ReturnType<typeof loadPanels>,
  targets: Map<string, Row>, level: UnitLevel, unit: string, stories: Set<string>): Promise<ReviewPage> {
  const { wh, policy } = session;
  const lang = opts.lang;
  const ctx: PanelContext = {
    wh, policy, lang, targets, queriesDir: opts.queriesDir, csvPrefix: unitSlug(level, unit),
    csvDir: join(opts.dir ?? join(opts.outDir, opts.month), level), listTotals: new Map(), csvWritten: [],
    params: { month: `${opts.month}-01`, as_of: session.asOf, level, unit },
    unitHref: (l, u) => `../${unitPagePath(l, u)}`,
    complaintHref: (id) => `../${storyPagePath(id)}`, storiesLinked: stories,
  };
  const sections: string[] = [];
  for (const panel of panels) {
    const rows = await timed(`review.query.${panel.query}`, () => panelRows(panel, ctx));
    sections.push(renderPanel(panel, rows, ctx));
  }
  const title = `${localize(UI.reviewTitle, lang)} · ${levelLabel(level, lang)} · ${unit} · ${opts.month}`;
  const body = `<header>
<p class="crumbs"><a href="../index.html">← ${escapeHtml(localize(UI.backToDashboard, lang))}</a></p>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(policy.organisation)} · ${escapeHtml(localize(UI.asOf, lang))} ${escapeHtml(session.asOf.slice(0, 16))} (${escapeHtml(policy.timezone)}) · ${escapeHtml(localize(UI.policy, lang))}: ${escapeHtml(policy.source)}</p>
</header>
${contentsBar(sections, lang)}
<main>
${sections.join('\n')}
</main>
<footer><p class="note">${escapeHtml(localize(UI.generated, lang))}</p></footer>`;
  const rel = unitPagePath(level, unit);
  const path = join(opts.dir ?? join(opts.outDir, opts.month), rel);
  const running = `${title} · ${localize(UI.asOf, lang)} ${session.asOf.slice(0, 16)} · ${localize(UI.policy, lang)}: ${policy.source}`;
  writeFileAtomic(path, page({ title, lang, body, charts: true, running }));
  const files = ctx.csvWritten!;
  return { level, unit, path, files };
}

// Report panels from files: a panel is a small YAML file naming a query in
// queries/ and how to show its rows (headline tiles, a Vega-Lite chart, a
// table or a sentence). Adding a panel file and its SQL file adds a section to the page;
// no TypeScript changes.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Params, Row, Warehouse } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { PledgeError } from '../core/errors.ts';
import { parameterNames, runQueryFile, streamQueryFile } from '../models/query-file.ts';
import { toCsv, toCsvLines, visibleControls } from '../core/escape.ts';
import { writeStreamAtomic } from '../core/files.ts';
import { escapeHtml, jsonForScript } from './html.ts';
import { type Lang, type Localized, localize, localizeDeep, statusLabel, commitmentLabel, kpiLabel, isRate, groupLabel, levelLabel, stepLabel, dimensionLabel, channelLabel, findingLabel, UI } from './labels.ts';
import { formatPercent, formatNumber, formatDelta, formatInstant, formatLimit, formatKpiValue, formatPercentagePoints, formatClockDuration } from './format.ts';
import { directionSign, kpiEntry } from '../warehouse/kpi-catalogue.ts';

const localized = z.union([z.string(), z.strictObject({ zh: z.string().optional(), en: z.string().optional() })]);
// Words made from a row (fillTemplate): {field} or {field:format} is the row's value, formatted
// as a column's format would; [ … ] is left out unless every field named inside has a value.
// A list of them is tried in order: the first whose `when` field is true (or non-empty), or that has no `when`.
const template = z.union([z.string(), z.strictObject({ when: z.string().optional(), zh: z.string().optional(), en: z.string().optional() })]);
const column = z.strictObject({
  field: z.string(),
  title: localized.optional(),
  // kpi_value / kpi_delta: a percentage (points) for a rate KPI, a number for a score, by the row's kpi.
  // clock_duration: minutes in the row's clock's own measure (limit_unit; working minutes for wh/wd,
  // working_day_minutes to a working day): "2 个工作日 3 小时", "2 working days 3 hours".
  format: z.enum(['text', 'percent', 'integer', 'decimal', 'datetime', 'check', 'hash', 'kpi_value', 'kpi_delta', 'delta_pp', 'limit', 'clock_duration']).default('text'),
  // A cell is judged by its query where it can be (pledge_on_target in SQL gives an on_target
  // field for red_unless). target: a policy_target kpi the cell is compared with here, for a query
  // that has no verdict column (unit_handlers: a handler's rates).
  target: z.string().optional(),
  red_when: z.string().optional(),   // a boolean field: the cell turns red when it is true …
  red_unless: z.string().optional(), // … or when it is false (on_target: null, cannot be judged, is not red)
  // the cell names a unit: link to its performance-review page; complaint: to the complaint's clock story
  link: z.enum(['department', 'team', 'complaint']).optional(),
  link_field: z.string().optional(), // … named by this field instead of the cell's own (a label shown for it)
  muted_when: z.string().optional(),  // a boolean field: the cell is greyed when it is true (cannot be judged)
  // a count field: the cell is greyed, never red, and shows the count when it is below policy
  // reports.min_cases (a rate over 8 complaints ranks nobody)
  min_cases: z.string().optional(),
  text: z.array(template).optional(), // the cell's words from the row instead of its value formatted (when none applies)
});
const panelSchema = z.strictObject({
  // The section's anchor (#panel-<id>); default the file name without .yaml.
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lowercase letters, digits and dashes').optional(),
  title: localized.optional(),   // every kind but a sentence needs one
  description: localized.optional(),
  type: z.enum(['tiles', 'chart', 'table', 'sentence']),
  query: z.string(),
  // The dashboard's first screen (with the tiles): placed before the revisions of published figures.
  first_screen: z.boolean().optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
  columns: z.array(column).optional(),
  // table: each row's <tr> carries data-<row_key>; a class per boolean field that is true; compact rows;
  // what it says instead of an empty table.
  row_key: z.string().optional(),
  row_class: z.record(z.string().regex(/^[a-z][a-z-]*$/), z.string()).optional(),
  // The dashboard's department and team filters: each row's <tr> carries data-filter-department /
  // data-filter-team from these fields (an empty value, the organisation's row, is never hidden).
  filter: z.strictObject({ department: z.string().optional(), team: z.string().optional() }).optional(),
  compact: z.boolean().optional(),
  empty: localized.optional(),
  // sentence: one paragraph (class `class`) made of the rows: lead, each row's words joined, end;
  // `empty` when there are no rows (or none has words).
  sentence: z.strictObject({
    class: z.string().regex(/^[a-z][a-z-]*$/).optional(),
    lead: localized.optional(),
    row: localized,
    joiner: localized.optional(),
    end: localized.optional(),
    empty: localized,
  }).optional(),
  // A bounded list: the page shows the first policy reports.list_rows rows and
  // links a CSV with every row, written beside the page under this name.
  // Fixed values for the query's $parameters (the same query on two panels, say $level: team).
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  csv: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a CSV name is lowercase letters, digits and dashes').optional(),
  // Shown only under a policy whose scorecard.scheme is this (the points panels: scheme: points).
  scheme: z.enum(['weighted', 'points']).optional(),
});
export type Panel = z.infer<typeof panelSchema> & { id: string; file: string };

/**
 * The panels of a folder, every file checked. Given the policy, only those it shows: a panel
 * naming a `scheme` (points) is on the page only under that scorecard scheme. Filtered here, once,
 * so the dashboard, the review pages and the preview cannot disagree about what is on a page.
 */
export function loadPanels(dir: string, policy?: Policy): Panel[] {
  const panels = readPanels(dir);
  return policy ? panels.filter((p) => p.scheme === undefined || p.scheme === policy.scorecard.scheme) : panels;
}

function readPanels(dir: string): Panel[] {
  if (!existsSync(dir)) throw new PledgeError(`${dir}: no panels folder`);
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => {
    const file = join(dir, f);
    const parsed = panelSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PledgeError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    if (parsed.data.type === 'chart' && !parsed.data.spec) throw new PledgeError(`${file}: spec: a chart panel needs a Vega-Lite spec`);
    if (parsed.data.type === 'table' && !parsed.data.columns) throw new PledgeError(`${file}: columns: a table panel needs columns`);
    if (parsed.data.type === 'sentence' && !parsed.data.sentence) throw new PledgeError(`${file}: sentence: a sentence panel needs its words (sentence.row, sentence.empty)`);
    if (parsed.data.type !== 'sentence' && parsed.data.title === undefined) throw new PledgeError(`${file}: title: a ${parsed.data.type} panel needs a title`);
    checkTemplates(parsed.data, file);
    return { ...parsed.data, id: parsed.data.id ?? f.replace(/\.ya?ml$/, '').replace(/[^a-zA-Z0-9_-]/g, '-'), file };
  });
}

/** Every {field:format} of a panel's words names a format a column could have: a typo fails here, not on a page. */
function checkTemplates(panel: z.infer<typeof panelSchema>, file: string): void {
  const texts = [
    ...(panel.columns ?? []).flatMap((c) => (c.text ?? []).flatMap((t) => (typeof t === 'string' ? [t] : [t.zh, t.en]))),
    ...(panel.sentence ? [panel.sentence.row] : []).flatMap((t) => (typeof t === 'string' ? [t] : [t.zh, t.en])),
  ];
  for (const t of texts) {
    for (const m of (t ?? '').matchAll(/\{[a-z_0-9]+:([a-z_]+)\}/g)) {
      if (!FORMATS.safeParse(m[1]).success) throw new PledgeError(`${file}: "{…:${m[1]}}" is not a format (one of ${FORMATS.options.join(', ')})`);
    }
  }
}

export interface PanelContext {
  wh: Warehouse; policy: Policy; lang: Lang; params: Params; queriesDir: string; targets: Map<string, Row>;
  /** href of a unit's performance-review page, relative to the page being written. */
  unitHref?: (level: 'department' | 'team', unit: string) => string | undefined;
  /**
   * Where a bounded list's full CSV goes, written as the rows are read (a team's breaches can
   * be a million rows at 10M complaints); only the shown rows are kept. listTotals then holds
   * each list's row count and csvWritten the files. Unset (the live preview): no CSV.
   */
  csvDir?: string;
  listTotals?: Map<string, number>;
  csvWritten?: string[];
  /** Prefix of CSV file names written for this page (a review page's slug). */
  csvPrefix?: string;
  /**
   * href of a complaint's clock story, relative to the page; unset (the live preview): no link.
   * Every complaint linked is added to storiesLinked, so the writer makes exactly those pages.
   */
  complaintHref?: (complaintId: string) => string;
  storiesLinked?: Set<string>;
  /** href of the breach list behind a tile (a commitment's section, or every commitment's); unset: no link. */
  breachesHref?: (commitment?: string) => string;
}

/** The panel's rows, with label columns added in the page's language. */
export async function panelRows(panel: Panel, ctx: PanelContext): Promise<Row[]> {
  if (panel.csv && ctx.csvDir) return streamedListRows(panel, ctx, ctx.csvDir);
  const rows = await runQueryFile(ctx.wh, join(ctx.queriesDir, panel.query), { ...ctx.params, ...panel.params }, ctx.policy);
  return rows.map((r) => withLabels(r, ctx));
}

/** A bounded list's shown rows; every row goes to its CSV on the way (the same bytes formatRows writes). */
async function streamedListRows(panel: Panel, ctx: PanelContext, dir: string): Promise<Row[]> {
  const limit = ctx.policy.reports.list_rows;
  const shown: Row[] = [];
  let total = 0;
  const path = join(dir, csvName(panel, ctx));
  const chunks = streamQueryFile(ctx.wh, join(ctx.queriesDir, panel.query), { ...ctx.params, ...panel.params }, ctx.policy);
  async function* csvText(): AsyncGenerator<string> {
    let columns: string[] | undefined;
    for await (const chunk of chunks) {
      if (!columns) {
        columns = Object.keys(chunk[0]);
        yield visibleControls(toCsv([], columns));
      }
      yield visibleControls(toCsvLines(chunk, columns));
      for (const r of chunk) if (shown.length < limit) shown.push(withLabels(r, ctx));
      total += chunk.length;
    }
    if (!columns) yield visibleControls(toCsv([]));
  }
  await writeStreamAtomic(path, csvText());
  ctx.listTotals?.set(panel.id, total);
  ctx.csvWritten?.push(path);
  return shown;
}

const csvName = (panel: Panel, ctx: PanelContext) => `${ctx.csvPrefix ? `${ctx.csvPrefix}-` : ''}${panel.csv}.csv`;

function withLabels(r: Row, { policy, lang, targets }: PanelContext): Row {
  const out: Row = { ...r };
  // A KPI's name as policy_target holds it (the catalogue, src/warehouse/kpi-catalogue.ts); a name the
  // table lacks (a KPI of another policy, in a published month) from the catalogue's own rules.
  if (typeof r.kpi === 'string') out.kpi_label = (targets.get(r.kpi)?.[`label_${lang}`] as string | undefined) ?? kpiLabel(policy, r.kpi, lang);
  if (typeof r.commitment === 'string') out.commitment_label = commitmentLabel(policy, r.commitment, lang);
  if (typeof r.status === 'string') out.status_label = statusLabel(r.status, lang);
  if (typeof r.group_a === 'string') out.group_a_label = groupLabel(r.group_a, lang);
  if (typeof r.group_b === 'string') out.group_b_label = groupLabel(r.group_b, lang);
  if (typeof r.channel_kind === 'string') out.channel_kind_label = groupLabel(r.channel_kind, lang);
  if (typeof r.channel === 'string') out.channel_label = channelLabel(r.channel, lang);
  if (typeof r.finding === 'string') out.finding_label = findingLabel(r.finding, lang);
  if (typeof r.source === 'string') out.source_label = findingLabel(r.source, lang);
  if (typeof r.level === 'string') out.level_label = levelLabel(r.level, lang);
  if (typeof r.step === 'string') out.step_label = stepLabel(r.step, lang);
  if (typeof r.dimension === 'string') {
    out.dimension_label = dimensionLabel(r.dimension, lang);
    out.item_label = r.dimension === 'commitment' ? commitmentLabel(policy, String(r.item), lang) : r.item;
  }
  if (r.unit === '') out.unit_label = localize(UI.organisation, lang);
  else if (typeof r.unit === 'string') out.unit_label = r.unit;
  return out;
}

/** The $parameters a panel's query takes besides month and as_of (which `pledge query --month` sets). */
export function panelParams(panel: Panel, ctx: PanelContext): Params {
  const names = parameterNames(readFileSync(join(ctx.queriesDir, panel.query), 'utf8'));
  // Parameters the policy file gives (parameters:) or the header defaults are found by `pledge query` itself.
  const all: Params = { ...ctx.params, ...panel.params };
  return Object.fromEntries(names.filter((n) => n !== 'month' && n !== 'as_of' && n in all).map((n) => [n, all[n]]));
}

export function renderPanel(panel: Panel, rows: Row[], ctx: PanelContext): string {
  const title = panel.title === undefined ? '' : `<h2>${escapeHtml(localize(panel.title, ctx.lang))}</h2>`;
  const description = panel.description ? `<p class="note">${escapeHtml(fillPolicyValues(localize(panel.description, ctx.lang), panel, ctx))}</p>` : '';
  const body = panel.type === 'tiles' ? renderTiles(rows, ctx)
    : panel.type === 'chart' ? renderChart(panel, rows, ctx)
      : panel.type === 'sentence' ? renderSentence(panel, rows, ctx)
        : renderTable(panel, rows, ctx);
  return `<section class="panel${panel.type === 'chart' ? ' chart-panel' : ''}" id="panel-${panel.id}" data-panel="${escapeHtml(panel.id)}" data-query="${escapeHtml(panel.query)}" data-params="${escapeHtml(JSON.stringify(panelParams(panel, ctx)))}">
${title || description ? `${title}${description}\n` : ''}${body}
</section>`;
}

function renderTiles(rows: Row[], ctx: PanelContext): string {
  // Headline KPIs first, then one smaller tile per commitment (tile_order >= 10).
  const headline = rows.filter((r) => r.tile_order === undefined || Number(r.tile_order) < 10);
  const perCommitment = rows.filter((r) => r.tile_order !== undefined && Number(r.tile_order) >= 10);
  return tileGrid(headline, ctx, 'tiles') + (perCommitment.length ? tileGrid(perCommitment, ctx, 'tiles small') : '');
}

function tileGrid(rows: Row[], ctx: PanelContext, cls: string): string {
  const { lang } = ctx;
  const tiles = rows.map((r) => {
    const kpi = String(r.kpi);
    const rate = isRate(kpi);
    const show = (v: unknown) => formatKpiValue(kpi, v, lang);
    // A value with on_target null could not be judged (too much unknown): grey, never green.
    const state = r.actual === null ? (Number(r.unknown ?? 0) > 0 ? 'unjudged' : 'none')
      : r.on_target === null ? 'unjudged' : r.on_target ? 'green' : 'red';
    const sign = directionSign(r.direction);
    const judged = Number(r.denominator ?? 0);
    const due = judged + Number(r.unknown ?? 0);
    const judgedText = localize(UI.judgedOf, lang).replace('{judged}', formatNumber(judged, lang)).replace('{due}', formatNumber(due, lang));
    const verdict = state === 'unjudged' ? `<div class="verdict">${escapeHtml(localize(UI.cannotJudge, lang))}</div>` : '';
    // Better or worse by the KPI's direction in the catalogue (a falling reopen rate is good news).
    const direction = kpiEntry(kpi)?.direction ?? r.direction;
    const change = r.actual === null || r.previous === null || r.previous === undefined ? 0
      : Math.round((Number(r.actual) - Number(r.previous)) * (rate ? 1000 : 10));
    const trend = change === 0 ? 'same' : (change > 0) === (direction !== 'at_most') ? 'better' : 'worse';
    // The breaches behind the tile: a commitment's section of the breach list, every commitment's for
    // timeliness; a KPI that is no commitment's (satisfaction, reopenings) leads to what is red.
    const href = typeof r.commitment === 'string' ? ctx.breachesHref?.(r.commitment || undefined)
      : ctx.breachesHref && state === 'red' ? '#panel-red' : undefined;
    const breaches = r.breaches === null || r.breaches === undefined ? undefined : Number(r.breaches);
    const drill = href === undefined ? ''
      : `<div class="drill"><a href="${escapeHtml(href)}">${escapeHtml(breaches === undefined ? localize(UI.whatIsRed, lang) : localize(UI.breachesLink, lang).replace('{n}', formatNumber(breaches, lang)))}</a></div>`;
    return `<div class="tile ${state}" data-kpi="${escapeHtml(kpi)}" data-actual="${r.actual ?? ''}" data-target="${r.target ?? ''}" data-on-target="${r.on_target ?? ''}" data-judged="${judged}" data-due="${due}">
  <div class="name" title="${escapeHtml(r.kpi_label)}">${escapeHtml(r.kpi_label)}</div>
  <div class="actual">${r.actual === null ? escapeHtml(localize(r.unknown ? UI.cannotJudge : UI.noData, lang)) : show(r.actual)}${sparkline(r.trend, rate)}</div>${verdict}
  <div class="judged">${escapeHtml(judgedText)}</div>
  <div class="target">${escapeHtml(localize(UI.target, lang))} ${sign} ${show(r.target)}</div>
  <div class="delta ${trend}" data-trend="${trend}">${escapeHtml(localize(UI.vsLastMonth, lang))} ${formatDelta(r.actual, r.previous, rate, lang)}</div>${drill}
</div>`;
  });
  return `<div class="${cls}">${tiles.join('\n')}</div>`;
}

/**
 * The last months of a tile's KPI as a small line (inline SVG: no script, nothing fetched, so the
 * strict CSP is untouched), scaled to its own range so a change shows; the last month dotted.
 */
function sparkline(trend: unknown, rate: boolean): string {
  const values = (Array.isArray(trend) ? trend : []).map(Number).filter((v) => Number.isFinite(v));
  if (values.length < 2) return '';
  const w = 64, h = 20, pad = 2;
  const lo = Math.min(...values), hi = Math.max(...values);
  const span = hi - lo || (rate ? 0.01 : 1);
  const pts = values.map((v, i) => [pad + (i * (w - 2 * pad)) / (values.length - 1), h - pad - ((v - lo) / span) * (h - 2 * pad)]);
  const [lx, ly] = pts[pts.length - 1];
  return `<svg class="spark" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" aria-hidden="true" data-points="${values.length}">`
    + `<polyline points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="currentColor" stroke-width="1.5"/>`
    + `<circle cx="${lx.toFixed(1)}" cy="${ly.toFixed(1)}" r="2" fill="currentColor"/></svg>`;
}

function renderChart(panel: Panel, rows: Row[], { lang }: PanelContext): string {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(localizeDeep(panel.spec, lang) as object),
    data: { values: rows },
    // labelLimit 0: a long name (an English commitment's) is drawn whole, never cut at Vega-Lite's 180 px.
    config: { font: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', view: { stroke: null }, axis: { labelLimit: 0 }, legend: { labelLimit: 0 } },
  };
  const id = `spec-${panel.id}`;
  if (rows.length === 0) return `<p class="note">${escapeHtml(localize(UI.noData, lang))}</p>`;
  return `<div class="chart" data-vl-spec="${id}" role="img" aria-label="${escapeHtml(localize(panel.title, lang))}"></div>
<script type="application/json" id="${id}">${jsonForScript(spec)}</script>`;
}

function renderTable(panel: Panel, rows: Row[], ctx: PanelContext): string {
  const cols = panel.columns!;
  const head = cols.map((c) => `<th class="${numeric(c.format) ? 'num' : ''}">${escapeHtml(localize((c.title ?? c.field) as Localized, ctx.lang))}</th>`).join('');
  // A bounded list keeps the page's size independent of the data's: the rest is in the CSV.
  const limit = panel.csv ? ctx.policy.reports.list_rows : rows.length;
  const shown = rows.slice(0, limit);
  const total = ctx.listTotals?.get(panel.id) ?? rows.length;
  const body = shown.map((r) => `<tr${rowAttributes(panel, r)}>${cols.map((c) => cell(r, c, ctx)).join('')}</tr>`).join('\n');
  let csvNote = '';
  if (panel.csv) {
    const name = csvName(panel, ctx);
    const counts = localize(UI.rowsShown, ctx.lang).replace('{shown}', formatNumber(shown.length, ctx.lang)).replace('{total}', formatNumber(total, ctx.lang));
    csvNote = `<p class="note list-note" data-rows-total="${total}" data-rows-shown="${shown.length}">${escapeHtml(counts)} · <a href="${escapeHtml(encodeURI(name))}" data-csv="${escapeHtml(name)}">${escapeHtml(localize(UI.fullList, ctx.lang))}</a></p>`;
  }
  if (!rows.length && panel.empty !== undefined) return `<p>${escapeHtml(localize(panel.empty, ctx.lang))}</p>`;
  return `${csvNote}<div class="table-wrap"><table${panel.compact ? ' class="compact"' : ''}><thead><tr>${head}</tr></thead><tbody>
${body || `<tr><td colspan="${cols.length}" class="note">${escapeHtml(localize(UI.noData, ctx.lang))}</td></tr>`}
</tbody></table></div>`;
}

/** A row's data-<row_key> and its classes (row_class: a class for each boolean field that is true). */
function rowAttributes(panel: Panel, r: Row): string {
  const key = panel.row_key ? ` data-${panel.row_key.replace(/_/g, '-')}="${escapeHtml(r[panel.row_key] ?? '')}"` : '';
  const classes = Object.entries(panel.row_class ?? {}).filter(([, field]) => r[field] === true).map(([cls]) => cls);
  const filters = Object.entries(panel.filter ?? {}).map(([what, field]) => ` data-filter-${what}="${escapeHtml(r[field as string] ?? '')}"`).join('');
  return key + filters + (classes.length ? ` class="${classes.join(' ')}"` : '');
}

/** A sentence from rows: "lead row, row end", or its `empty` words with no rows. */
function renderSentence(panel: Panel, rows: Row[], ctx: PanelContext): string {
  const s = panel.sentence!;
  const cls = s.class ? ` class="${s.class}"` : '';
  const words = (t: Localized | undefined) => (t === undefined ? '' : localize(t, ctx.lang));
  // A row whose words come out empty (a [ … ] with a field missing) is left out, joiner and all.
  const parts = rows.map((r) => fillTemplate(words(s.row), r, ctx)).filter((p) => p !== '');
  if (!parts.length) return `<p${cls}>${escapeHtml(words(s.empty))}</p>`;
  return `<p${cls}>${escapeHtml(words(s.lead) + parts.join(words(s.joiner)) + words(s.end))}</p>`;
}

/** A value in a column format, for a cell or a template. */
function formatValue(v: unknown, format: z.infer<typeof column>['format'], r: Row, lang: Lang): string {
  switch (format) {
    case 'clock_duration': return formatClockDuration(v, r.limit_unit, r.working_day_minutes, lang);
    case 'percent': return formatPercent(v, lang);
    case 'integer': return formatNumber(v, lang, 0);
    case 'decimal': return formatNumber(v, lang, 1);
    case 'datetime': return formatInstant(v);
    case 'check': return v ? '✓' : '✗';
    case 'hash': return v ? String(v).slice(0, 12) + '…' : '';
    case 'kpi_value': return formatKpiValue(String(r.kpi), v, lang);
    case 'kpi_delta': return formatDelta(v, 0, isRate(String(r.kpi)), lang);
    case 'delta_pp': return formatDelta(v, 0, true, lang);
    case 'limit': return formatLimit(v, lang);
    default: return v === null || v === undefined ? '' : String(v);
  }
}

const hasValue = (v: unknown) => v !== null && v !== undefined && v !== '';
/** A template's `when` field holds: true, or a value that is not false. */
const holds = (v: unknown) => hasValue(v) && v !== false;
const FORMATS = column.shape.format.removeDefault();

/** {field} and {field:format} filled from the row; [ … ] kept only when every field in it has a value. */
function fillTemplate(text: string, r: Row, ctx: Pick<PanelContext, 'lang'>): string {
  const fill = (part: string) => part.replace(/\{([a-z_0-9]+)(?::([a-z_]+))?\}/g, (_, field: string, format?: string) =>
    formatValue(r[field], FORMATS.parse(format ?? 'text'), r, ctx.lang));
  return fill(text.replace(/\[([^\]]*)\]/g, (_, inner: string) =>
    [...inner.matchAll(/\{([a-z_0-9]+)/g)].every((m) => hasValue(r[m[1]])) ? inner : ''));
}

/**
 * A description's {policy:<path>:<format>}: the policy's value at that path (parity.gap_threshold,
 * parameters.fast_first_response), formatted as a column would be, so that the page states the
 * line in force rather than the key that sets it. A path the policy does not have fails the page.
 */
function fillPolicyValues(text: string, panel: Panel, ctx: Pick<PanelContext, 'lang' | 'policy'>): string {
  return text.replace(/\{policy:([a-z_][a-z0-9_.]*)(?::([a-z_]+))?\}/g, (_, path: string, format?: string) => {
    const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), ctx.policy);
    if (v === undefined || v === null) throw new PledgeError(`${panel.file}: description: {policy:${path}}: the policy (${ctx.policy.source}) has no ${path}`);
    // pp: a threshold on a gap of shares, in percentage points, unsigned; else a column's format.
    return format === 'pp' ? formatPercentagePoints(v, ctx.lang) : formatValue(v, FORMATS.parse(format ?? 'text'), {}, ctx.lang);
  });
}

/** The first of a column's templates that applies to the row (`when` true or non-empty, or no `when`). */
function chosenTemplate(templates: z.infer<typeof template>[] | undefined, r: Row, lang: Lang): string | undefined {
  const t = templates?.find((x) => typeof x === 'string' || x.when === undefined || holds(r[x.when]));
  return t === undefined ? undefined : localize(typeof t === 'string' ? t : { zh: t.zh, en: t.en }, lang);
}

function numeric(format: string): boolean {
  return ['percent', 'integer', 'decimal', 'kpi_value', 'kpi_delta', 'delta_pp'].includes(format);
}

function cell(r: Row, c: z.infer<typeof column>, ctx: PanelContext): string {
  const v = r[c.field];
  const chosen = chosenTemplate(c.text, r, ctx.lang);
  const text = chosen !== undefined ? fillTemplate(chosen, r, ctx) : formatValue(v, c.format, r, ctx.lang);
  const target = c.target ? ctx.targets.get(c.target) : undefined;
  const cases = c.min_cases === undefined ? undefined : Number(r[c.min_cases] ?? 0);
  const few = cases !== undefined && cases < ctx.policy.reports.min_cases && v !== null && v !== undefined;
  const missed = !few && (target && v !== null && v !== undefined &&
    (target.direction === 'at_most' ? Number(v) > Number(target.target) : Number(v) < Number(target.target)))
    || (c.red_when !== undefined && r[c.red_when] === true)
    || (c.red_unless !== undefined && r[c.red_unless] === false);
  const muted = (c.muted_when !== undefined && r[c.muted_when] === true) || few;
  const classes = [numeric(c.format) ? 'num' : '', missed ? 'red' : '', muted ? 'muted' : '', few ? 'few' : ''].filter(Boolean).join(' ');
  const raw = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const linked = c.link ? r[c.link_field ?? c.field] : undefined;
  let href: string | undefined;
  if (c.link === 'complaint') {
    if (typeof linked === 'string' && linked && ctx.complaintHref) {
      href = ctx.complaintHref(linked);
      ctx.storiesLinked?.add(linked);
    }
  } else if (c.link && typeof linked === 'string' && linked) href = ctx.unitHref?.(c.link, linked);
  const shown = few ? `${text} ${localize(UI.fewCases, ctx.lang).replace('{n}', formatNumber(cases, ctx.lang))}` : text;
  const content = href ? `<a href="${escapeHtml(href)}">${escapeHtml(shown)}</a>` : escapeHtml(shown);
  const fewAttr = few ? ` data-cases="${cases}" title="${escapeHtml(localize(UI.fewCasesTitle, ctx.lang).replace('{n}', String(cases)).replace('{min}', String(ctx.policy.reports.min_cases)))}"` : '';
  return `<td${classes ? ` class="${classes}"` : ''} data-field="${escapeHtml(c.field)}" data-value="${escapeHtml(raw)}"${fewAttr}>${content}</td>`;
}

// Report panels from files: a panel is a small YAML file naming a query in
// queries/ and how to show its rows (headline tiles, a Vega-Lite chart or a
// table). Adding a panel file and its SQL file adds a section to the page;
// no TypeScript changes.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Params, Row, Warehouse } from '../pipelines/db.ts';
import type { Policy } from '../pipelines/policy.ts';
import { PledgeError } from '../pipelines/errors.ts';
import { runQueryFile } from '../pipelines/query-file.ts';
import { escapeHtml, jsonForScript } from './html.ts';
import { type Lang, type Localized, localize, localizeDeep, statusLabel, commitmentLabel, kpiLabel, isRate, UI } from './labels.ts';
import { formatPercent, formatNumber, formatDelta, formatInstant } from './format.ts';

const localized = z.union([z.string(), z.strictObject({ zh: z.string().optional(), en: z.string().optional() })]);
const column = z.strictObject({
  field: z.string(),
  title: localized.optional(),
  format: z.enum(['text', 'percent', 'integer', 'decimal', 'datetime', 'check', 'hash']).default('text'),
  target: z.string().optional(),   // a policy_target kpi: the cell turns red when it misses it
});
const panelSchema = z.strictObject({
  title: localized,
  description: localized.optional(),
  type: z.enum(['tiles', 'chart', 'table']),
  query: z.string(),
  spec: z.record(z.string(), z.unknown()).optional(),
  columns: z.array(column).optional(),
});
export type Panel = z.infer<typeof panelSchema> & { id: string; file: string };

export function loadPanels(dir: string): Panel[] {
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
    return { ...parsed.data, id: f.replace(/\.ya?ml$/, '').replace(/[^a-zA-Z0-9_-]/g, '-'), file };
  });
}

export interface PanelContext { wh: Warehouse; policy: Policy; lang: Lang; params: Params; queriesDir: string; targets: Map<string, Row> }

/** The panel's rows, with label columns added in the page's language. */
export async function panelRows(panel: Panel, ctx: PanelContext): Promise<Row[]> {
  const rows = await runQueryFile(ctx.wh, join(ctx.queriesDir, panel.query), ctx.params, ctx.policy);
  return rows.map((r) => withLabels(r, ctx));
}

function withLabels(r: Row, { policy, lang }: PanelContext): Row {
  const out: Row = { ...r };
  if (typeof r.kpi === 'string') out.kpi_label = kpiLabel(policy, r.kpi, lang);
  if (typeof r.commitment === 'string') out.commitment_label = commitmentLabel(policy, r.commitment, lang);
  if (typeof r.status === 'string') out.status_label = statusLabel(r.status, lang);
  return out;
}

export function renderPanel(panel: Panel, rows: Row[], ctx: PanelContext): string {
  const title = escapeHtml(localize(panel.title, ctx.lang));
  const description = panel.description ? `<p class="note">${escapeHtml(localize(panel.description, ctx.lang))}</p>` : '';
  const body = panel.type === 'tiles' ? renderTiles(rows, ctx)
    : panel.type === 'chart' ? renderChart(panel, rows, ctx)
      : renderTable(panel, rows, ctx);
  return `<section class="panel" id="panel-${panel.id}" data-panel="${escapeHtml(panel.id)}" data-query="${escapeHtml(panel.query)}">
<h2>${title}</h2>${description}
${body}
</section>`;
}

function renderTiles(rows: Row[], { lang }: PanelContext): string {
  const tiles = rows.map((r) => {
    const kpi = String(r.kpi);
    const rate = isRate(kpi);
    const show = (v: unknown) => (rate ? formatPercent(v, lang) : formatNumber(v, lang, 1));
    const state = r.actual === null ? 'none' : r.on_target ? 'green' : 'red';
    const sign = r.direction === 'at_most' ? '≤' : '≥';
    return `<div class="tile ${state}" data-kpi="${escapeHtml(kpi)}" data-actual="${r.actual ?? ''}" data-target="${r.target ?? ''}" data-on-target="${r.on_target ?? ''}">
  <div class="name">${escapeHtml(r.kpi_label)}</div>
  <div class="actual">${r.actual === null ? escapeHtml(localize(UI.noData, lang)) : show(r.actual)}</div>
  <div class="target">${escapeHtml(localize(UI.target, lang))} ${sign} ${show(r.target)}</div>
  <div class="delta">${escapeHtml(localize(UI.vsLastMonth, lang))} ${formatDelta(r.actual, r.previous, rate, lang)}</div>
</div>`;
  });
  return `<div class="tiles">${tiles.join('\n')}</div>`;
}

function renderChart(panel: Panel, rows: Row[], { lang }: PanelContext): string {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(localizeDeep(panel.spec, lang) as object),
    data: { values: rows },
    config: { font: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', view: { stroke: null } },
  };
  const id = `spec-${panel.id}`;
  if (rows.length === 0) return `<p class="note">${escapeHtml(localize(UI.noData, lang))}</p>`;
  return `<div class="chart" data-vl-spec="${id}" role="img" aria-label="${escapeHtml(localize(panel.title, lang))}"></div>
<script type="application/json" id="${id}">${jsonForScript(spec)}</script>`;
}

function renderTable(panel: Panel, rows: Row[], ctx: PanelContext): string {
  const cols = panel.columns!;
  const head = cols.map((c) => `<th class="${numeric(c.format) ? 'num' : ''}">${escapeHtml(localize((c.title ?? c.field) as Localized, ctx.lang))}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => cell(r, c, ctx)).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>
${body || `<tr><td colspan="${cols.length}" class="note">${escapeHtml(localize(UI.noData, ctx.lang))}</td></tr>`}
</tbody></table></div>`;
}

function numeric(format: string): boolean {
  return ['percent', 'integer', 'decimal'].includes(format);
}

function cell(r: Row, c: z.infer<typeof column>, ctx: PanelContext): string {
  const v = r[c.field];
  let text: string;
  switch (c.format) {
    case 'percent': text = formatPercent(v, ctx.lang); break;
    case 'integer': text = formatNumber(v, ctx.lang, 0); break;
    case 'decimal': text = formatNumber(v, ctx.lang, 1); break;
    case 'datetime': text = formatInstant(v); break;
    case 'check': text = v ? '✓' : '✗'; break;
    case 'hash': text = v ? String(v).slice(0, 12) + '…' : ''; break;
    default: text = v === null || v === undefined ? '' : String(v);
  }
  const target = c.target ? ctx.targets.get(c.target) : undefined;
  const missed = target && v !== null && v !== undefined &&
    (target.direction === 'at_most' ? Number(v) > Number(target.target) : Number(v) < Number(target.target));
  const classes = [numeric(c.format) ? 'num' : '', missed ? 'red' : ''].filter(Boolean).join(' ');
  return `<td${classes ? ` class="${classes}"` : ''} data-field="${escapeHtml(c.field)}">${escapeHtml(text)}</td>`;
}

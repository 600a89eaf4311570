// The HTML shell every report page shares: escaping, a Content-Security-Policy
// that lets only the page's own inline scripts run (by hash, no 'unsafe-eval',
// no network), and vega, vega-lite and vega-embed inlined so a page opens offline.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { visibleControls } from '../core/escape.ts';
import { UI } from './labels.ts';

const require = createRequire(import.meta.url);

/** A file inside an installed package, even one its "exports" map does not list. */
function packageFile(pkg: string, file: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(pkg)) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${pkg} package folder`);
    dir = up;
  }
  return join(dir, file);
}

/**
 * Text from an export, in HTML text or a quoted attribute. Markup characters become
 * character references; control and bidi-override characters are shown as \u{202E}
 * rather than allowed to reorder what the reader sees.
 */
export function escapeHtml(value: unknown): string {
  return visibleControls(String(value ?? '')).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside <script type="application/json"> (Vega-Lite specs and their data): nothing
 * in it can close the element or open a comment (</script, <!--), U+2028/2029 stay
 * escaped, and control/bidi characters in strings are made visible as in escapeHtml.
 * The data is only ever parsed with JSON.parse and handed to Vega as values, never
 * as expressions.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'string' ? visibleControls(v) : v))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

let libraries: string | undefined;
function vegaLibraries(): string {
  libraries ??= [['vega', 'build/vega.min.js'], ['vega-lite', 'build/vega-lite.min.js'], ['vega-embed', 'build/vega-embed.min.js']]
    .map(([pkg, file]) => readFileSync(packageFile(pkg, file), 'utf8')).join('\n;\n');
  return libraries;
}

// Draws every chart on the page from its JSON spec. ast: true makes vega use its
// expression interpreter instead of eval, so the page runs under a CSP without 'unsafe-eval'.
// The loader refuses every link a chart could follow (an href encoding over export text)
// except a relative link to a page or file beside this one: no javascript:, no other site.
const BOOT = `
var pledgeLoader = vega.loader();
var pledgeSanitize = pledgeLoader.sanitize;
pledgeLoader.sanitize = function (uri, options) {
  var u = String(uri);
  if (!/^[A-Za-z0-9_.\\/-]+\\.(html|csv|parquet|arrow|pdf|json)(#[A-Za-z0-9_-]*)?$/.test(u) || /(^|\\/)\\.\\.(\\/|$)/.test(u)) {
    return Promise.reject(new Error('Pledge report: link refused: ' + u.slice(0, 80)));
  }
  return pledgeSanitize.call(pledgeLoader, uri, options);
};
function pledgeDraw(el, spec) {
  return vegaEmbed(el, spec, { ast: true, actions: false, renderer: 'svg', loader: pledgeLoader })
    .then(function () { el.setAttribute('data-rendered', 'true'); })
    .catch(function (err) { el.setAttribute('data-render-error', String(err)); console.error(err); });
}
document.querySelectorAll('[data-vl-spec]').forEach(function (el) {
  pledgeDraw(el, JSON.parse(document.getElementById(el.getAttribute('data-vl-spec')).textContent));
});
// Charts drawn again to the width they are shown at (the A4 column when printing, src/reports/pdf.ts),
// so that their text keeps its size instead of the whole drawing being scaled down: every fixed width
// of the spec (its views, a facet's cell, concatenated views) is narrowed in proportion to the overflow,
// again while it still overflows (axis labels do not narrow with it), six times at most; a
// container-wide chart takes its container's new width by itself.
function pledgeNarrow(node, factor) {
  if (!node || typeof node !== 'object') return;
  if (typeof node.width === 'number') node.width = Math.max(80, Math.floor(node.width * factor));
  pledgeNarrow(node.spec, factor);
  ['hconcat', 'vconcat', 'concat'].forEach(function (k) { (node[k] || []).forEach(function (n) { pledgeNarrow(n, factor); }); });
}
window.pledgeFitCharts = function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll('[data-vl-spec]'));
  var pass = function (el, spec, left) {
    var svg = el.querySelector('svg');
    var natural = svg ? svg.width.baseVal.value : 0;   // the drawing's own width; CSS may show it narrower
    var target = el.clientWidth;
    if (!svg || !target || natural <= target + 1 || left === 0) return Promise.resolve();
    pledgeNarrow(spec, (target - 2) / natural);
    el.removeAttribute('data-rendered');
    return pledgeDraw(el, spec).then(function () { return pass(el, spec, left - 1); });
  };
  return Promise.all(charts.map(function (el) {
    return pass(el, JSON.parse(document.getElementById(el.getAttribute('data-vl-spec')).textContent), 6);
  }));
};`;

export interface PageOptions {
  title: string;
  lang: 'zh' | 'en';
  body: string;
  charts: boolean;
  /** The running header of every printed page (title, month, as-of, policy); page numbers are added at the foot. */
  running?: string;
  /** More inline scripts of the page's own (the dashboard's filters): each allowed by its hash, like the rest. */
  scripts?: string[];
}

/** Text as a CSS string: nothing in it can end the string or the <style> element. */
function cssString(text: string): string {
  return `"${visibleControls(text).replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ').replace(/</g, '\\3c ')}"`;
}

/**
 * The printed page's margins: the running header at the top left, "page N of M" at the bottom right
 * (CSS page-margin boxes: Chromium's print and its PDFs alike).
 */
function printMargins(lang: 'zh' | 'en', running: string | undefined): string {
  const words = UI.pageOf[lang].split(/(\{page\}|\{pages\})/).filter(Boolean)
    .map((p) => (p === '{page}' ? 'counter(page)' : p === '{pages}' ? 'counter(pages)' : cssString(p))).join(' ');
  const margin = 'font-size: 8pt; color: #616e7c; font-family: system-ui, "Noto Sans CJK SC", sans-serif;';
  return `<style>@page {${running ? ` @top-left { content: ${cssString(running)}; ${margin} }` : ''} @bottom-right { content: ${words}; ${margin} } }</style>`;
}

function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

export function page({ title, lang, body, charts, running, scripts: own = [] }: PageOptions): string {
  const scripts = [...(charts ? [vegaLibraries(), BOOT] : []), ...own];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.map(scriptHash).join(' ') : "'none'"}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${printMargins(lang, running)}
</head>
<body>
${body}
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}

const STYLE = `
:root { --met: #2e7d32; --breached: #c62828; --overdue: #ef6c00; --pending: #78909c; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 24px 48px; color: var(--ink); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
header h1 { font-size: 22px; margin: 0 0 4px; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.note { color: var(--muted); font-size: 12px; }
.banner { padding: 8px 12px; border-radius: 6px; margin: 12px 0; background: #fff4e5; border: 1px solid #ffb74d; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin-top: 14px; }
.tile { border: 1px solid var(--line); border-left: 6px solid var(--met); border-radius: 6px; padding: 8px 12px; }
.tile.red { border-left-color: var(--breached); background: #fff5f5; }
.tile.none { border-left-color: var(--pending); }
.tile.unjudged { border-left-color: #9aa5b1; background: #f5f7fa; }
.tile.unjudged .actual { color: var(--muted); }
.tile .verdict { font-size: 12px; font-weight: 600; color: var(--muted); }
.tile .name { font-size: 12px; color: var(--muted); }
.tile .actual { font-size: 24px; font-weight: 600; }
.tile .target, .tile .delta, .tile .judged { font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f5f7fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.red { color: var(--breached); font-weight: 600; }
td.green { color: var(--met); font-weight: 600; }
.chart { width: 100%; min-height: 60px; }
.chart svg { max-width: 100%; height: auto; }
.panel { break-inside: avoid; }
.table-wrap { overflow-x: auto; }
/* The first screen: headline tiles, one smaller tile per commitment, then what is red. Narrow
   enough that seven headline and nine commitment tiles (the demo policy's) take a row each at
   1280 px, so the red list still ends on the first screen. */
#panel-10-tiles h2 { margin-top: 16px; }
.tiles { margin-top: 10px; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); }
.tile { padding: 6px 10px; }
.tile .actual { font-size: 22px; line-height: 1.25; }
.tiles.small { grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); gap: 8px; margin-top: 8px; }
.tiles.small .tile { padding: 4px 8px; border-left-width: 4px; }
.tiles.small .name { font-size: 11px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tiles.small .actual { font-size: 17px; }
.tiles.small .target, .tiles.small .delta { font-size: 11px; }
.tiles.small .judged { font-size: 11px; }
/* "可判定 2,250/2,250" fits on one line of a small tile; the English "judged … of …" wraps. */
:lang(zh) .tiles.small .judged { white-space: nowrap; letter-spacing: -0.2px; }
table.compact td, table.compact th { padding: 2px 8px; }
#panel-red h2 { margin-top: 16px; }
@media (max-width: 600px) { .tiles, .tiles.small { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.crumbs { margin: 0 0 6px; }
.why { font-size: 15px; padding: 8px 12px; border-left: 4px solid var(--breached); background: #fff5f5; }
.list-note { margin: 4px 0; }
a { color: #1d4ed8; }
/* Drill-down (src/reports/story.ts, panels.ts): tiles' sparklines and coloured change, the contents bar and filters, greyed small samples, clock stories. */
.tile .actual { display: flex; align-items: center; justify-content: space-between; gap: 6px; }
.tile .spark { color: var(--muted); flex: 0 1 64px; min-width: 0; max-width: 45%; height: auto; }
.tiles.small .spark { flex-basis: 44px; }
.tile .delta.better { color: var(--met); }
.tile .delta.worse { color: var(--breached); }
.tile .drill { font-size: 12px; white-space: nowrap; }
.tiles.small .drill { font-size: 11px; }
.tiles.small .name { white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.25; overflow-wrap: anywhere; }
nav.contents { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 4px 0; margin: 8px 0 0;
  display: flex; flex-wrap: nowrap; overflow-x: auto; white-space: nowrap; gap: 12px; font-size: 12px; align-items: center; }
nav.contents label { color: var(--muted); }
nav.contents select { font: inherit; max-width: 14em; }
td.muted { color: #9aa5b1; }
td.few { font-style: italic; }
tr[hidden] { display: none; }
svg.timeline { max-width: 100%; height: 50px; }
svg.timeline .axis { stroke: var(--line); stroke-width: 2; }
svg.timeline circle.stage { fill: var(--ink); }
svg.timeline circle.event { fill: #fff; stroke: var(--overdue); stroke-width: 2; }
svg.timeline line.due { stroke: var(--breached); stroke-width: 2; stroke-dasharray: 3 2; }
svg.timeline text { font-size: 10px; fill: var(--muted); }
ol.story-timeline { list-style: none; padding: 0; margin: 6px 0; font-size: 13px; }
ol.story-timeline .n { display: inline-block; min-width: 1.6em; color: var(--muted); }
ol.story-timeline time { font-variant-numeric: tabular-nums; }
@media print { nav.contents { display: none; } }
@media (max-width: 600px) { body { padding: 8px; } .tile .actual { font-size: 20px; } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { padding: 0; font-size: 11px; }
  .panel, .tile, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 10px; }
  .chart svg { max-width: 100%; height: auto; }
  .chart-panel { break-inside: avoid; }
  /* A long table may cross pages (rows stay whole); repeat its header on each page. */
  section.panel:has(table) { break-inside: auto; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  /* Links that lead elsewhere mean nothing on paper: back to the dashboard, to the what-if page, to a CSV. */
  .crumbs, .back-link, .page-links, a[data-csv] { display: none !important; }
}
`;

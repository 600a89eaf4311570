// The assessment pack's page (index.html): the quarter's KPIs against target
// per month and for the quarter, per department, the spot-check sample, the
// data reconciliation, the methodology, and the files that prove it all. It
// presents rows computed by queries/assess/; it computes nothing itself. It
// carries no run time and no path, so a re-computation gives the same bytes.
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import type { Quarter } from '../models/quarter.ts';
import { escapeHtml as e, jsonForScript, page } from './html.ts';
import { type Lang, localize, kpiLabel, isRate, statusLabel, commitmentLabel, channelLabel, severityLabel, groupLabel, strataFieldLabel } from './labels.ts';
import { KPI_CATALOGUE, directionSign, policyKpis } from '../warehouse/kpi-catalogue.ts';
import { formatNumber, formatPercent, formatInstant } from './format.ts';
import { methodologyHtml } from './methodology.ts';
import { appealsSection, pointsSection, type AppealRows } from './assess-appeals.ts';

export interface AssessPageData {
  policy: Policy;
  quarter: Quarter;
  asOf: string;
  asOfRule: string;
  seed: number;
  policySha: string;
  kpi: Row[];
  sample: Row[];
  reconciliation: Row[];
  breaches: number;
  /** The appeal section's rows, and the points section's under the points scheme. */
  appeals: AppealRows;
  evidence: { path: string; sha256: string; bytes: number; rows?: number; description: string }[];
  uncoveredYears: number[];
  /** The page's language (pledge assess --lang; recorded in the manifest so that verify writes the same page). */
  lang: Lang;
}

// The pack's own words, in both languages; KPI, commitment, status and channel names come from labels.ts.
const W = {
  title: { zh: '季度第三方评估', en: 'Quarterly assessment' },
  to: { zh: '至', en: 'to' },
  asOf: { zh: '数据截至', en: 'as of' },
  policySha: { zh: '考核规则 SHA-256', en: 'policy SHA-256' },
  seed: { zh: '抽样种子', en: 'sample seed' },
  uncovered: { zh: '注意：以下年份尚无官方节假日安排，工作日按周一至周五推算：', en: 'Warning: no published holiday calendar for these years; Monday to Friday was assumed there:' },
  kpis: { zh: '指标与目标', en: 'KPIs against target' },
  kpisNote: { zh: '按月及全季度；红色：未达目标。本季度违约或逾期的承诺共 {n} 项（全部列于 {file}）。', en: 'Per month and for the quarter; red: target missed. {n} commitments were breached or overdue in the quarter (all listed in {file}).' },
  kpi: { zh: '指标', en: 'KPI' },
  target: { zh: '目标', en: 'Target' },
  departments: { zh: '分部门', en: 'Per department' },
  department: { zh: '部门', en: 'Department' },
  period: { zh: '期间', en: 'Period' },
  chartLabel: { zh: '主要指标逐月实际值与目标', en: 'Headline KPIs per month against target' },
  chartY: { zh: '实际值', en: 'Actual rate' },
  chartCaption: { zh: '实线：每月实际值；虚线：目标。', en: 'Solid lines: the actual rate per month; dashed lines: the target.' },
  sample: { zh: '抽查样本', en: 'Spot-check sample' },
  stratum: { zh: '抽样层', en: 'Stratum' },
  complaints: { zh: '投诉数', en: 'Complaints' },
  drawn: { zh: '抽取数', en: 'Drawn' },
  complaint: { zh: '投诉编号', en: 'Complaint' },
  severity: { zh: '级别', en: 'Severity' },
  channel: { zh: '渠道', en: 'Channel' },
  category: { zh: '类别', en: 'Category' },
  team: { zh: '班组', en: 'Team' },
  received: { zh: '受理时间', en: 'Received' },
  score: { zh: '满意度', en: 'Score' },
  statuses: { zh: '截至统计时点的各承诺状态', en: 'Statuses as of the as-of instant' },
  sampleMore: { zh: '处理人及各环节时间见 {file}（每行一件，与本表同序）。', en: 'The handler and every stage time are in {file} (one row per complaint, in this order).' },
  reconciliation: { zh: '数据对账', en: 'Data reconciliation' },
  reconciliationLead: { zh: '按导入顺序列出每个输入文件。读入的每一行或被载入，或作为拒收行连同原因保留：读入 = 载入 + 拒收。', en: 'Every input file, in the order it was loaded. Every row read was either loaded or kept aside as a reject with its reason: read = loaded + rejected.' },
  kind: { zh: '类型', en: 'Kind' },
  file: { zh: '文件', en: 'File' },
  read: { zh: '读入', en: 'Read' },
  loaded: { zh: '载入', en: 'Loaded' },
  rejected: { zh: '拒收', en: 'Rejected' },
  balanced: { zh: '平衡', en: 'Balanced' },
  total: { zh: '合计', en: 'Total' },
  files: { zh: '证据文件及核验方法', en: 'Evidence files and how to verify them' },
  holds: { zh: '内容', en: 'What it holds' },
  rows: { zh: '行数', en: 'Rows' },
  footer: { zh: '由 Pledge 生成；每个数字均来自 sql/ 中的 SQL，在 manifest.json 所列输入上运行。', en: 'Made by Pledge. Every number comes from the SQL in sql/ run on the inputs in manifest.json.' },
} satisfies Record<string, { zh: string; en: string }>;

// The headline KPIs in the catalogue's order (the dashboard's), then one per commitment.
const HEADLINE = KPI_CATALOGUE.map((k) => k.key);

const words = (t: { zh: string; en: string }, lang: Lang) => e(localize(t, lang));
const show = (kpi: string, v: unknown, lang: Lang) => (isRate(kpi) ? formatPercent(v, lang) : formatNumber(v, lang, 1));

function kpiCell(r: Row | undefined, lang: Lang): string {
  if (!r) return '<td class="num">–</td>';
  const kpi = String(r.kpi);
  const red = r.on_target === false ? ' red' : '';
  return `<td class="num${red}" data-kpi="${e(kpi)}" data-period="${e(r.period)}" data-department="${e(r.department ?? '')}" data-actual="${r.actual ?? ''}">${show(kpi, r.actual, lang)}</td>`;
}

function kpiTable(d: AssessPageData): string {
  const { lang } = d;
  const periods = [...d.quarter.months, d.quarter.label];
  const org = d.kpi.filter((r) => r.department === null);
  const kpis = policyKpis(d.policy).map((k) => k.key).filter((k) => org.some((r) => r.kpi === k));
  const rows = kpis.map((kpi) => {
    const target = org.find((r) => r.kpi === kpi)?.target;
    const direction = directionSign(org.find((r) => r.kpi === kpi)?.direction);
    const cells = periods.map((p) => kpiCell(org.find((r) => r.kpi === kpi && r.period === p), lang)).join('');
    return `<tr><th scope="row">${e(kpiLabel(d.policy, kpi, lang))}</th>${cells}<td class="num">${direction} ${show(kpi, target, lang)}</td></tr>`;
  }).join('\n');
  return `<div class="table-wrap"><table id="kpi-table"><thead><tr><th>${words(W.kpi, lang)}</th>${periods.map((p) => `<th class="num period">${e(p)}</th>`).join('')}<th class="num">${words(W.target, lang)}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function departmentTable(d: AssessPageData): string {
  const { lang } = d;
  const byDept = d.kpi.filter((r) => r.department !== null);
  const departments = [...new Set(byDept.map((r) => String(r.department)))].sort();
  const periods = [...d.quarter.months, d.quarter.label];
  const rows = departments.flatMap((dept) => periods.map((p, i) => {
    const cells = HEADLINE.map((k) => kpiCell(byDept.find((r) => r.department === dept && r.period === p && r.kpi === k), lang)).join('');
    const first = i === 0 ? `<th scope="rowgroup" rowspan="${periods.length}">${e(dept)}</th>` : '';
    return `<tr${i === periods.length - 1 ? ' class="quarter"' : ''}>${first}<td class="period">${e(p)}</td>${cells}</tr>`;
  })).join('\n');
  return `<div class="table-wrap"><table id="department-table"><thead><tr><th>${words(W.department, lang)}</th><th class="period">${words(W.period, lang)}</th>${HEADLINE.map((k) => `<th class="num">${e(kpiLabel(d.policy, k, lang))}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function trendChart(d: AssessPageData): string {
  const values = d.kpi
    .filter((r) => r.department === null && r.period_kind === 'month' && HEADLINE.includes(String(r.kpi)) && isRate(String(r.kpi)) && r.actual !== null)
    .map((r) => ({ month: r.period, kpi: kpiLabel(d.policy, String(r.kpi), d.lang), actual: r.actual, target: r.target }));
  if (!values.length) return '';
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container', height: 220,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: {
        x: { field: 'month', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
        y: { field: 'actual', type: 'quantitative', axis: { format: '%' }, title: localize(W.chartY, d.lang), scale: { zero: false } },
        color: { field: 'kpi', type: 'nominal', title: null } } },
      // The target as a dashed line of the KPI's colour (what the caption says).
      { mark: { type: 'line', strokeDash: [5, 4], strokeWidth: 1.5, opacity: 0.8 }, encoding: {
        x: { field: 'month', type: 'ordinal' }, y: { field: 'target', type: 'quantitative' },
        color: { field: 'kpi', type: 'nominal' } } },
    ],
    config: { font: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', view: { stroke: null }, axis: { labelLimit: 0 }, legend: { labelLimit: 0 } },
  };
  return `<div class="chart" data-vl-spec="spec-trend" role="img" aria-label="${words(W.chartLabel, d.lang)}"></div>
<script type="application/json" id="spec-trend">${jsonForScript(spec)}</script>
<p class="note">${words(W.chartCaption, d.lang)}</p>`;
}

const strataWords = (fields: string[], lang: Lang) => fields.map((f) => strataFieldLabel(f, lang)).join(' × ');

/** A stratum's key ("客服中心 | breached") in words: each part labelled as the field it is (policy strata order). */
function stratumWords(d: AssessPageData, stratum: unknown): string {
  const fields = d.policy.assessment.sample.strata;
  return String(stratum).split(' | ').map((part, i) => {
    const field = fields[i];
    if (field === 'outcome') return statusLabel(part, d.lang);
    if (field === 'severity') return severityLabel(part, d.lang);
    if (field === 'channel_kind') return groupLabel(part, d.lang);
    return part;
  }).join(' | ');
}

/** The sample's "register: met; first_response: breached" in words: each commitment and status labelled. */
function statusesWords(d: AssessPageData, statuses: unknown): string {
  if (statuses === null || statuses === undefined) return '–';
  return String(statuses).split('; ').map((part) => {
    const at = part.lastIndexOf(': ');
    if (at < 0) return part;
    return `${commitmentLabel(d.policy, part.slice(0, at), d.lang)}${d.lang === 'zh' ? '：' : ': '}${statusLabel(part.slice(at + 2), d.lang)}`;
  }).join(d.lang === 'zh' ? '；' : '; ');
}

function sampleSection(d: AssessPageData): string {
  const { lang } = d;
  const s = d.policy.assessment.sample;
  const strata = [...new Map(d.sample.map((r) => [String(r.stratum), r])).values()];
  const strataRows = strata.map((r) => `<tr data-stratum="${e(r.stratum)}"><td>${e(stratumWords(d, r.stratum))}</td><td class="num">${e(r.stratum_population)}</td><td class="num">${e(r.stratum_allocated)}</td></tr>`).join('\n');
  // What fits an A4 page and a 1366 px screen; the handler and every stage time are in evidence/sample.csv.
  const cols: [string, { zh: string; en: string }, (v: unknown) => string][] = [
    ['stratum', W.stratum, (v) => stratumWords(d, v)], ['draw_rank', { zh: '序号', en: '#' }, String], ['complaint_id', W.complaint, String],
    ['severity', W.severity, (v) => severityLabel(String(v), lang)], ['channel', W.channel, (v) => channelLabel(String(v), lang)],
    ['category', W.category, String], ['team', W.team, String],
    ['received_at', W.received, formatInstant],
    ['satisfaction', W.score, String],
    ['statuses', W.statuses, (v) => statusesWords(d, v)],
  ];
  const body = d.sample.map((r) => `<tr data-complaint="${e(r.complaint_id)}">${cols.map(([f, , fmt]) => `<td class="${f}">${e(r[f] === null ? '–' : fmt(r[f]))}</td>`).join('')}</tr>`).join('\n');
  const example = `${d.seed}:${d.sample[0]?.complaint_id ?? 'C0001'}`;
  const prose = lang === 'zh'
    ? `<p>以种子 <strong data-seed="${d.seed}">${d.seed}</strong>（seed ${d.seed}）从 ${e(d.quarter.label)} 内至少有一项承诺到期的投诉中抽取 ${d.sample.length} 件，按${e(strataWords(s.strata, lang))}分层
（结果：任一承诺违约或逾期为“超时完成”，否则任一无法判定为“数据存疑”，否则未到期为“未到期”，否则“按时”）。请逐件与原始记录核对。</p>
<p><strong>如何重新抽取。</strong>在每一层内，按文本 <code>&lt;seed&gt;:&lt;complaint_id&gt;</code>（如 <code>${e(example)}</code>）的 SHA-256（十六进制）排序，取前若干件，件数见下表。
相同的种子与输入总得到相同的样本：<code>pledge assess --quarter ${e(d.quarter.label)} --seed ${d.seed}</code>；换一个种子（<code>--seed N</code>）即另抽一组。
确切规则见 <code>sql/assess/assess_sample.sql</code>，样本见 <code>evidence/sample.csv</code>。</p>`
    : `<p>${d.sample.length} complaints drawn with seed <strong data-seed="${d.seed}">${d.seed}</strong> from the complaints with at least one commitment
due in ${e(d.quarter.label)}, stratified by ${e(strataWords(s.strata, lang))} (outcome: breached if any commitment was breached or overdue, else unknown if any
could not be judged, else pending, else met). Check each against its source record.</p>
<p><strong>How to redraw it.</strong> Within each stratum, sort the complaints by the SHA-256 (hex) of the text
<code>&lt;seed&gt;:&lt;complaint_id&gt;</code> (e.g. <code>${e(example)}</code>) and take the first ones, as many as the stratum is allocated below.
The same seed and inputs always give the same sample: <code>pledge assess --quarter ${e(d.quarter.label)} --seed ${d.seed}</code>;
another seed (<code>--seed N</code>) draws another. The exact rule is <code>sql/assess/assess_sample.sql</code>; the sample is <code>evidence/sample.csv</code>.</p>`;
  return `<section class="panel" id="sample"><h2>${words(W.sample, lang)}</h2>
${prose}
<div class="table-wrap"><table id="strata-table"><thead><tr><th>${words(W.stratum, lang)}</th><th class="num">${words(W.complaints, lang)}</th><th class="num">${words(W.drawn, lang)}</th></tr></thead><tbody>
${strataRows}
</tbody></table></div>
<p class="note">${e(localize(W.sampleMore, lang)).replace('{file}', '<code>evidence/sample.csv</code>')}</p>
<div class="table-wrap"><table id="sample-table"><thead><tr>${cols.map(([f, t]) => `<th class="${f}">${words(t, lang)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></div>
</section>`;
}

function reconciliationSection(d: AssessPageData): string {
  const { lang } = d;
  const rows = d.reconciliation.map((r) => `<tr><td>${e(r.import_order)}</td><td>${e(r.kind)}</td><td>${e(r.file_name)}</td>
<td class="num">${formatNumber(r.rows_read, lang)}</td><td class="num">${formatNumber(r.rows_loaded, lang)}</td><td class="num">${formatNumber(r.rows_rejected, lang)}</td>
<td>${r.balanced ? '✓' : '✗'}</td><td><code class="sha">${e(r.sha256)}</code></td></tr>`).join('\n');
  const total = (f: string) => d.reconciliation.reduce((a, r) => a + Number(r[f]), 0);
  return `<section class="panel" id="reconciliation"><h2>${words(W.reconciliation, lang)}</h2>
<p>${words(W.reconciliationLead, lang)}</p>
<div class="table-wrap"><table id="reconciliation-table"><thead><tr><th>#</th><th>${words(W.kind, lang)}</th><th>${words(W.file, lang)}</th><th class="num">${words(W.read, lang)}</th><th class="num">${words(W.loaded, lang)}</th><th class="num">${words(W.rejected, lang)}</th><th>${words(W.balanced, lang)}</th><th>SHA-256</th></tr></thead><tbody>
${rows}
<tr class="total"><td></td><td></td><td>${words(W.total, lang)}</td><td class="num">${formatNumber(total('rows_read'), lang)}</td><td class="num">${formatNumber(total('rows_loaded'), lang)}</td><td class="num">${formatNumber(total('rows_rejected'), lang)}</td><td></td><td></td></tr>
</tbody></table></div></section>`;
}

function filesSection(d: AssessPageData): string {
  const { lang } = d;
  const rows = d.evidence.map((f) => `<tr><td><a href="${e(f.path)}">${e(f.path)}</a></td><td>${e(f.description)}</td><td class="num">${f.rows === undefined ? '' : formatNumber(f.rows, lang)}</td><td><code class="sha">${e(f.sha256)}</code></td></tr>`).join('\n');
  const prose = lang === 'zh'
    ? `<p>本页旁边：证据文件的 CSV 与 Parquet（由 DuckDB 写出，行序固定，不含个人信息）、所用考核规则（<code>policy.yaml</code>，SHA-256 <code>${e(d.policySha)}</code>）、
所用日历（<code>calendar.csv</code>）、每个查询的 SQL（<code>sql/</code>），以及 <code>manifest.json</code>：每个输入文件的 SHA-256 与行数、本包每个文件的 SHA-256。</p>
<p>核验：<code>pledge verify &lt;本文件夹&gt; --inputs &lt;存放输入文件的文件夹&gt;</code> 用本文件夹中的 SQL 与考核规则从输入重新计算每个文件，并逐个报告是否一致。</p>`
    : `<p>Next to this page: the evidence as CSV and Parquet (written by DuckDB, rows in a defined order, no personal data), the policy as used
(<code>policy.yaml</code>, SHA-256 <code>${e(d.policySha)}</code>), the calendar as used (<code>calendar.csv</code>), the SQL of every query (<code>sql/</code>)
and <code>manifest.json</code> with the SHA-256 and row counts of every input file and the SHA-256 of every file here.</p>
<p>To verify: <code>pledge verify &lt;this folder&gt; --inputs &lt;folder holding the input files&gt;</code> re-computes every file from the inputs with the SQL
and policy in this folder and reports, file by file, whether it matches.</p>`;
  return `<section class="panel" id="files"><h2>${words(W.files, lang)}</h2>
${prose}
<div class="table-wrap"><table id="evidence-table"><thead><tr><th>${words(W.file, lang)}</th><th>${words(W.holds, lang)}</th><th class="num">${words(W.rows, lang)}</th><th>SHA-256</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

// Dates and periods never break ("2025-\n07"); Chinese labels break between words, not inside them;
// the statuses wrap in a column of their own; a SHA-256 breaks anywhere rather than widen the page.
const STYLE = `<style>
#department-table td.period, #department-table th.period, #kpi-table th.period { white-space: nowrap; }
#department-table th, #kpi-table th, #strata-table td { word-break: keep-all; }
#sample-table th, #sample-table td { white-space: nowrap; }
#sample-table td.statuses { white-space: normal; word-break: keep-all; min-width: 18em; }
code.sha { word-break: break-all; }
#appeals-table th, #appeals-table td, #appeal-effects-table th, #points-table th, #points-lines-table th { word-break: keep-all; }
#appeals-table td.instant, #appeal-effects-table td.num, #points-table td.period, #points-lines-table td.period { white-space: nowrap; }
</style>`;

export function renderAssessPage(d: AssessPageData): string {
  const { lang } = d;
  const title = `${localize(W.title, lang)} · ${d.quarter.label}`;
  const last = d.quarter.months[2];
  const banner = d.uncoveredYears.length
    ? `<div class="banner" data-calendar-uncovered="${d.uncoveredYears.join(',')}">${words(W.uncovered, lang)} ${d.uncoveredYears.join(', ')}</div>` : '';
  const breaches = e(localize(W.kpisNote, lang)).replace('{n}', formatNumber(d.breaches, lang)).replace('{file}', '<a href="evidence/breach_list.csv">evidence/breach_list.csv</a>');
  const body = `${STYLE}
<header>
<h1>${e(title)}</h1>
<p>${e(d.policy.organisation)} · ${e(d.quarter.months[0])} ${words(W.to, lang)} ${e(last)} · ${words(W.asOf, lang)} <span id="as-of">${e(d.asOf.slice(0, 16))}</span> (${e(d.policy.timezone)}, ${e(d.asOfRule)})
· ${words(W.policySha, lang)} <code>${e(d.policySha.slice(0, 16))}…</code> · ${words(W.seed, lang)} ${d.seed}</p>
${banner}
</header>
<main>
<section class="panel" id="kpis"><h2>${words(W.kpis, lang)}</h2>
<p class="note">${breaches}</p>
${kpiTable(d)}
${trendChart(d)}
</section>
<section class="panel" id="departments"><h2>${words(W.departments, lang)}</h2>
${departmentTable(d)}
</section>
${appealsSection(d.policy, d.appeals, lang)}
${pointsSection(d.policy, d.appeals, lang)}
${sampleSection(d)}
${reconciliationSection(d)}
${methodologyHtml(d.policy, d.asOf.slice(0, 16), lang)}
${filesSection(d)}
</main>
<footer><p class="note">${words(W.footer, lang)}</p></footer>`;
  const running = `${title} · ${localize(W.asOf, lang)} ${d.asOf.slice(0, 16)} · ${localize(W.policySha, lang)} ${d.policySha.slice(0, 16)}…`;
  return page({ title, lang, body, charts: true, running });
}

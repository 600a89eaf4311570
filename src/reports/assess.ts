// The assessment pack's page (index.html): the quarter's KPIs against target
// per month and for the quarter, per department, the spot-check sample, the
// data reconciliation, the methodology, and the files that prove it all. It
// presents rows computed by queries/assess/; it computes nothing itself. It
// carries no run time and no path, so a re-computation gives the same bytes.
import type { Row } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import type { Quarter } from '../models/quarter.ts';
import { STAGE_LIST } from '../warehouse/stages.ts';
import { escapeHtml as e, jsonForScript, page } from './html.ts';
import { kpiLabel, isRate } from './labels.ts';
import { KPI_CATALOGUE, directionSign, policyKpis } from '../warehouse/kpi-catalogue.ts';
import { formatNumber, formatPercent, formatInstant } from './format.ts';
import { methodologyHtml } from './methodology.ts';

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
  evidence: { path: string; sha256: string; bytes: number; rows?: number; description: string }[];
  uncoveredYears: number[];
}

// The headline KPIs in the catalogue's order (the dashboard's), then one per commitment.
const HEADLINE = KPI_CATALOGUE.map((k) => k.key);

const label = (policy: Policy, kpi: string) => `${kpiLabel(policy, kpi, 'en')} · ${kpiLabel(policy, kpi, 'zh')}`;
const show = (kpi: string, v: unknown) => (isRate(kpi) ? formatPercent(v, 'en') : formatNumber(v, 'en', 1));

function kpiCell(r: Row | undefined): string {
  if (!r) return '<td class="num">–</td>';
  const kpi = String(r.kpi);
  const red = r.on_target === false ? ' red' : '';
  return `<td class="num${red}" data-kpi="${e(kpi)}" data-period="${e(r.period)}" data-department="${e(r.department ?? '')}" data-actual="${r.actual ?? ''}">${show(kpi, r.actual)}</td>`;
}

function kpiTable(d: AssessPageData): string {
  const periods = [...d.quarter.months, d.quarter.label];
  const org = d.kpi.filter((r) => r.department === null);
  const kpis = policyKpis(d.policy).map((k) => k.key).filter((k) => org.some((r) => r.kpi === k));
  const rows = kpis.map((kpi) => {
    const target = org.find((r) => r.kpi === kpi)?.target;
    const direction = directionSign(org.find((r) => r.kpi === kpi)?.direction);
    const cells = periods.map((p) => kpiCell(org.find((r) => r.kpi === kpi && r.period === p))).join('');
    return `<tr><th scope="row">${e(label(d.policy, kpi))}</th>${cells}<td class="num">${direction} ${show(kpi, target)}</td></tr>`;
  }).join('\n');
  return `<div class="table-wrap"><table id="kpi-table"><thead><tr><th>KPI</th>${periods.map((p) => `<th class="num">${e(p)}</th>`).join('')}<th class="num">Target</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function departmentTable(d: AssessPageData): string {
  const byDept = d.kpi.filter((r) => r.department !== null);
  const departments = [...new Set(byDept.map((r) => String(r.department)))].sort();
  const periods = [...d.quarter.months, d.quarter.label];
  const rows = departments.flatMap((dept) => periods.map((p, i) => {
    const cells = HEADLINE.map((k) => kpiCell(byDept.find((r) => r.department === dept && r.period === p && r.kpi === k))).join('');
    const first = i === 0 ? `<th scope="rowgroup" rowspan="${periods.length}">${e(dept)}</th>` : '';
    return `<tr${i === periods.length - 1 ? ' class="quarter"' : ''}>${first}<td>${e(p)}</td>${cells}</tr>`;
  })).join('\n');
  return `<div class="table-wrap"><table id="department-table"><thead><tr><th>Department</th><th>Period</th>${HEADLINE.map((k) => `<th class="num">${e(label(d.policy, k))}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function trendChart(d: AssessPageData): string {
  const values = d.kpi
    .filter((r) => r.department === null && r.period_kind === 'month' && HEADLINE.includes(String(r.kpi)) && isRate(String(r.kpi)) && r.actual !== null)
    .map((r) => ({ month: r.period, kpi: kpiLabel(d.policy, String(r.kpi), 'en'), actual: r.actual, target: r.target }));
  if (!values.length) return '';
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container', height: 220,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: {
        x: { field: 'month', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
        y: { field: 'actual', type: 'quantitative', axis: { format: '%' }, title: 'actual', scale: { zero: false } },
        color: { field: 'kpi', type: 'nominal', title: null } } },
      { mark: { type: 'tick', thickness: 2, opacity: 0.6 }, encoding: {
        x: { field: 'month', type: 'ordinal' }, y: { field: 'target', type: 'quantitative' },
        color: { field: 'kpi', type: 'nominal' } } },
    ],
    config: { font: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', view: { stroke: null } },
  };
  return `<div class="chart" data-vl-spec="spec-trend" role="img" aria-label="Headline KPIs per month against target"></div>
<script type="application/json" id="spec-trend">${jsonForScript(spec)}</script>
<p class="note">Lines: actual per month; ticks: target.</p>`;
}

function sampleSection(d: AssessPageData): string {
  const s = d.policy.assessment.sample;
  const strata = [...new Map(d.sample.map((r) => [String(r.stratum), r])).values()];
  const strataRows = strata.map((r) => `<tr data-stratum="${e(r.stratum)}"><td>${e(r.stratum)}</td><td class="num">${e(r.stratum_population)}</td><td class="num">${e(r.stratum_allocated)}</td></tr>`).join('\n');
  const cols: [string, string, (v: unknown) => string][] = [
    ['stratum', 'Stratum', String], ['draw_rank', '#', String], ['complaint_id', 'Complaint', String],
    ['severity', 'Severity', String], ['channel', 'Channel', String], ['category', 'Category', String],
    ['team', 'Team', String], ['handler', 'Handler', String],
    // Every stage time (stages.ts), then the follow-up's score.
    ...STAGE_LIST.map((st): [string, string, (v: unknown) => string] => [st.column, st.short, formatInstant]),
    ['satisfaction', 'Score', (v) => (v === null ? '–' : String(v))],
    ['statuses', 'Statuses as of the as-of instant', String],
  ];
  const body = d.sample.map((r) => `<tr data-complaint="${e(r.complaint_id)}">${cols.map(([f, , fmt]) => `<td class="${f}">${e(r[f] === null ? '–' : fmt(r[f]))}</td>`).join('')}</tr>`).join('\n');
  return `<section class="panel" id="sample"><h2>Spot-check sample (抽查)</h2>
<p>${d.sample.length} complaints drawn with seed <strong data-seed="${d.seed}">${d.seed}</strong> from the complaints with at least one commitment
due in ${e(d.quarter.label)}, stratified by ${e(s.strata.join(' × '))} (outcome: breached if any commitment was breached or overdue, else unknown if any
could not be judged, else pending, else met). Check each against its source record.</p>
<p><strong>How to redraw it.</strong> Within each stratum, sort the complaints by the SHA-256 (hex) of the text
<code>&lt;seed&gt;:&lt;complaint_id&gt;</code> (e.g. <code>${d.seed}:${e(d.sample[0]?.complaint_id ?? 'C0001')}</code>) and take the first ones, as many as the stratum is allocated below.
The same seed and inputs always give the same sample: <code>pledge assess --quarter ${e(d.quarter.label)} --seed ${d.seed}</code>;
another seed (<code>--seed N</code>) draws another. The exact rule is <code>sql/assess/assess_sample.sql</code>; the sample is <code>evidence/sample.csv</code>.</p>
<div class="table-wrap"><table id="strata-table"><thead><tr><th>Stratum</th><th class="num">Complaints</th><th class="num">Drawn</th></tr></thead><tbody>
${strataRows}
</tbody></table></div>
<div class="table-wrap"><table id="sample-table"><thead><tr>${cols.map(([, t]) => `<th>${e(t)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></div>
</section>`;
}

function reconciliationSection(d: AssessPageData): string {
  const rows = d.reconciliation.map((r) => `<tr><td>${e(r.import_order)}</td><td>${e(r.kind)}</td><td>${e(r.file_name)}</td>
<td class="num">${formatNumber(r.rows_read, 'en')}</td><td class="num">${formatNumber(r.rows_loaded, 'en')}</td><td class="num">${formatNumber(r.rows_rejected, 'en')}</td>
<td>${r.balanced ? '✓' : '✗'}</td><td><code>${e(r.sha256)}</code></td></tr>`).join('\n');
  const total = (f: string) => d.reconciliation.reduce((a, r) => a + Number(r[f]), 0);
  return `<section class="panel" id="reconciliation"><h2>Data reconciliation (数据对账)</h2>
<p>Every input file, in the order it was loaded. Every row read was either loaded or kept aside as a reject with its reason: read = loaded + rejected.</p>
<div class="table-wrap"><table id="reconciliation-table"><thead><tr><th>#</th><th>Kind</th><th>File</th><th class="num">Read</th><th class="num">Loaded</th><th class="num">Rejected</th><th>Balanced</th><th>SHA-256</th></tr></thead><tbody>
${rows}
<tr class="total"><td></td><td></td><td>Total</td><td class="num">${formatNumber(total('rows_read'), 'en')}</td><td class="num">${formatNumber(total('rows_loaded'), 'en')}</td><td class="num">${formatNumber(total('rows_rejected'), 'en')}</td><td></td><td></td></tr>
</tbody></table></div></section>`;
}

function filesSection(d: AssessPageData): string {
  const rows = d.evidence.map((f) => `<tr><td><a href="${e(f.path)}">${e(f.path)}</a></td><td>${e(f.description)}</td><td class="num">${f.rows === undefined ? '' : formatNumber(f.rows, 'en')}</td><td><code>${e(f.sha256)}</code></td></tr>`).join('\n');
  return `<section class="panel" id="files"><h2>Evidence files and how to verify them</h2>
<p>Next to this page: the evidence as CSV and Parquet (written by DuckDB, rows in a defined order, no personal data), the policy as used
(<code>policy.yaml</code>, SHA-256 <code>${e(d.policySha)}</code>), the calendar as used (<code>calendar.csv</code>), the SQL of every query (<code>sql/</code>)
and <code>manifest.json</code> with the SHA-256 and row counts of every input file and the SHA-256 of every file here.</p>
<p>To verify: <code>pledge verify &lt;this folder&gt; --inputs &lt;folder holding the input files&gt;</code> re-computes every file from the inputs with the SQL
and policy in this folder and reports, file by file, whether it matches.</p>
<div class="table-wrap"><table id="evidence-table"><thead><tr><th>File</th><th>What it holds</th><th class="num">Rows</th><th>SHA-256</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

export function renderAssessPage(d: AssessPageData): string {
  const title = `Quarterly assessment ${d.quarter.label} · 季度第三方评估`;
  const last = d.quarter.months[2];
  const banner = d.uncoveredYears.length
    ? `<div class="banner" data-calendar-uncovered="${d.uncoveredYears.join(',')}">Warning: no published holiday calendar for ${d.uncoveredYears.join(', ')}; Monday to Friday was assumed there.</div>` : '';
  // The sample table is wide: one line per complaint, the statuses wrapping in a column of their own.
  const style = '<style>#sample-table td { white-space: nowrap; } #sample-table td.statuses { white-space: normal; min-width: 32em; }</style>';
  const body = `${style}
<header>
<h1>${e(title)}</h1>
<p>${e(d.policy.organisation)} · ${e(d.quarter.months[0])} to ${e(last)} · as of <span id="as-of">${e(d.asOf.slice(0, 16))}</span> (${e(d.policy.timezone)}, ${e(d.asOfRule)})
· policy SHA-256 <code>${e(d.policySha.slice(0, 16))}…</code> · sample seed ${d.seed}</p>
${banner}
</header>
<main>
<section class="panel" id="kpis"><h2>KPIs against target (指标与目标)</h2>
<p class="note">Per month and for the quarter; red: target missed. ${formatNumber(d.breaches, 'en')} commitments were breached or overdue in the quarter (all listed in <a href="evidence/breach_list.csv">evidence/breach_list.csv</a>).</p>
${kpiTable(d)}
${trendChart(d)}
</section>
<section class="panel" id="departments"><h2>Per department (分部门)</h2>
${departmentTable(d)}
</section>
${sampleSection(d)}
${reconciliationSection(d)}
${methodologyHtml(d.policy, d.asOf.slice(0, 16))}
${filesSection(d)}
</main>
<footer><p class="note">Made by Pledge. Every number comes from the SQL in sql/ run on the inputs in manifest.json.</p></footer>`;
  return page({ title, lang: 'en', body, charts: true });
}

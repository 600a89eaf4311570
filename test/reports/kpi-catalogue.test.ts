// The KPI catalogue (src/warehouse/kpi-catalogue.ts) is the one place a KPI's name, labels,
// direction, unit and order are written: the warehouse's policy_target table is made
// from it, the pages take their labels from that table, and no report module spells a
// KPI key. Run on the honest-figures fixture (test/fixtures/honest/: tickets.csv and its
// policy, worked out by hand in test/models/honest-figures.test.ts), exported 2025-10-31 22:00:
//   register        T1, T3, T4, T5 met; T2 breached (registered 10-08, due 10-07); T7 overdue
//                   -> 4 of 6, nothing unknown
//   first_response  no import records it: 6 unknown, nothing judged
//   resolve         T1, T2, T5 met; T7 overdue (due 10-23); T3, T4 unknown (resolved before
//                   received) -> 3 of 4, 2 unknown
//   timeliness      (4 + 0 + 3) / (6 + 0 + 4) = 70.0%, judged 10 / 18 = 55.6%
//   breaches        register 2 (T2, T7), resolve 1 (T7): 3, all team Desk of Support; the export
//                   has no category column.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledge, pledgeJson, tempDir } from '../support/cli.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import { loadPolicy } from '../../src/warehouse/policy.ts';
import { loadPolicyTables } from '../../src/warehouse/policy-tables.ts';
import { KPI_CATALOGUE, type KpiEntry } from '../../src/warehouse/kpi-catalogue.ts';
import { loadPanels, panelRows, renderPanel, type PanelContext } from '../../src/reports/panels.ts';

const HONEST = join(FIXTURES, 'honest');
const policyFile = join(HONEST, 'policy.yaml');
const dir = tempDir('pledge-catalogue-');
const warehouse = join(dir, 'w.duckdb');
const at = ['--warehouse', warehouse, '--policy', policyFile];
const pages: Record<'zh' | 'en', { dashboard: string; team: string }> = { zh: { dashboard: '', team: '' }, en: { dashboard: '', team: '' } };

beforeAll(() => {
  const r = pledge(['ingest', join(HONEST, 'tickets.csv'), '--exported-at', '2025-10-31 22:00', ...at]);
  if (r.code !== 0) throw new Error(r.stderr);
  for (const lang of ['zh', 'en'] as const) {
    const out = join(dir, `out-${lang}`);
    const run = pledge(['run', '--month', '2025-10', '--lang', lang, '--out', out, ...at]);
    if (run.code !== 0) throw new Error(run.stderr);
    const teamDir = join(out, '2025-10', 'team');
    pages[lang] = {
      dashboard: readFileSync(join(out, '2025-10', 'index.html'), 'utf8'),
      team: readFileSync(join(teamDir, readdirSync(teamDir).find((f) => f.endsWith('.html'))!), 'utf8'),
    };
  }
});

describe('policy_target is the catalogue resolved against the policy', () => {
  it('holds every KPI with its target, direction, order, unit and labels', () => {
    const rows = pledgeJson(['query', ...at, '--month', '2025-10',
      'select kpi, target, direction, kpi_order, kpi_unit, label_zh, label_en from policy_target order by kpi_order']);
    // The honest policy's targets; reopen_rate_max is not set there (the default 0.05); the mean
    // score target 80 is on a 0-100 scale (satisfaction.scale_max 100), so 80 points. The three
    // commitments have no target of their own (targets.timeliness) and no label (their keys).
    expect(rows).toEqual([
      { kpi: 'timeliness', target: 0.95, direction: 'at_least', kpi_order: 1, kpi_unit: 'share', label_zh: '承诺及时率', label_en: 'Timeliness (all commitments)' },
      { kpi: 'resolution_rate', target: 0.9, direction: 'at_least', kpi_order: 2, kpi_unit: 'share', label_zh: '解决率', label_en: 'Resolution rate' },
      { kpi: 'satisfaction_rate', target: 0.6, direction: 'at_least', kpi_order: 3, kpi_unit: 'share', label_zh: '满意率', label_en: 'Satisfaction rate' },
      { kpi: 'satisfaction_mean', target: 80, direction: 'at_least', kpi_order: 4, kpi_unit: 'points', label_zh: '满意度均分', label_en: 'Mean satisfaction' },
      { kpi: 'survey_coverage', target: 0.8, direction: 'at_least', kpi_order: 5, kpi_unit: 'share', label_zh: '回访率', label_en: 'Survey coverage' },
      { kpi: 'reopen_rate', target: 0.05, direction: 'at_most', kpi_order: 6, kpi_unit: 'share', label_zh: '重办率', label_en: 'Reopen rate' },
      { kpi: 'timeliness:register', target: 0.95, direction: 'at_least', kpi_order: 11, kpi_unit: 'share', label_zh: 'register及时率', label_en: 'register: on time' },
      { kpi: 'timeliness:first_response', target: 0.95, direction: 'at_least', kpi_order: 12, kpi_unit: 'share', label_zh: 'first_response及时率', label_en: 'first_response: on time' },
      { kpi: 'timeliness:resolve', target: 0.95, direction: 'at_least', kpi_order: 13, kpi_unit: 'share', label_zh: 'resolve及时率', label_en: 'resolve: on time' },
    ]);
  });
});

describe('a KPI added to the catalogue', () => {
  let wh: Warehouse;
  // An "at most" share KPI, shown after the reopen rate, judged against targets.reopen_rate_max (0.05).
  const added: KpiEntry = { key: 'reopened_twice', label: { zh: '二次重办率', en: 'Reopened twice' }, direction: 'at_most', unit: 'share', order: 7, target: 'reopen_rate_max' };
  const policy = loadPolicy(policyFile);

  beforeAll(async () => {
    wh = await Warehouse.open(':memory:');
    await loadPolicyTables(wh, policy, [...KPI_CATALOGUE, added]);
  });
  afterAll(() => wh?.close());

  it('appears in policy_target with its direction, unit, order and target, the commitments after it', async () => {
    const rows = await wh.rows("select kpi, target, direction, kpi_order, kpi_unit, label_en from policy_target where kpi in ('reopened_twice', 'reopen_rate', 'timeliness:register') order by kpi_order");
    expect(rows).toEqual([
      { kpi: 'reopen_rate', target: 0.05, direction: 'at_most', kpi_order: 6, kpi_unit: 'share', label_en: 'Reopen rate' },
      { kpi: 'reopened_twice', target: 0.05, direction: 'at_most', kpi_order: 7, kpi_unit: 'share', label_en: 'Reopened twice' },
      { kpi: 'timeliness:register', target: 0.95, direction: 'at_least', kpi_order: 11, kpi_unit: 'share', label_en: 'register: on time' },
    ]);
  });

  it('is judged by pledge_on_target in its direction and shown on a tile with its label, red, "≤ 5.0%"', async () => {
    // 8% against "at most 5%": missed. 4% would meet it.
    const queries = join(dir, 'queries');
    const panelsDir = join(dir, 'panels');
    mkdirSync(join(queries, 'report'), { recursive: true });
    mkdirSync(panelsDir, { recursive: true });
    writeFileSync(join(queries, 'report', 'added_tile.sql'), `-- added_tile: the added KPI at 8% and at 4%, judged against its target.
-- Columns:
--   kpi  VARCHAR  KPI name
select kpi, v as actual, target, direction, pledge_on_target(v, target, direction, 1) as on_target,
       null::double as previous, 1 as denominator, 0 as unknown
from policy_target, (values (0.08), (0.04)) as t(v)
where kpi = 'reopened_twice'
order by v desc
`);
    writeFileSync(join(panelsDir, '10-added.yaml'), 'title: Added\ntype: tiles\nquery: report/added_tile.sql\n');
    const [panel] = loadPanels(panelsDir);
    const targets = new Map((await wh.rows('select * from policy_target')).map((t) => [String(t.kpi), t]));
    for (const [lang, name] of [['en', 'Reopened twice'], ['zh', '二次重办率']] as const) {
      const ctx: PanelContext = { wh, policy, lang, params: {}, queriesDir: queries, targets };
      const html = renderPanel(panel, await panelRows(panel, ctx), ctx);
      const tiles = [...html.matchAll(/<div class="tile (\w+)" data-kpi="reopened_twice"[^>]*>\s*<div class="name" title="([^"]*)">[\s\S]*?<div class="target">[^<]*?([≤≥]) ([^<]*)<\/div>/g)]
        .map((m) => ({ state: m[1], name: m[2], sign: m[3], target: m[4] }));
      expect(tiles).toEqual([
        { state: 'red', name, sign: '≤', target: '5.0%' },
        { state: 'green', name, sign: '≤', target: '5.0%' },
      ]);
    }
  });

  it('says every KPI met its target when the red-owners query returns no row (zh and en)', async () => {
    const panel = loadPanels(join(ROOT, 'panels', 'dashboard')).find((p) => p.id === 'red')!;
    for (const [lang, words] of [['en', 'Every KPI met its target this month.'], ['zh', '本月全部指标达标。']] as const) {
      const ctx: PanelContext = { wh, policy, lang, params: {}, queriesDir: join(ROOT, 'queries'), targets: new Map() };
      const html = renderPanel(panel, [], ctx);
      expect(html).toContain(`<p>${words}</p>`);
      expect(html).not.toContain('<table');
    }
  });

  it('refuses a panel whose words name a format that does not exist, naming the file', () => {
    const bad = join(dir, 'bad-panels');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, '10-why.yaml'), "type: sentence\nquery: report/unit_breach_drivers.sql\nsentence: { row: '{share:percnt}', empty: none }\n");
    expect(() => loadPanels(bad)).toThrow(`${join(bad, '10-why.yaml')}: "{…:percnt}" is not a format`);
  });
});

describe('the pages read the catalogue', () => {
  it('shows the tiles in the catalogue order with its labels, in both languages', () => {
    for (const lang of ['zh', 'en'] as const) {
      const tiles = [...pages[lang].dashboard.matchAll(/<div class="tile \w+" data-kpi="([^"]+)"[^>]*>\s*<div class="name" title="([^"]*)"/g)].map((m) => [m[1], m[2]]);
      const labels = lang === 'en'
        ? ['Timeliness (all commitments)', 'Resolution rate', 'Satisfaction rate', 'Mean satisfaction', 'Survey coverage', 'Reopen rate', 'register: on time', 'first_response: on time', 'resolve: on time']
        : ['承诺及时率', '解决率', '满意率', '满意度均分', '回访率', '重办率', 'register及时率', 'first_response及时率', 'resolve及时率'];
      const keys = ['timeliness', 'resolution_rate', 'satisfaction_rate', 'satisfaction_mean', 'survey_coverage', 'reopen_rate',
        'timeliness:register', 'timeliness:first_response', 'timeliness:resolve'];
      expect(tiles).toEqual(keys.map((k, i) => [k, labels[i]]));
    }
  });

  it('lists what is red from the red-owners panel file: register missed, four that cannot be judged', () => {
    const section = /<section class="panel" id="panel-red" data-panel="red" data-query="report\/red_owners.sql"[\s\S]*?<\/section>/.exec(pages.en.dashboard)![0];
    const rows = [...section.matchAll(/<tr data-kpi="([^"]+)"( class="unjudged")?>([\s\S]*?)<\/tr>/g)].map((m) => ({
      kpi: m[1], unjudged: Boolean(m[2]),
      cells: [...m[3].matchAll(/<td[^>]*>(?:<a [^>]*>)?([^<]*)/g)].map((c) => c[1]),
    }));
    // Issue 17 added two cells: the gap in points (none for a KPI that cannot be judged) and when
    // the remediation is due (only remediation.kpis, the satisfaction rate, triggers one).
    expect(rows).toEqual([
      // 4 of 6 = 66.7% against 95%: 28.3 points short; Support (its only department) missed it, judged whole.
      { kpi: 'timeliness:register', unjudged: false, cells: ['register: on time', '66.7%', '95.0%', '28.3', 'Support (66.7%)', 'Desk (66.7%)', '1', 'not triggered'] },
      // 7 of 10 judged of 18 due: 55.6% judged, below targets.min_judged_share 95%. Support cannot be judged
      // either, so it is not counted as missing the target.
      { kpi: 'timeliness', unjudged: true, cells: ['Timeliness (all commitments)', 'cannot be judged (70.0%) · judged 55.6%', '95.0%', '–', 'Support (70.0%)', 'Desk (70.0%)', '0', 'not triggered'] },
      // resolve clocks: 3 resolved of 4 judged, 2 unknown: 4 / 6 = 66.7% judged.
      { kpi: 'resolution_rate', unjudged: true, cells: ['Resolution rate', 'cannot be judged (75.0%) · judged 66.7%', '90.0%', '–', 'Support (75.0%)', 'Desk (75.0%)', '0', 'not triggered'] },
      // nothing judged: no value, and no unit to name.
      { kpi: 'timeliness:first_response', unjudged: true, cells: ['first_response: on time', 'cannot be judged · judged 0.0%', '95.0%', '–', '–', '–', '0', 'not triggered'] },
      { kpi: 'timeliness:resolve', unjudged: true, cells: ['resolve: on time', 'cannot be judged (75.0%) · judged 66.7%', '95.0%', '–', 'Support (75.0%)', 'Desk (75.0%)', '0', 'not triggered'] },
    ]);
    expect(/<tr data-kpi="[^"]+"[^>]*><td data-field="kpi"[^>]*>[^<]*<\/td><td class="num muted"/.test(section)).toBe(true);
    const zh = /<section class="panel" id="panel-red"[\s\S]*?<\/section>/.exec(pages.zh.dashboard)![0];
    expect(zh).toContain('<h2>未达标及责任部门</h2>');
    expect(zh).toContain('>无法判定 (70.0%) · 可判定 55.6%<');
  });

  it('says why in words from the sentence panel file, without the category the export lacks', () => {
    // register: 2 of the team's 3 breaches = 66.7%.
    expect(pages.en.team).toContain('<p class="why">Most breaches this month came from the commitment register (2, 66.7%).</p>');
    expect(pages.zh.team).toContain('<p class="why">本月违约主要集中在承诺register（2 件，占 66.7%）。</p>');
    expect(pages.en.team).toMatch(/<section class="panel" id="panel-40-why-sentence" data-panel="40-why-sentence" data-query="report\/unit_breach_drivers.sql"/);
  });
});

describe('no report module writes a KPI key', () => {
  it('finds no catalogue key nor the per-commitment prefix as a string literal in src/reports/*.ts', () => {
    const keys = [...KPI_CATALOGUE.map((k) => k.key), 'timeliness:'];
    const found: string[] = [];
    const files = readdirSync(join(ROOT, 'src', 'reports')).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'src', 'reports', f), 'utf8');
      for (const k of keys) {
        // 'k', "k" or `k…: a key written as a literal (a field name inside a word does not count).
        if (new RegExp(`['"\`]${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(text)) found.push(`${f}: ${k}`);
      }
    }
    expect(found).toEqual([]);
  });
});

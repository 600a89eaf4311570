// The assessment pack's appeal section and, under the points scheme, its points (issue 20), on
// the hand-worked fixtures of test/models/appeals.test.ts and points-scheme.test.ts
// (test/support/scoring-fixtures.ts), through the real CLI: pledge assess writes them as
// evidence files and on the page, pledge verify re-computes them and catches an edited one.
//
// Appeals (2025Q4, as of its end, 2026-01-01 00:00): the window for October's verdicts ends
// 2025-11-07 18:00 (5 working days after the month; 11-01 a Saturday, not counted).
//   P1 resolve  filed 11-05, approved 11-10: applied. Its clock (breached) comes out of 一组's
//               October figures, and so of 客服部's and the organisation's (one team, one
//               department): timeliness:resolve 2/4 → 2/3 (P2, P4 met; P1, P3 breached),
//               timeliness 6/8 → 6/7 (register 4/4 + resolve), resolution_rate 4/4 → 3/3 (all
//               four resolved by the as-of), reopen_rate 0/4 → 0/3 (none reopened: its
//               denominator is the resolved ones). 4 KPIs × 3 levels × (October + the quarter) =
//               24 figures changed, each naming P1:resolve alone.
//   P4 whole    filed 11-06, rejected: no figure changed.
//   P3 resolve  filed 11-10, approved 11-12, but after the window: late, ignored.
//   P2          no decision time: rejected at ingest, so not an appeal at all.
// Listed by filing time: P1, P4, P3.
//
// Points (2025Q4 as of 2025-11-01 00:00, the as-of the points test works its score out at):
//   一组 10 + 15 + 16 + 1 − 2 = 40, class A's maximum 35 → 35, rank 1 of 2, red list;
//   二组 10 + 0 + 5 − 3 = 12, rank 2, black list; lines of 一组 in order: resolution_rate 15,
//   timeliness:register 16, returned −2, follow_up +1 (capped), tamper 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { pledge, pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport } from '../support/browser.ts';
import { writeAppealsFixture, writePointsFixture } from '../support/scoring-fixtures.ts';

type Csv = Record<string, string>[];
const readCsv = (file: string): Csv => parse(readFileSync(file), { columns: true }) as Csv;
const dir = tempDir('pledge-assess-scoring-');
const appealsDir = join(dir, 'appeals');
const pointsDir = join(dir, 'points');
const appealsWh = join(appealsDir, 'w.duckdb');
const pointsWh = join(pointsDir, 'w.duckdb');
const packZh = join(dir, 'pack-zh');
const packEn = join(dir, 'pack-en');
const packPoints = join(dir, 'pack-points');
const packWeighted = join(dir, 'pack-weighted');
const packPointsEn = join(dir, 'pack-points-en');
let appealsPolicy = '';
const manifestOf = (pack: string) => JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
const section = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf('</section>', html.indexOf(`id="${id}"`)));

beforeAll(() => {
  mkdirSync(appealsDir);
  mkdirSync(pointsDir);
  const a = writeAppealsFixture(appealsDir);
  appealsPolicy = a.policy;
  for (const f of [a.complaints, a.appeals]) pledgeOk(['ingest', f, '--warehouse', appealsWh, '--policy', a.policy, '--exported-at', '2025-11-25 00:00']);
  pledgeOk(['assess', '--quarter', '2025Q4', '--warehouse', appealsWh, '--policy', a.policy, '--out', packZh]);
  pledgeOk(['assess', '--quarter', '2025Q4', '--warehouse', appealsWh, '--policy', a.policy, '--out', packEn, '--lang', 'en']);
  const p = writePointsFixture(pointsDir);
  for (const f of p.inputs) pledgeOk(['ingest', f, '--warehouse', pointsWh, '--policy', p.policy, '--exported-at', '2025-11-06 00:00']);
  pledgeOk(['assess', '--quarter', '2025Q4', '--as-of', '2025-11-01 00:00', '--warehouse', pointsWh, '--policy', p.policy, '--out', packPoints]);
  pledgeOk(['assess', '--quarter', '2025Q4', '--as-of', '2025-11-01 00:00', '--warehouse', pointsWh, '--policy', p.weighted, '--out', packWeighted]);
  pledgeOk(['assess', '--quarter', '2025Q4', '--as-of', '2025-11-01 00:00', '--warehouse', pointsWh, '--policy', p.policy, '--out', packPointsEn, '--lang', 'en']);
}, 240_000);

describe('the pack\'s appeals', () => {
  it('lists every appeal of the quarter with its decision and status: P1 applied, P4 rejected, P3 late', () => {
    const rows = readCsv(join(packZh, 'evidence', 'appeals.csv'));
    expect(rows.map((r) => [r.complaint_id, r.commitment, r.scope, r.decision, r.status, r.verdict_status, r.window_ends_at])).toEqual([
      ['P1', 'resolve', 'commitment', 'approved', 'applied', 'breached', '2025-11-07 18:00:00+08'],
      ['P4', '', 'complaint', 'rejected', 'rejected', '', '2025-11-07 18:00:00+08'],
      ['P3', 'resolve', 'commitment', 'approved', 'late', 'breached', '2025-11-07 18:00:00+08'],
    ]);
    // The reason is personal data: not in the pack.
    expect(readFileSync(join(packZh, 'evidence', 'appeals.csv'), 'utf8')).not.toMatch(/13800138000|不合理诉求|重复投诉/);
  });

  it('gives the effect on each figure: with no appeal applied and as reported, per level and period', () => {
    const rows = readCsv(join(packZh, 'evidence', 'appeal_effects.csv'));
    expect(rows.length).toBe(24);
    expect(new Set(rows.map((r) => r.appeals))).toEqual(new Set(['P1:resolve']));
    const team = Object.fromEntries(rows.filter((r) => r.level === 'team' && r.period === '2025-10')
      .map((r) => [r.kpi, `${Number(r.numerator_unappealed)}/${Number(r.denominator_unappealed)} → ${Number(r.numerator)}/${Number(r.denominator)}`]));
    expect(team).toEqual({
      'timeliness:resolve': '2/4 → 2/3', timeliness: '6/8 → 6/7', resolution_rate: '4/4 → 3/3', reopen_rate: '0/4 → 0/3',
    });
    // One team in one department in one month: every level and the quarter change the same way.
    for (const r of rows) expect(`${r.period} ${r.kpi} ${Number(r.numerator)}/${Number(r.denominator)}`).toBe(`${r.period} ${r.kpi} ${team[r.kpi].split(' → ')[1]}`);
    expect(rows.filter((r) => r.period === '2025Q4').length).toBe(12);
    // As reported is what the pack's KPI table says for the quarter.
    const kpi = readCsv(join(packZh, 'evidence', 'kpi.csv')).find((r) => r.period === '2025Q4' && r.department === '' && r.kpi === 'timeliness:resolve')!;
    expect(`${Number(kpi.numerator)}/${Number(kpi.denominator)}`).toBe('2/3');
  });

  it('agrees with kpi_unit_monthly.appealed, counted another way: no appeal applied = reported + appealed', () => {
    // kpi_fact_monthly counts what applied appeals took out of each denominator (appealed); the pack
    // runs the KPI SQL again with no appeal applied. Every changed month figure must be the sum.
    const rows = readCsv(join(packZh, 'evidence', 'appeal_effects.csv')).filter((r) => r.period_kind === 'month');
    const appealed = pledgeJson<{ level: string; unit: string | null; kpi: string; denominator: number; appealed: number }>(['query',
      '--warehouse', appealsWh, '--policy', appealsPolicy, '--as-of', '2026-01-01 00:00',
      `select level, unit, kpi, denominator, appealed from kpi_unit_monthly where month = date '2025-10-01' and appealed > 0 order by all`]);
    expect(appealed.map((r) => `${r.level} ${r.unit ?? ''} ${r.kpi} ${r.denominator + r.appealed}`).sort())
      .toEqual(rows.map((r) => `${r.level} ${r.unit} ${r.kpi} ${Number(r.denominator_unappealed)}`).sort());
  });

  it('shows them on the page in Chinese and in English, the late one as ignored', () => {
    const zh = section(readFileSync(join(packZh, 'index.html'), 'utf8'), 'appeals');
    const p1 = zh.slice(zh.indexOf('data-complaint="P1"'), zh.indexOf('</tr>', zh.indexOf('data-complaint="P1"')));
    expect(p1).toContain('data-status="applied"');
    expect(p1).toContain('已采纳');
    expect(p1).toContain('一组 · 2025-10 · resolve及时率：2/4 (50.0%) → 2/3 (66.7%)');
    expect(p1).toContain('6/8 (75.0%) → 6/7 (85.7%)');
    const p3 = zh.slice(zh.indexOf('data-complaint="P3"'), zh.indexOf('</tr>', zh.indexOf('data-complaint="P3"')));
    expect(p3).toContain('超过申诉期限：不予受理');
    expect(p3).toContain('未改变任何数字');
    expect(zh).toContain('<td>P4</td><td>整单</td>');
    const en = section(readFileSync(join(packEn, 'index.html'), 'utf8'), 'appeals');
    expect(en).toContain('<h2>Appeals</h2>');
    expect(en).toMatch(/data-complaint="P3"[^]*filed after the window: ignored[^]*changed no figure/);
    expect(en).toContain('2/4 (50.0%) → 2/3 (66.7%)');
  });

  it('is checked by pledge verify: it passes, and an edited appeals CSV is named', () => {
    const ok = pledge(['verify', packZh, '--inputs', appealsDir]);
    expect(ok.stdout).toContain('match     evidence/appeals.csv\n');
    expect(ok.stdout).toContain('match     evidence/appeal_effects.csv\n');
    expect(ok.code, ok.stdout).toBe(0);
    const tampered = join(dir, 'pack-tampered');
    cpSync(packZh, tampered, { recursive: true });
    const file = join(tampered, 'evidence', 'appeals.csv');
    // Line 4 is P3's: its late appeal said to be applied.
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[3]).toContain(',approved,late,');
    lines[3] = lines[3].replace(',approved,late,', ',approved,applied,');
    writeFileSync(file, lines.join('\n'));
    const r = pledge(['verify', tampered, '--inputs', appealsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISMATCH  evidence/appeals.csv: SHA-256 differs from the manifest: changed after the pack was made; differs from the re-computed file at line 4');
    expect(r.stdout).toContain('match     evidence/appeal_effects.csv');
  }, 120_000);

  it('says in one line when the quarter has no appeal', () => {
    const html = readFileSync(join(packWeighted, 'index.html'), 'utf8');
    expect(section(html, 'appeals')).toMatch(/^id="appeals"><h2>申诉<\/h2>\n<p id="no-appeals">本季度无申诉。<\/p>\n$/);
    expect(readFileSync(join(packWeighted, 'evidence', 'appeals.csv'), 'utf8').trim().split('\n')).toHaveLength(1);   // the header alone
  });
});

describe('the pack\'s points (scorecard.scheme: points)', () => {
  it('gives each unit\'s score per month: 一组 35 (capped, red list), 二组 12 (black list)', () => {
    const rows = readCsv(join(packPoints, 'evidence', 'points.csv')).filter((r) => r.period === '2025-10');
    const team = (unit: string) => rows.find((r) => r.level === 'team' && r.unit === unit)!;
    expect([team('一组').score, team('一组').uncapped, team('一组').class_max, team('一组').capped, team('一组').rank, team('一组').list])
      .toEqual(['35.0', '40.0', '35.0', 'true', '1', 'red']);
    expect([team('二组').score, team('二组').rank, team('二组').list]).toEqual(['12.0', '2', 'black']);
    const html = readFileSync(join(packPoints, 'index.html'), 'utf8');
    expect(section(html, 'points')).toMatch(/<tr data-period="2025-10" data-level="team" data-unit="一组" data-score="35">[^]*?35\.0 \(A, 已封顶\)[^]*?红榜/);
  });

  it('and how each line was earned or lost', () => {
    const lines = readCsv(join(packPoints, 'evidence', 'points_lines.csv')).filter((r) => r.period === '2025-10' && r.level === 'team' && r.unit === '一组');
    expect(lines.map((r) => [r.line, Number(r.points), r.how])).toEqual([
      ['resolution_rate', 15, 'deducted'], ['timeliness:register', 16, 'deducted'],
      ['returned', -2, 'penalty'], ['follow_up', 1, 'capped'], ['tamper', 0, 'none'],
    ]);
    const html = section(readFileSync(join(packPoints, 'index.html'), 'utf8'), 'points');
    expect(html).toMatch(/data-unit="一组" data-line="timeliness:register" data-points="16">[^]*?低于考核线 [\d.]+ 个百分点，差 1 件，扣 4 分/);
    expect(html).toMatch(/data-unit="一组" data-line="returned" data-points="-2">[^]*?退单[^]*?1 次，减分/);
    // In English: the items' own labels (label:), and counts that agree with their noun.
    const en = section(readFileSync(join(packPointsEn, 'index.html'), 'utf8'), 'points');
    expect(en).toContain('<h2>Points</h2>');
    expect(en).toMatch(/data-unit="一组" data-line="timeliness:register" data-points="16">[^]*?10 points short of its line, 1 case short: 4 off/);
    expect(en).toMatch(/data-unit="一组" data-line="returned" data-points="-2">[^]*?Sent back[^]*?1 time: penalty/);
    expect(en).toMatch(/data-unit="一组" data-line="follow_up" data-points="1">[^]*?Follow-up[^]*?3 times: at its maximum/);
  });

  it('writes the points files with exactly the columns their SQL headers declare', () => {
    for (const [file, query] of [['points', 'assess_points'], ['points_lines', 'assess_points_lines'], ['appeals', 'assess_appeals'], ['appeal_effects', 'assess_appeal_effects']]) {
      const sql = readFileSync(join(packPoints, 'sql', 'assess', `${query}.sql`), 'utf8');
      const declared = [...sql.split('-- Columns:\n')[1].split(/\n(?!--)/)[0].matchAll(/^-- {3}([a-z_0-9]+) +[A-Z]/gm)].map((m) => m[1]);
      expect(readFileSync(join(packPoints, 'evidence', `${file}.csv`), 'utf8').split('\n')[0].split(','), file).toEqual(declared);
    }
  });

  it('is checked by pledge verify', () => {
    const r = pledge(['verify', packPoints, '--inputs', pointsDir]);
    expect(r.stdout).toContain('match     evidence/points.csv\n');
    expect(r.stdout).toContain('match     evidence/points_lines.csv\n');
    expect(r.code, r.stdout).toBe(0);
  }, 120_000);

  it('is not in a pack under the weighted scheme', () => {
    const files = manifestOf(packWeighted).files.map((f) => f.path);
    // The SQL is carried whatever the scheme (sql/ holds every file); no points evidence is written.
    expect(files.filter((f) => !f.startsWith('sql/') && f.includes('points'))).toEqual([]);
    expect(files).toContain('evidence/appeals.csv');
    expect(readFileSync(join(packWeighted, 'index.html'), 'utf8')).not.toContain('id="points"');
  });
});

describe('the appeal and points sections in Chromium, as an assessor sees them', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launch(); }, 60_000);
  afterAll(async () => { await browser?.close(); });

  it('shows P1\'s effect and P3 as ignored, with no error and no sideways scrolling on a 1366 px screen', async () => {
    const opened = await openReport(browser, join(packZh, 'index.html'), { width: 1366, height: 900 });
    expect(opened.consoleErrors).toEqual([]);
    const seen = await opened.page.evaluate(() => ({
      p1: (document.querySelector('#appeals-table tr[data-complaint="P1"]') as HTMLElement).innerText,
      p3: (document.querySelector('#appeals-table tr[data-complaint="P3"]') as HTMLElement).innerText,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }));
    expect(seen.p1).toContain('resolve及时率：2/4 (50.0%) → 2/3 (66.7%)');
    expect(seen.p3).toContain('超过申诉期限：不予受理，照常计入');
    expect(seen.overflow).toBeLessThanOrEqual(0);
    mkdirSync(join(ROOT, 'test', 'out'), { recursive: true });
    await opened.page.locator('#appeals').screenshot({ path: join(ROOT, 'test', 'out', 'assess-appeals-2025Q4.png') });
    await opened.page.close();
  }, 60_000);

  it('shows 一组\'s score of 35 in the points table', async () => {
    const opened = await openReport(browser, join(packPoints, 'index.html'), { width: 1366, height: 900 });
    expect(opened.consoleErrors).toEqual([]);
    const row = await opened.page.$eval('#points-table tr[data-unit="一组"][data-period="2025-10"]', (tr) => (tr as HTMLElement).innerText);
    expect(row.split('\t').map((c) => c.trim())).toEqual(['2025-10', '班组', '1/2', '一组', '35.0', '31.0', '1.0', '-2.0', '35.0 (A, 已封顶)', '红榜']);
    await opened.page.close();
  }, 60_000);
});

// The points scheme (issue 20, scorecard.scheme: points): a score per unit from a full score per
// KPI less points below its line (per percentage point or per case), never below a floor, plus
// bonus and penalty items counted from flow-log events and findings, capped by the unit's
// class, and the red and black lists (红黑榜). Real CLI, real DuckDB; as of 2025-11-01 00:00.
//
// Policy: base 10 · resolution_rate full 25, line 0.90, 1 point off per percentage point, floor 0
//         · timeliness:register full 20, line 0.80, 4 points off per case short, floor 5
//         · items: returned (退回) -2 each; survey events +0.5 each, at most 1; tamper findings -3 each
//         · unit_classes: A max 35 (一组), B max 100 (二组); lists: 1
// Data (department 客服部; register within 24h, resolve within 3d):
//   一组 A01–A10 received Mon 10-13 09:00; registered 10:00 (A01–A07: met) or Wed 10-15 10:00 (A08–A10: 49 h, breached);
//        resolved Tue 10-14 09:00 (A01–A08), A09 and A10 never (overdue); log: A01 returned once, survey for A01–A03.
//   二组 B01–B05 received Tue 10-14 09:00; registered Thu 10-16 10:00 (all breached); resolved 10-15 09:00 (B01, B02);
//        B01 was exported first as urgent and then as general: a tamper finding (severity lowered).
// 一组: resolution 8/10 = 0.80: 10 points below the line → 25 - 10 = 15
//       register 7/10: cases short ceil(0.8 × 10) - 7 = 1 → 20 - 4 = 16
//       returned 1 × -2 = -2; survey 3 × 0.5 = 1.5, at most 1 → +1 (capped)
//       10 + 15 + 16 + 1 - 2 = 40, class A's maximum 35 → 35 (capped)
// 二组: resolution 2/5 = 0.40: 50 points below → 25 - 50 = -25, floor 0 → 0
//       register 0/5: short ceil(0.8 × 5) - 0 = 4 → 20 - 16 = 4, floor 5 → 5
//       tamper 1 × -3 = -3 → 10 + 0 + 5 - 3 = 12 (class B, max 100: not capped)
// 客服部: resolution 10/15: (0.9 - 0.666667) × 100 = 23.333333 below → 1.666667
//       register 7/15: short ceil(12) - 7 = 5 → 20 - 20 = 0, floor 5 → 5
//       items -2 + 1 - 3 → 10 + 1.666667 + 5 - 4 = 12.666667 (in no class: no cap)
// Ranks: teams 一组 35 (1, red list), 二组 12 (2, black list); the department 1 of 1 (red list).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { POINTS_BASE_POLICY, writePointsFixture } from '../support/scoring-fixtures.ts';
import { parsePolicy } from '../../src/warehouse/policy.ts';

const dir = tempDir('pledge-points-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const weighted = join(dir, 'weighted.yaml');
const asOf = '2025-11-01 00:00';
const q = <T = Record<string, unknown>>(sql: string, p = policy) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', p, '--as-of', asOf, sql]);

const BASE = POINTS_BASE_POLICY;

beforeAll(() => {
  const fixture = writePointsFixture(dir);
  expect([fixture.policy, fixture.weighted]).toEqual([policy, weighted]);
  for (const f of fixture.inputs) pledgeOk(['ingest', f, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-06 00:00']);
});

describe('the points scheme', () => {
  it('scores each line as worked out by hand: line, deduction, floor, bonus, penalty', () => {
    const rows = q<{ unit: string; line: string; points: number; how: string; shortfall: number | null; cases_short: number | null; occurrences: number | null }>(
      `select unit, line, points, how, shortfall, cases_short, occurrences from kpi_points_lines_monthly
       where month = date '2025-10-01' order by level, unit, line_order`);
    const of = (unit: string) => rows.filter((r) => r.unit === unit).map((r) => [r.line, r.points, r.how]);
    expect(of('一组')).toEqual([
      ['resolution_rate', 15, 'deducted'], ['timeliness:register', 16, 'deducted'],
      ['returned', -2, 'penalty'], ['follow_up', 1, 'capped'], ['tamper', 0, 'none'],
    ]);
    expect(of('二组')).toEqual([
      ['resolution_rate', 0, 'floor'], ['timeliness:register', 5, 'floor'],
      ['returned', 0, 'none'], ['follow_up', 0, 'none'], ['tamper', -3, 'penalty'],
    ]);
    const dept = rows.filter((r) => r.unit === '客服部');
    expect(dept.map((r) => r.line)).toEqual(['resolution_rate', 'timeliness:register', 'returned', 'follow_up', 'tamper']);
    expect(dept[0].shortfall).toBeCloseTo(23.333333, 6);
    expect(dept[0].points).toBeCloseTo(1.666667, 6);
    expect(dept.slice(1).map((r) => [r.points, r.cases_short ?? r.occurrences])).toEqual([[5, 5], [-2, 1], [1, 3], [-3, 1]]);
    expect(rows.find((r) => r.unit === '一组' && r.line === 'timeliness:register')!.cases_short).toBe(1);
    expect(rows.find((r) => r.unit === '一组' && r.line === 'resolution_rate')!.shortfall).toBe(10);
  });

  it('adds them up, caps by the unit class, ranks, and lists the best and worst (红黑榜)', () => {
    const rows = q<Record<string, unknown>>(`select level, unit, uncapped, unit_class, class_max, score, capped, rank, list
      from kpi_points_monthly where month = date '2025-10-01' order by level, rank`);
    expect(rows.map((r) => [r.level, r.unit, r.unit_class, r.score, r.capped, r.rank, r.list])).toEqual([
      ['department', '客服部', null, expect.closeTo(12.666667, 6), false, 1, 'red'],
      ['team', '一组', 'A', 35, true, 1, 'red'],
      ['team', '二组', 'B', 12, false, 2, 'black'],
    ]);
    expect(rows[1].uncapped).toBe(40);
  });

  it('the dashboard and the review page show the points and how each was earned or lost; the weighted scheme shows none', () => {
    const out = join(dir, 'out');
    pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--policy', policy, '--out', out, '--lang', 'zh']);
    const dash = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
    const ranking = dash.slice(dash.indexOf('id="panel-46-points-ranking"'), dash.indexOf('</section>', dash.indexOf('id="panel-46-points-ranking"')));
    expect(ranking).toContain('data-unit="一组"');
    expect(ranking).toMatch(/<tr data-unit="一组">.*35.*已封顶.*红榜/s);
    expect(ranking).toMatch(/<tr data-unit="二组">.*12.*黑榜/s);
    const teamPages = readdirSync(join(out, '2025-10', 'team')).filter((f) => f.endsWith('.html'));
    const page = teamPages.map((f) => readFileSync(join(out, '2025-10', 'team', f), 'utf8')).find((h) => h.includes('· 一组 ·'))!;
    const section = page.slice(page.indexOf('id="panel-12-points"'), page.indexOf('</section>', page.indexOf('id="panel-12-points"')));
    expect(section).toMatch(/<tr data-line="resolution_rate">.*低于考核线 10(\.0)? 个百分点，扣 10(\.0)? 分.*15/s);
    expect(section).toMatch(/<tr data-line="timeliness:register">.*差 1 件，扣 4(\.0)? 分.*16/s);
    expect(section).toMatch(/<tr data-line="returned">.*退单.*1 次，减分.*-2/s);
    expect(section).toMatch(/<tr data-line="score">.*得分.*已达上限.*35/s);
    // Under the weighted scheme (the default) neither section is on the page.
    const wout = join(dir, 'wout');
    pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--policy', weighted, '--out', wout, '--lang', 'zh']);
    expect(readFileSync(join(wout, '2025-10', 'index.html'), 'utf8')).not.toContain('points-ranking');
    expect(q(`select count(*) as n from kpi_points_monthly`, weighted)).toEqual([{ n: 0 }]);
  });
});

describe('the points scheme in the policy file is checked', () => {
  const error = (scorecard: string) => {
    try { parsePolicy(`scorecard:\n${scorecard}\n${BASE}`, 'p.yaml'); return ''; } catch (e) { return (e as Error).message; }
  };
  it('names the key of each mistake', () => {
    expect(error('  scheme: points\n  weights: { resolution_rate: 1 }')).toBe('p.yaml: scorecard.points.kpis: the points scheme needs at least one KPI (e.g. resolution_rate: { full: 25, line: 0.9, per_point: 1 })');
    expect(error('  weights: { resolution_rate: 1 }\n  points: { kpis: { resolution: { full: 25, line: 0.9, per_point: 1 } } }'))
      .toMatch(/^p\.yaml: scorecard\.points\.kpis\.resolution: not a KPI \(one of timeliness, resolution_rate, /);
    expect(error('  weights: { resolution_rate: 1 }\n  points: { kpis: { resolution_rate: { full: 25, line: 0.9 } } }'))
      .toBe('p.yaml: scorecard.points.kpis.resolution_rate: give one of per_point (points off per percentage point below the line) or per_case (per case short of it)');
    expect(error('  weights: { resolution_rate: 1 }\n  points: { items: [{ name: x, event: complained, points: -2 }] }'))
      .toMatch(/^p\.yaml: scorecard\.points\.items\[0\]\.event: "complained" is not a flow-log event \(one of paused, /);
    expect(error('  weights: { resolution_rate: 1 }\n  unit_classes: { A: { max: 150, units: [一组] }, B: { max: 100, units: [一组] } }'))
      .toBe('p.yaml: scorecard.unit_classes.B.units: "一组" is already in class A');
  });
});

// The review, parity, repeat, at-risk and remediation views on a hand-written
// fixture (test/fixtures/review.csv, policy test/fixtures/policy-review.yaml:
// first response within 2 h, resolved within 3 calendar days), through the real
// CLI and a real DuckDB file, for October 2025 (as of 2025-11-01 00:00).
//
// Worked out by hand from the fixture:
//   first response: R1 met (1 h), R2 breached (3 h), R3 overdue (never), R4 met, R5 met, R6 met.
//   resolve (due in October): R1 met, R2 met, R3 overdue, R4 met; R5 (due 11-02 09:00)
//   and R6 (due 11-01 06:00) are pending and fall due in November.
//   satisfaction (feedback in October): R1 90 (satisfied), R2 60 (not), R4 100 (satisfied).
//   Team 一部甲组 (R1-R3): first response 1/3, resolution 2/3, satisfaction 1/2.
//   Team 二部乙组 (R4-R6): first response 3/3, resolution 1/1, satisfaction 1/1.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { readFileSync, writeFileSync } from 'node:fs';

const policy = join(FIXTURES, 'policy-review.yaml');
let warehouse: string;
const q = <T = Record<string, unknown>>(sql: string, extra: string[] = []) =>
  pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', ...extra, sql]);

beforeAll(() => {
  warehouse = join(tempDir(), 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'review.csv'), '--warehouse', warehouse, '--policy', policy]);
});

describe('composite score and rank (weights 30/35/35)', () => {
  it('scores each team and the organisation as the weighted mean of its three rates', () => {
    const rows = q<{ level: string; unit: string | null; composite: number; rank: number; units_ranked: number }>(
      "select level, unit, composite, rank, units_ranked from kpi_composite_monthly where month = '2025-10-01' and level <> 'department' order by level, rank");
    // 一部甲组: 100 x (0.30 x 1/3 + 0.35 x 2/3 + 0.35 x 1/2) = 10 + 23.333… + 17.5 = 50.8333…
    // 二部乙组: 100 x (0.30 + 0.35 + 0.35) = 100
    // organisation: first response 4/6, resolution 3/4, satisfaction 2/3:
    //   100 x (0.30 x 4/6 + 0.35 x 3/4 + 0.35 x 2/3) = 20 + 26.25 + 23.333… = 69.5833…
    expect(rows.map((r) => [r.level, r.unit, r.rank, r.units_ranked])).toEqual([
      ['organisation', null, 1, 1], ['team', '二部乙组', 1, 2], ['team', '一部甲组', 2, 2]]);
    expect(rows[0].composite).toBeCloseTo(69.58333333, 6);
    expect(rows[1].composite).toBeCloseTo(100, 9);
    expect(rows[2].composite).toBeCloseTo(50.83333333, 6);
  });

  it('lists the handlers of a team: breaches while holding, complaints owned as first handler', () => {
    const rows = pledgeJson(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10',
      '--param', 'level=team', '--param', 'unit=一部甲组', '--file', 'queries/report/unit_handlers.sql']);
    // 李雷 held R3 (both commitments overdue); 王芳 held R1 and R2 (R2's first response breached)
    // and is first handler of R1, R2 and R3; her R1 (90) and R2 (60) were surveyed: 1 of 2 satisfied.
    expect(rows).toEqual([
      { handler: '李雷', owned: 0, judged: 2, breaches: 2, timeliness_rate: 0, surveyed: 0, satisfaction_rate: null },
      { handler: '王芳', owned: 3, judged: 4, breaches: 1, timeliness_rate: 0.75, surveyed: 2, satisfaction_rate: 0.5 },
    ]);
  });
});

describe('units agree with the organisation', () => {
  it('gives for the organisation in kpi_unit_monthly exactly what kpi_summary_monthly gives', () => {
    // Two files apply the same rules; a difference would show the same KPI two ways on two pages.
    const [r] = q<{ differing: number; compared: number }>(`with org as (select * from kpi_unit_monthly where level = 'organisation')
      select count(*) filter (where o.actual is distinct from s.actual or o.numerator is distinct from s.numerator
                                 or o.denominator is distinct from s.denominator) as differing, count(*) as compared
      from org o full join kpi_summary_monthly s on o.month = s.month and o.kpi = s.kpi`);
    expect(r.compared).toBeGreaterThanOrEqual(2 * 8);   // two months (September, October) x 8 KPIs
    expect(r.differing).toBe(0);
  });
});

describe('parity (gap threshold 5 points)', () => {
  it('flags online vs offline and elderly vs others on first response', () => {
    const rows = pledgeJson<{ group_a: string; group_b: string; actual_a: number; actual_b: number; gap: number; flagged: boolean }>(
      ['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', '--file', 'queries/report/parity.sql']);
    // online (app, web): R2 breached, R4 R5 R6 met → 3/4; offline (phone): R1 met, R3 overdue → 1/2.
    // elderly (CU2: R3 overdue, R5 met) → 1/2; others (R1 R2 R4 R6) → 3/4.
    expect(rows.map((r) => [r.group_a, r.group_b, r.actual_a, r.actual_b, r.gap, r.flagged])).toEqual([
      ['online', 'offline', 0.75, 0.5, 0.25, true],
      ['elderly', 'others', 0.5, 0.75, -0.25, true],
    ]);
  });
});

describe('recurring problems', () => {
  it('finds repeat complaints: same customer, same category, within 30 days', () => {
    // R2 repeats R1 (CU1, 话费争议, 7 days later); R5 repeats R3 (CU2, 网络质量, 17 days later).
    // R4 is 网络质量 too but another customer; R7 (CU5) has no earlier complaint.
    const rows = q<{ complaint_id: string; previous_complaint_id: string; days_since_previous: number }>(
      'select complaint_id, previous_complaint_id, days_since_previous from kpi_repeat_complaints order by 1');
    expect(rows).toEqual([
      { complaint_id: 'R2', previous_complaint_id: 'R1', days_since_previous: 7 },
      { complaint_id: 'R5', previous_complaint_id: 'R3', days_since_previous: 17 },
    ]);
  });

  it('ranks categories by breaches in the month (Pareto)', () => {
    const rows = pledgeJson<{ category: string; breaches: number; cumulative_breach_share: number; received: number; repeats: number }>(
      ['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', '--file', 'queries/report/category_pareto.sql']);
    // Breaches due in October: R3 first response + R3 resolve (网络质量), R2 first response (话费争议): 3 in all.
    expect(rows.map((r) => [r.category, r.breaches, r.received, r.repeats])).toEqual([
      ['网络质量', 2, 3, 1], ['话费争议', 1, 2, 1], ['账单错误', 0, 1, 0]]);
    expect(rows[0].cumulative_breach_share).toBeCloseTo(2 / 3, 12);
    expect(rows[1].cumulative_breach_share).toBeCloseTo(1, 12);
  });
});

describe('at-risk list (75% of the allowed time used)', () => {
  it('warns about R6 only: 66 of its 72 hours gone at the as-of instant', () => {
    // R6 received 10-29 06:00, due 11-01 06:00: 66 h of 72 used = 0.9167, 6 h left.
    // R5 received 10-30 09:00, due 11-02 09:00: 39 h of 72 = 0.54, not yet at risk.
    const rows = q<{ complaint_id: string; commitment: string; elapsed_share: number; hours_left: number }>(
      'select complaint_id, commitment, elapsed_share, hours_left from kpi_at_risk');
    expect(rows.map((r) => [r.complaint_id, r.commitment])).toEqual([['R6', 'resolve']]);
    expect(rows[0].elapsed_share).toBeCloseTo(66 / 72, 12);
    expect(rows[0].hours_left).toBeCloseTo(6, 12);
  });
});

describe('at-risk list on a working-hours limit', () => {
  it('counts the share in working time: R5, 16 of its 20 working hours gone, 62 calendar hours left', () => {
    // The fixture policy plus a commitment of 20 working hours (09:00-12:00, 13:00-18:00: 8 h a day).
    // R5, received Thu 10-30 09:00, not resolved: Thu 8 h + Fri 8 h + Mon 09:00-12:00 and 13:00-14:00
    // → due Mon 11-03 14:00. At the as-of instant (Sat 11-01 00:00) 16 of 20 working hours are used
    // = 0.8 ≥ 0.75; 62 calendar hours are left (Sat 00:00 → Mon 14:00). In wall time it would be
    // 39 h of 101 h (0.39) and not at risk. R6 (Wed 10-29 06:00: 8 + 8 + 4 h → Fri 10-31 14:00) and
    // R3 are overdue; the others were resolved.
    const withWh = join(tempDir(), 'policy-wh.yaml');
    writeFileSync(withWh, readFileSync(policy, 'utf8')
      + '  resolve_wh:\n    from: received_at\n    to: resolved_at\n    within: 20wh\n');
    const rows = pledgeJson<{ complaint_id: string; elapsed_share: number; hours_left: number; due_at: string }>(
      ['query', '--warehouse', warehouse, '--policy', withWh, '--month', '2025-10',
        "select complaint_id, elapsed_share, hours_left, due_at from kpi_at_risk where commitment = 'resolve_wh'"]);
    expect(rows.map((r) => [r.complaint_id, r.due_at])).toEqual([['R5', '2025-11-03 14:00:00']]);
    expect(rows[0].elapsed_share).toBeCloseTo(16 / 20, 12);
    expect(rows[0].hours_left).toBeCloseTo(62, 12);
  });
});

describe('remediation deadlines on the working-day calendar', () => {
  it('October: satisfaction 2/3 and 一部 1/2 below 85%; investigation by Tue 11-04, findings by Fri 11-07', () => {
    // The month closes Saturday 2025-11-01 (not counted); working days Mon 11-03 (1), Tue 11-04 (2) … Fri 11-07 (5).
    const rows = pledgeJson(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', '--file', 'queries/report/remediation.sql']);
    expect(rows.map((r) => [r.level, r.unit, r.investigation_due, r.findings_due])).toEqual([
      ['organisation', '', '2025-11-04 18:00:00', '2025-11-07 18:00:00'],
      ['department', '一部', '2025-11-04 18:00:00', '2025-11-07 18:00:00'],
    ]);
  });

  it('September: the National Day holiday and the make-up Saturday 10-11 move the deadlines', () => {
    // R7 (satisfaction 50) is September's only survey. The clock starts 10-01 (not counted);
    // 10-01…10-08 are holidays: working days Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 make-up (3),
    // Mon 10-13 (4), Tue 10-14 (5).
    const rows = q("select step, due_at from kpi_remediation_monthly where month = '2025-09-01' and level = 'organisation' order by step_order");
    expect(rows).toEqual([{ step: 'investigation', due_at: '2025-10-10 18:00:00' }, { step: 'findings', due_at: '2025-10-14 18:00:00' }]);
  });
});

describe('policy keys for reviews', () => {
  it('names the file and the key when a weight names no KPI', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'scorecard: { weights: { speed: 1 } }\ncommitments: { resolve: { from: received_at, to: resolved_at, within: 3wd } }\n');
    const r = pledge(['query', '--warehouse', warehouse, '--policy', bad, 'select 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${bad}: scorecard.weights.speed: not a KPI`);
  });

  it('names the key when a remediation deadline is not in working days', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'remediation: { investigation: 2h }\ncommitments: { resolve: { from: received_at, to: resolved_at, within: 3wd } }\n');
    const r = pledge(['query', '--warehouse', warehouse, '--policy', bad, 'select 1']);
    expect(r.stderr).toContain(`${bad}: remediation.investigation: "2h" is not a number of working days`);
  });
});

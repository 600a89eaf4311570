// Satisfaction on the policy's own scale (issue 14, item 8): a 1-5 survey
// (test/fixtures/policy-satisfaction-5.yaml: scale_max 5, satisfied_at 4, mean
// target 4) on a hand-made export (test/fixtures/satisfaction-5.csv), through the
// real CLI and a real DuckDB file, as of 2025-12-01 00:00.
//
// Worked out by hand from the fixture (each complaint reported back and surveyed
// in the month it was resolved):
//   October:  S1 5, S2 3, S3 3. Mean 11/3 = 3.667 of 5 = 73.333 points of 100;
//             satisfied (4 or more) 1 of 3.
//   November: S4 5, S5 4. Mean 9/2 = 4.5 of 5 = 90 points; satisfied 2 of 2.
//   The mean target 4 of 5 is 80 points: October is below it, November above.
//   (Before, the 4 was compared with 73.3 points as it stood and October was "on target".)
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-satisfaction-5.yaml');
let warehouse: string;

beforeAll(() => {
  warehouse = join(tempDir(), 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'satisfaction-5.csv'), '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-12-01 00:00']);
});

describe('a 1-5 survey with a mean target of 4', () => {
  it('compares the mean in points with the target in points: 73.3 < 80 in October, 90 >= 80 in November', () => {
    const rows = pledgeJson<{ month: string; kpi: string; actual: number; target: number; on_target: boolean; denominator: number }>(
      ['query', '--warehouse', warehouse, '--policy', policy, '--as-of', '2025-12-01 00:00',
        "select month, kpi, actual, target, on_target, denominator from kpi_summary_monthly where kpi like 'satisfaction%' order by month, kpi"]);
    expect(rows.map((r) => [r.month, r.kpi, r.target, r.on_target, r.denominator])).toEqual([
      ['2025-10-01', 'satisfaction_mean', 80, false, 3],
      ['2025-10-01', 'satisfaction_rate', 0.5, false, 3],
      ['2025-11-01', 'satisfaction_mean', 80, true, 2],
      ['2025-11-01', 'satisfaction_rate', 0.5, true, 2],
    ]);
    expect(rows[0].actual).toBeCloseTo(220 / 3, 9);   // 11/3 of 5 → 100 x 11/15 points
    expect(rows[1].actual).toBeCloseTo(1 / 3, 9);
    expect(rows[2].actual).toBeCloseTo(90, 9);
    expect(rows[3].actual).toBe(1);
  });

  it('gives the dashboard tile its target in the points the tile shows its value in', () => {
    const tiles = pledgeJson<{ kpi: string; actual: number; target: number; on_target: boolean }>(
      ['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', '--file', 'queries/report/dashboard_tiles.sql']);
    const mean = tiles.find((t) => t.kpi === 'satisfaction_mean')!;
    expect(mean.target).toBe(80);
    expect(mean.actual).toBeCloseTo(73.333333, 5);
    expect(mean.on_target).toBe(false);
  });
});

describe('satisfaction figures and rate targets off their scale are refused', () => {
  const commitments = 'commitments: { first_response: { from: received_at, to: first_response_at, within: 4wh }, resolve: { from: received_at, to: resolved_at, within: 3wd } }\n';
  const refused = (policyText: string, body = commitments) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yaml'), policyText + body);
    const r = pledge(['validate', join(FIXTURES, 'satisfaction-5.csv'), '--policy', join(dir, 'p.yaml')]);
    expect(r.code).not.toBe(0);
    return r.stderr.replaceAll(dir, '<dir>').trim();
  };

  it('refuses a mean target off the 1-5 scale, naming both keys and values', () => {
    expect(refused('satisfaction: { scale_max: 5, satisfied_at: 4 }\ntargets: { satisfaction_mean: 85 }\n')).toBe(
      'pledge: <dir>/p.yaml: targets.satisfaction_mean: 85 is outside the satisfaction scale 0..5 (satisfaction.scale_max: 5); give it on that scale, e.g. 4.25 for 85 of 100');
  });

  it('refuses the 0-100 defaults on a 1-5 scale, saying they are the defaults', () => {
    expect(refused('satisfaction: { scale_max: 5, satisfied_at: 4 }\n')).toBe(
      'pledge: <dir>/p.yaml: targets.satisfaction_mean: 85 (the default, on a 0-100 scale) is outside the satisfaction scale 0..5 (satisfaction.scale_max: 5); give it on that scale, e.g. 4.25 for 85 of 100');
    expect(refused('satisfaction: { scale_max: 5 }\ntargets: { satisfaction_mean: 4 }\n')).toBe(
      'pledge: <dir>/p.yaml: satisfaction.satisfied_at: 85 (the default, on a 0-100 scale) is outside the satisfaction scale 0..5 (satisfaction.scale_max: 5); give it on that scale, e.g. 4.25 for 85 of 100');
  });

  it('refuses satisfied_at above the scale', () => {
    expect(refused('satisfaction: { scale_max: 5, satisfied_at: 7 }\ntargets: { satisfaction_mean: 4 }\n')).toBe(
      'pledge: <dir>/p.yaml: satisfaction.satisfied_at: 7 is outside the satisfaction scale 0..5 (satisfaction.scale_max: 5); give it on that scale');
  });

  it('refuses a rate target written as a percentage, saying what to write', () => {
    expect(refused('targets: { timeliness: 95 }\n')).toBe(
      'pledge: <dir>/p.yaml: targets.timeliness: 95 looks like a percentage: write 0.95 (rates are shares from 0 to 1)');
    expect(refused('targets: { reopen_rate_max: 5 }\n')).toBe(
      'pledge: <dir>/p.yaml: targets.reopen_rate_max: 5 looks like a percentage: write 0.05 (rates are shares from 0 to 1)');
    expect(refused('targets: { survey_coverage: -0.2 }\n')).toBe(
      'pledge: <dir>/p.yaml: targets.survey_coverage: -0.2 is not a share from 0 to 1');
  });

  it('refuses a commitment\'s own target written as a percentage', () => {
    expect(refused('', commitments.replace('within: 3wd', 'within: 3wd, target: 90'))).toBe(
      'pledge: <dir>/p.yaml: commitments.resolve.target: 90 looks like a percentage: write 0.9 (rates are shares from 0 to 1)');
  });
});

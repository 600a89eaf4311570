// Policy what-if on the hand-written status fixture (test/fixtures/statuses.csv),
// as of 2025-10-20 00:00: the only change is first_response from 4wh to 1wh.
// Working hours 09:00-12:00, 13:00-18:00. Worked out by hand under 1wh:
//   S1  received Mon 10-13 09:00, answered 11:00: due 10:00 → breached (was met, due 14:00)
//   S2  answered 15:30: breached under both
//   S3  never answered: overdue under both
//   S4  received Fri 10-17 17:00: due Fri 18:00 → overdue at the as-of instant
//       (was pending, due Mon 10-20 12:00)
//   S5  answered before it was received: unknown under both
//   S6  received Tue 10-14 10:00, answered 10:30: due 11:00 → met under both
// So exactly S1 and S4 change. timeliness:first_response, organisation:
//   4wh met S1, S6 / judged S1, S2, S3, S6 = 2/4 = 0.5; 1wh met S6 / judged S1, S2, S3, S4, S6 = 1/5 = 0.2.
// 客服中心 (S1, S2, S6): 2/3 → 1/3. 网络运维部 (S3, S4, S5): 0/1 → 0/2, both 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-clocks.yaml');
const dir = tempDir('pledge-whatif-');
const warehouse = join(dir, 'w.duckdb');
const other = join(dir, 'first-response-1wh.yaml');
const asOf = ['--as-of', '2025-10-20 00:00'];

beforeAll(() => {
  // Exported at the as-of instant: every clock due before it is known (none past where the data ends).
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-10-20 00:00']);
  const text = readFileSync(policy, 'utf8');
  const changed = text.replace(/(first_response:[^\n]*\n(?:[^\n]*\n)*?\s+within:\s*)4wh/, '$11wh');
  expect(changed).not.toBe(text);
  writeFileSync(other, changed);
});

type KpiRow = { kpi: string; department: string | null; current_value: number | null; other_value: number | null; difference: number | null };
type StatusRow = { complaint_id: string; commitment: string; current_status: string; other_status: string; current_limit: string; other_limit: string };

describe('pledge query --compare-policy', () => {
  let result: { kpis: KpiRow[]; status_changes: StatusRow[] };
  beforeAll(() => {
    result = JSON.parse(pledgeOk(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', ...asOf,
      '--compare-policy', other, '--format', 'json']));
  });

  it('lists exactly the complaints whose status changes', () => {
    expect(result.status_changes.map((s) => [s.complaint_id, s.commitment, s.current_status, s.other_status, s.current_limit, s.other_limit])).toEqual([
      ['S1', 'first_response', 'met', 'breached', '4wh', '1wh'],
      ['S4', 'first_response', 'pending', 'overdue', '4wh', '1wh'],
    ]);
  });

  it('shows both values and the difference per KPI and per department', () => {
    const row = (kpi: string, department: string | null) => result.kpis.find((k) => k.kpi === kpi && k.department === department)!;
    const org = row('timeliness:first_response', null);
    expect([org.current_value, org.other_value]).toEqual([0.5, 0.2]);
    expect(org.difference).toBeCloseTo(-0.3, 12);
    const service = row('timeliness:first_response', '客服中心');
    expect(service.current_value).toBeCloseTo(2 / 3, 12);
    expect(service.other_value).toBeCloseTo(1 / 3, 12);
    expect(service.difference).toBeCloseTo(-1 / 3, 12);
    expect(row('timeliness:first_response', '网络运维部')).toMatchObject({ current_value: 0, other_value: 0, difference: 0 });
    // Commitments whose limit did not change keep their values.
    const resolve = row('timeliness:resolve', null);
    expect(resolve.difference).toBe(0);
  });
});

describe('pledge run --compare-policy', () => {
  it('writes the dashboard and a what-if page beside it, and prints what moves', () => {
    const out = pledgeOk(['run', '--month', '2025-10', ...asOf, '--warehouse', warehouse, '--policy', policy,
      '--out', join(dir, 'out'), '--compare-policy', other]);
    expect(out).toContain('what-if first-response-1wh.yaml vs policy-clocks.yaml for 2025-10: 2 complaint status(es) change');
    // Named as the compare page names it, in the run's --lang (zh by default); the fixture's
    // commitment has no label_zh, so its key stands before 及时率.
    expect(out).toContain('first_response及时率: 50.0% → 20.0%');
    expect(out).not.toContain('timeliness:first_response');
    const page = readFileSync(join(dir, 'out', '2025-10', 'compare-first-response-1wh.html'), 'utf8');
    expect(page).toContain('data-complaint="S1" data-commitment="first_response"');
    expect(page).toContain('data-complaint="S4" data-commitment="first_response"');
    expect(page.match(/data-complaint=/g)).toHaveLength(2);
  });
});

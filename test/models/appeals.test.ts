// Appeals (申诉, issue 20): a third export kind, told apart by its header, and what an appeal
// does. Policy: resolve within 3d, register within 24h, appeals.window 5wd; CN calendar.
//
// Complaints (客服部 / 一组), all registered within the hour:
//   P1 received 10-13 09:00, resolved 10-17 10:00: resolve due 10-16 09:00, breached
//   P2 received 10-13 09:00, resolved 10-14 09:00: met
//   P3 received 10-14 09:00, resolved 10-20 10:00: resolve due 10-17 09:00, breached
//   P4 received 10-14 09:00, resolved 10-15 09:00: met
// Appeals (Chinese headers):
//   P1 resolve  filed 11-05 10:00, decided 11-10 10:00, 通过 (approved)
//   P2 resolve  filed 11-06, 通过 with no decision time: rejected row (read 4 · loaded 3 · rejected 1)
//   P3 resolve  filed 11-10 09:00, decided 11-12 10:00, 通过, but late
//   P4 (整单)   filed 11-06 10:00, decided 11-08 10:00, 驳回 (rejected): no effect
// Window: both verdicts fall due in October; 5 working days after its end (11-01 a Saturday,
// not counted): Mon 11-03, 11-04, 11-05, 11-06, Fri 11-07 → ends 2025-11-07 18:00 (close of
// business). P1 is in time; P3 (11-10) is late: ignored, and listed in event_findings.
//
// October's figures for 一组 (= 客服部 = the organisation):
//   before (as of 2025-11-01, nothing filed yet): timeliness:resolve 2/4 (P2, P4 met); resolution_rate 4/4;
//     timeliness 6/8 (register 4/4 + resolve 2/4)
//   after (as of 2025-11-20): P1's resolve clock taken out → timeliness:resolve 2/3, resolution_rate 3/3,
//     timeliness 6/7; P3 still counts (its appeal was late). commitment_status keeps P1 breached.
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { writeAppealsFixture } from '../support/scoring-fixtures.ts';

const dir = tempDir('pledge-appeals-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const q = <T = Record<string, unknown>>(asOf: string, sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, sql]);
let ingestOut = '';

beforeAll(() => {
  const { policy: written, complaints, appeals } = writeAppealsFixture(dir);
  expect(written).toBe(policy);
  pledgeOk(['ingest', complaints, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-25 00:00']);
  ingestOut = pledgeOk(['ingest', appeals, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-25 00:00']);
});

const figures = (asOf: string) => Object.fromEntries(q<{ kpi: string; numerator: number; denominator: number }>(asOf,
  `select kpi, numerator, denominator from kpi_unit_monthly where month = date '2025-10-01' and level = 'team'
   and kpi in ('timeliness', 'timeliness:resolve', 'resolution_rate') order by kpi`).map((r) => [r.kpi, `${r.numerator}/${r.denominator}`]));

describe('appeals', () => {
  it('are an export kind of their own: told by the header, row accounting, rejects, masked reason', () => {
    expect(ingestOut).toMatch(/申诉记录\.csv \(utf-8\): read 4 · loaded 3 · rejected 1/);
    expect(q('2025-11-20 00:00', `select kind, rows_read, rows_loaded, rows_rejected from imports where file_name = '申诉记录.csv'`))
      .toEqual([{ kind: 'appeals', rows_read: 4, rows_loaded: 3, rows_rejected: 1 }]);
    expect(q('2025-11-20 00:00', `select line_no, column_name, reason from rejects`))
      .toEqual([{ line_no: 3, column_name: 'decided_at', reason: 'a decided appeal needs its decision time' }]);
    const rows = q<{ complaint_id: string; commitment: string | null; decision: string; decision_raw: string; reason: string }>('2025-11-20 00:00',
      `select complaint_id, commitment, decision, decision_raw, reason from appeal_versions order by complaint_id`);
    expect(rows.map((r) => [r.complaint_id, r.commitment, r.decision, r.decision_raw])).toEqual([
      ['P1', 'resolve', 'approved', '通过'], ['P3', 'resolve', 'approved', '通过'], ['P4', null, 'rejected', '驳回']]);
    // The phone number in a reason is masked where it is stored.
    expect(rows[0].reason).not.toContain('13800138000');
  });

  it('the data tests hold with appeals loaded (imports add up, groups add up)', () => {
    // Every data test of queries/tests/ passes (one per file there), imports_add_up counting the appeal rows.
    const dataTests = readdirSync(join(ROOT, 'queries', 'tests')).filter((f) => f.endsWith('.sql')).length;
    expect(pledgeOk(['test', '--month', '2025-10', '--warehouse', warehouse, '--policy', policy])).toMatch(new RegExp(`${dataTests} passed, 0 failed`));
  });

  it('one approved in time takes its clock out of the unit figures; one filed after the window is ignored', () => {
    expect(figures('2025-11-01 00:00')).toEqual({ timeliness: '6/8', 'timeliness:resolve': '2/4', resolution_rate: '4/4' });
    expect(figures('2025-11-20 00:00')).toEqual({ timeliness: '6/7', 'timeliness:resolve': '2/3', resolution_rate: '3/3' });
    expect(q('2025-11-20 00:00', `select complaint_id, status, strftime(window_ends_at, '%Y-%m-%d %H:%M') as window_ends from kpi_appeals order by complaint_id`))
      .toEqual([
        { complaint_id: 'P1', status: 'applied', window_ends: '2025-11-07 18:00' },
        { complaint_id: 'P3', status: 'late', window_ends: '2025-11-07 18:00' },
        { complaint_id: 'P4', status: 'rejected', window_ends: '2025-11-07 18:00' },
      ]);
    // Decided on 11-10: as of 11-08 P1's appeal is still pending and nothing is taken out.
    expect(figures('2025-11-08 00:00')).toEqual({ timeliness: '6/8', 'timeliness:resolve': '2/4', resolution_rate: '4/4' });
    // The raw verdict stays.
    expect(q('2025-11-20 00:00', `select status from commitment_status where complaint_id = 'P1' and commitment = 'resolve'`)).toEqual([{ status: 'breached' }]);
    expect(q('2025-11-20 00:00', `select finding, complaint_id, commitment, detail from event_findings where event = 'appeal'`)).toEqual([{
      finding: 'appeal_after_window', complaint_id: 'P3', commitment: 'resolve',
      detail: 'filed after the appeal window, which ended 2025-11-07 18:00 (5 working days after 2025-10)',
    }]);
  });

  it('the month run counts appeals decided by the month\'s close, and shows what they took out of the raw counts', () => {
    // pledge run --month 2025-10 judges October as of 11-01, but an appeal comes after the month: it
    // counts when decided by October's close. reports.close_after 10wd: the 10th working day after
    // Sat 11-01 (not counted) is Fri 11-14 (11-03 … 11-07, 11-10 … 11-14), close of business 18:00.
    // P1 (decided 11-10) is applied; P3 is late; P4 rejected.
    const month = <T = Record<string, unknown>>(sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10', sql]);
    expect(month(`select strftime(closes_at, '%Y-%m-%d %H:%M') as closes from stg_month_close where month = date '2025-10-01'`))
      .toEqual([{ closes: '2025-11-14 18:00' }]);
    expect(month(`select complaint_id, status, strftime(known_by, '%Y-%m-%d %H:%M') as known_by from kpi_appeals order by complaint_id`)).toEqual([
      { complaint_id: 'P1', status: 'applied', known_by: '2025-11-14 18:00' },
      { complaint_id: 'P3', status: 'late', known_by: '2025-11-14 18:00' },
      { complaint_id: 'P4', status: 'rejected', known_by: '2025-11-14 18:00' },
    ]);
    // Raw counts: resolve 4 verdicts, P1's taken out → counted 3, appealed 1; resolution due 4 → 3;
    // timeliness (register 4 + resolve 4 = 8) → 7. Every level the same (one team, one department).
    const rows = month<{ level: string; kpi: string; numerator: number; denominator: number; appealed: number }>(
      `select level, kpi, numerator, denominator, appealed from kpi_unit_monthly
        where month = date '2025-10-01' and kpi in ('timeliness', 'timeliness:register', 'timeliness:resolve', 'resolution_rate')
        order by level, kpi`);
    for (const level of ['department', 'organisation', 'team']) {
      expect(rows.filter((r) => r.level === level).map((r) => [r.kpi, `${r.numerator}/${r.denominator}`, r.appealed])).toEqual([
        ['resolution_rate', '3/3', 1], ['timeliness', '6/7', 1], ['timeliness:register', '4/4', 0], ['timeliness:resolve', '2/3', 1]]);
    }
    // The dashboard's table (panels/dashboard/93-appeals.yaml): raw 8 / 4, appealed 1, counted 7 / 3;
    // the reopen rate too, counted over the resolved (P1 … P4 all resolved: 4, P1 out → 3).
    expect(pledgeJson(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2025-10',
      '--file', join(ROOT, 'queries', 'report', 'appeals_by_kpi.sql'), '--param', 'month=2025-10']).map((r) => [r.kpi, r.raw, r.appealed, r.denominator]))
      .toEqual([['timeliness', 8, 1, 7], ['resolution_rate', 4, 1, 3], ['reopen_rate', 4, 1, 3], ['timeliness:resolve', 4, 1, 3]]);
  });
});

// Stages in the policy (issue 20): a stage of the policy's own, 签收 (signed_at), fed by a
// Chinese export's 签收时间 column and by a flow log's 签收 event, and two commitments on it,
// judged on the working calendar through the real CLI.
//
// Policy: timezone Asia/Shanghai, calendar CN, working hours 09:00-12:00 and 13:00-18:00.
//   sign:    received_at → signed_at within 30m  (calendar minutes)
//   sign_wh: received_at → signed_at within 1wh  (one working hour: 60 working minutes)
// The CN calendar of 2025: 10-01..10-08 National Day off, Saturday 10-11 a make-up working day.
// As of 2025-11-01 00:00 (the end of October).
//
//   id  received (local)   签收时间 / event       sign (30m)                         sign_wh (1wh)
//   A   Thu 10-09 10:00    10:20                   due 10:30, done 10:20: met         due 11:00: met
//   B   Thu 10-09 10:00    10:45                   due 10:30: breached, 15 min late   due 11:00: met
//   C   Fri 10-17 17:50    Mon 10-20 09:20         due Fri 18:20: breached            10 min Fri (to 18:00) + 50 min Mon: due Mon 09:50: met
//   D   Fri 10-10 17:30    Sat 10-11 09:40         due Fri 18:00: breached            30 min Fri + 30 min on Sat 10-11 (a make-up working day):
//                                                                                     due Sat 09:30, done 09:40: breached, 10 min late
//   E   Thu 10-30 10:00    (none)                  due 10:30, not done by the as-of: overdue;   due 11:00: overdue
//   F   Thu 10-09 14:00    empty; flow log 签收 14:10   filled from the log: met       met
//   G   Thu 10-09 15:00    14:00 (before receipt)  unknown ("signed_at before received_at")   unknown
//
// So timeliness:sign for October: met A, F = 2; breached B, C, D = 3; overdue E = 1 → 2 / 6;
// unknown 1 (G). timeliness:sign_wh: met A, B, C, F = 4; breached D; overdue E → 4 / 6.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { parsePolicy } from '../../src/warehouse/policy.ts';

const dir = tempDir('pledge-custom-stages-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const asOf = '2025-11-01 00:00';
const q = <T = Record<string, unknown>>(sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, sql]);

const POLICY = `timezone: Asia/Shanghai
calendar: { holidays: CN, working_hours: ["09:00-12:00", "13:00-18:00"] }
resolution: { commitment: resolve }
scorecard: { weights: { "timeliness:sign": 0.5, resolution_rate: 0.5 } }
parity: { kpis: [timeliness, resolution_rate] }
stages:
  - received_at
  - column: signed_at
    headers: [签收时间, Signed At]
    label: signed for by the unit
    label_zh: 签收
    event: signed
    event_names: [签收]
    follows: received_at
commitments:
  sign: { label: signed for in time, label_zh: 及时签收, from: received_at, to: signed_at, within: 30m }
  sign_wh: { from: received_at, to: signed_at, within: 1wh }
  resolve: { from: received_at, to: resolved_at, within: 3d }
`;

beforeAll(() => {
  writeFileSync(policy, POLICY);
  const complaints = join(dir, '投诉导出.csv');
  writeFileSync(complaints, [
    '投诉编号,诉求渠道,严重程度,承办单位,班组,受理时间,签收时间,办结时间',
    'A,phone,general,城管局,一组,2025-10-09 10:00,2025-10-09 10:20,',
    'B,phone,general,城管局,一组,2025-10-09 10:00,2025-10-09 10:45,',
    'C,phone,general,城管局,一组,2025-10-17 17:50,2025-10-20 09:20,',
    'D,phone,general,水务局,二组,2025-10-10 17:30,2025-10-11 09:40,',
    'E,phone,general,水务局,二组,2025-10-30 10:00,,',
    'F,phone,general,水务局,二组,2025-10-09 14:00,,',
    'G,phone,general,水务局,二组,2025-10-09 15:00,2025-10-09 14:00,',
  ].join('\n') + '\n');
  const events = join(dir, '流转记录.csv');
  writeFileSync(events, ['工单编号,时间,事件,操作人,处理部门,说明', 'F,2025-10-09 14:10:00,签收,王芳,水务局,'].join('\n') + '\n');
  pledgeOk(['ingest', complaints, events, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-06 00:00']);
});

describe('a stage of the policy own', () => {
  it('is stored from 签收时间 and from the 签收 event (the long stage model says which)', () => {
    const rows = q(`select complaint_id, strftime(instant, '%m-%d %H:%M') as t, source from stg_complaint_stage
      where stage = 'signed_at' order by complaint_id`);
    expect(rows).toEqual([
      { complaint_id: 'A', t: '10-09 10:20', source: 'export' },
      { complaint_id: 'B', t: '10-09 10:45', source: 'export' },
      { complaint_id: 'C', t: '10-20 09:20', source: 'export' },
      { complaint_id: 'D', t: '10-11 09:40', source: 'export' },
      { complaint_id: 'F', t: '10-09 14:10', source: 'event' },
      { complaint_id: 'G', t: '10-09 14:00', source: 'export' },
    ]);
    // After the nine, in policy_stage: position 10, with its words and event.
    expect(q(`select stage, position, event, label_zh from policy_stage where position > 9`))
      .toEqual([{ stage: 'signed_at', position: 10, event: 'signed', label_zh: '签收' }]);
  });

  it('gives the statuses worked out by hand, on the working calendar', () => {
    const rows = q<{ complaint_id: string; commitment: string; status: string; late_minutes: number | null; due: string }>(
      `select complaint_id, commitment, status, late_minutes, strftime(due_at, '%m-%d %H:%M') as due
       from commitment_status where commitment in ('sign', 'sign_wh') order by commitment, complaint_id`);
    const pick = (c: string) => rows.filter((r) => r.commitment === c).map((r) => [r.complaint_id, r.status, r.due]);
    expect(pick('sign')).toEqual([
      ['A', 'met', '10-09 10:30'], ['B', 'breached', '10-09 10:30'], ['C', 'breached', '10-17 18:20'], ['D', 'breached', '10-10 18:00'],
      ['E', 'overdue', '10-30 10:30'], ['F', 'met', '10-09 14:30'], ['G', 'unknown', '10-09 15:30'],
    ]);
    expect(pick('sign_wh')).toEqual([
      ['A', 'met', '10-09 11:00'], ['B', 'met', '10-09 11:00'], ['C', 'met', '10-20 09:50'], ['D', 'breached', '10-11 09:30'],
      ['E', 'overdue', '10-30 11:00'], ['F', 'met', '10-09 15:00'], ['G', 'unknown', '10-09 16:00'],
    ]);
    expect(rows.find((r) => r.commitment === 'sign' && r.complaint_id === 'B')!.late_minutes).toBe(15);
    expect(rows.find((r) => r.commitment === 'sign_wh' && r.complaint_id === 'D')!.late_minutes).toBe(10);
    expect(q(`select data_problem from commitment_status where complaint_id = 'G' and commitment = 'sign'`))
      .toEqual([{ data_problem: 'signed_at before received_at' }]);
  });

  it('is an ordinary commitment KPI (及时签收率)', () => {
    expect(q(`select kpi, numerator, denominator, unknown from kpi_unit_monthly
      where month = date '2025-10-01' and level = 'organisation' and kpi in ('timeliness:sign', 'timeliness:sign_wh') order by kpi`))
      .toEqual([
        { kpi: 'timeliness:sign', numerator: 2, denominator: 6, unknown: 1 },
        { kpi: 'timeliness:sign_wh', numerator: 4, denominator: 6, unknown: 1 },
      ]);
  });

  it('a default-policy warehouse has no such column, and a report under the stage policy says how to add it', () => {
    const plain = join(dir, 'plain.duckdb');
    const defaultPolicy = join(dir, 'default.yaml');
    writeFileSync(defaultPolicy, POLICY.replace(/stages:[\s\S]*?commitments:/, 'commitments:').replace(/  sign.*\n/g, '').replace('"timeliness:sign"', '"timeliness:resolve"'));
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, '投诉编号,受理时间,办结时间\nP1,2025-10-09 10:00,2025-10-09 12:00\n');
    pledgeOk(['ingest', csv, '--warehouse', plain, '--policy', defaultPolicy, '--exported-at', '2025-11-06 00:00']);
    expect(pledgeJson(['query', '--warehouse', plain, '--policy', defaultPolicy, `select count(*) as n from duckdb_columns() where table_name = 'complaint_versions' and column_name = 'signed_at'`]))
      .toEqual([{ n: 0 }]);
    const r = pledge(['query', '--warehouse', plain, '--policy', policy, 'select 1 as one from commitment_status limit 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no column for the policy\'s stage signed_at');
    // pledge build under the stage policy adds the (empty) column; the clocks then read it, and
    // as no import records the stage, its clock is unknown, never overdue (stg_stage_coverage).
    pledgeOk(['build', '--warehouse', plain, '--policy', policy]);
    expect(pledgeJson(['query', '--warehouse', plain, '--policy', policy, '--as-of', asOf, `select status, data_problem from commitment_status where commitment = 'sign'`]))
      .toEqual([{ status: 'unknown', data_problem: 'no import records signed_at' }]);
  });
});

describe('stages: in the policy file is checked', () => {
  const base = 'scorecard: { weights: { resolution_rate: 1 } }\nparity: { kpis: [resolution_rate] }\ncommitments:\n  resolve: { from: received_at, to: resolved_at, within: 3d }\n';
  const error = (text: string) => { try { parsePolicy(text, 'p.yaml'); return ''; } catch (e) { return (e as Error).message; } };
  it('absent: the nine built in', () => {
    expect(parsePolicy(base, 'p.yaml').stageList.map((s) => s.column)).toEqual([
      'received_at', 'registered_at', 'first_response_at', 'escalated_at', 'plan_at', 'resolved_at', 'feedback_at', 'survey_at', 'archived_at']);
  });
  it('names the key of each mistake', () => {
    expect(error(`${base}  sign: { from: received_at, to: signed_at, within: 30m }\n`))
      .toMatch(/^p\.yaml: commitments\.sign\.to: "signed_at" is not a stage \(one of received_at, .*archived_at; add your own under stages:\)$/);
    expect(error(`stages: [{ column: resolved_at }]\n${base}`)).toBe('p.yaml: stages[0].column: "resolved_at" is a built-in stage: list it by name (- resolved_at), it cannot be redefined');
    expect(error(`stages: [signed_at]\n${base}`)).toMatch(/^p\.yaml: stages\[0\]: "signed_at" is not a built-in stage/);
    expect(error(`stages: [{ column: signed }]\n${base}`)).toBe('p.yaml: stages[0].column: a stage column is snake_case and ends in _at, e.g. signed_at');
    expect(error(`stages: [{ column: signed_at, event: resolved }]\n${base}`)).toBe('p.yaml: stages[0]: event name "resolved" already names another event or stage');
  });
});

// The small fixtures of issue 20, written once and read by every test that works their figures
// out by hand: the appeals fixture (test/models/appeals.test.ts, the pack's appeal section, the
// workbook's Appeals sheet) and the points-scheme fixture (test/models/points-scheme.test.ts, the
// pack's points, the workbook's Points sheet). The hand-worked figures are in those tests' comments.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Four complaints of 客服部 / 一组 received 10-13 and 10-14 (P1, P3 resolved late) and four appeal
 * rows with Chinese headers: P1 resolve approved in time, P2 with no decision time (rejected at
 * ingest), P3 resolve approved but filed after the window (ends 2025-11-07 18:00), P4 whole
 * complaint rejected. Ingest complaints first, then appeals, both --exported-at 2025-11-25 00:00.
 */
export function writeAppealsFixture(dir: string): { policy: string; complaints: string; appeals: string } {
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, `timezone: Asia/Shanghai
resolution: { commitment: resolve }
scorecard: { weights: { resolution_rate: 1 } }
parity: { kpis: [resolution_rate] }
appeals: { window: 5wd }
commitments:
  register: { from: received_at, to: registered_at, within: 24h }
  resolve: { from: received_at, to: resolved_at, within: 3d }
`);
  const complaints = join(dir, 'complaints.csv');
  writeFileSync(complaints, ['complaint_id,department,team,received_at,registered_at,resolved_at',
    'P1,客服部,一组,2025-10-13 09:00,2025-10-13 09:30,2025-10-17 10:00',
    'P2,客服部,一组,2025-10-13 09:00,2025-10-13 09:30,2025-10-14 09:00',
    'P3,客服部,一组,2025-10-14 09:00,2025-10-14 09:30,2025-10-20 10:00',
    'P4,客服部,一组,2025-10-14 09:00,2025-10-14 09:30,2025-10-15 09:00'].join('\n') + '\n');
  const appeals = join(dir, '申诉记录.csv');
  writeFileSync(appeals, ['工单编号,申诉事项,申诉时间,审核时间,审核结果,申诉理由',
    'P1,resolve,2025-11-05 10:00,2025-11-10 10:00,通过,客户不合理诉求 13800138000',
    'P2,resolve,2025-11-06 10:00,,通过,',
    'P3,resolve,2025-11-10 09:00,2025-11-12 10:00,通过,重复投诉',
    'P4,整单,2025-11-06 10:00,2025-11-08 10:00,驳回,恶意投诉'].join('\n') + '\n');
  return { policy, complaints, appeals };
}

/** The points fixture's commitments and KPIs, without a scorecard (the policy-error tests add their own). */
export const POINTS_BASE_POLICY = `timezone: Asia/Shanghai
resolution: { commitment: resolve }
parity: { kpis: [resolution_rate] }
commitments:
  register: { from: received_at, to: registered_at, within: 24h }
  resolve: { from: received_at, to: resolved_at, within: 3d }
`;

const POINTS_SCORECARD = `scorecard:
  scheme: points
  weights: { resolution_rate: 1 }
  points:
    base: 10
    lists: 1
    kpis:
      resolution_rate: { full: 25, line: 0.9, per_point: 1, floor: 0 }
      "timeliness:register": { full: 20, line: 0.8, per_case: 4, floor: 5 }
    items:
      - { name: returned, label: Sent back, label_zh: 退单, event: returned, points: -2 }
      - { name: follow_up, label: Follow-up, label_zh: 回访, event: survey, points: 0.5, max: 1 }
      - { name: tamper, label: Tampering, label_zh: 篡改, finding: tamper, points: -3 }
  unit_classes:
    A: { max: 35, units: [一组] }
    B: { max: 100, units: [二组] }
`;

/**
 * 一组 A01–A10 and 二组 B01–B05 of 客服部 in October 2025, B01 first exported as urgent (a tamper
 * finding), and a flow log (A01 returned once, surveys of A01–A03). `inputs` in the order to
 * ingest them, each --exported-at 2025-11-06 00:00; `policy` the points scheme, `weighted` the same
 * commitments under the weighted scheme.
 */
export function writePointsFixture(dir: string): { policy: string; weighted: string; inputs: string[] } {
  const policy = join(dir, 'policy.yaml');
  const weighted = join(dir, 'weighted.yaml');
  writeFileSync(policy, POINTS_SCORECARD + POINTS_BASE_POLICY);
  writeFileSync(weighted, 'scorecard: { weights: { resolution_rate: 1 } }\n' + POINTS_BASE_POLICY);
  const header = 'complaint_id,severity,department,team,received_at,registered_at,resolved_at';
  const first = join(dir, 'first.csv');
  writeFileSync(first, `${header}\nB01,urgent,客服部,二组,2025-10-14 09:00,2025-10-16 10:00,2025-10-15 09:00\n`);
  const a = Array.from({ length: 10 }, (_, i) => {
    const id = `A${String(i + 1).padStart(2, '0')}`;
    return `${id},general,客服部,一组,2025-10-13 09:00,${i < 7 ? '2025-10-13 10:00' : '2025-10-15 10:00'},${i < 8 ? '2025-10-14 09:00' : ''}`;
  });
  const b = Array.from({ length: 5 }, (_, i) => `B0${i + 1},general,客服部,二组,2025-10-14 09:00,2025-10-16 10:00,${i < 2 ? '2025-10-15 09:00' : ''}`);
  const second = join(dir, 'second.csv');
  writeFileSync(second, [header, ...a, ...b].join('\n') + '\n');
  const events = join(dir, 'events.csv');
  writeFileSync(events, ['complaint_id,at,event,actor,team,detail',
    'A01,2025-10-13 09:30:00,退回,王,,',
    'A01,2025-10-20 10:00:00,survey,王,,', 'A02,2025-10-20 10:00:00,survey,王,,', 'A03,2025-10-20 10:00:00,survey,王,,'].join('\n') + '\n');
  return { policy, weighted, inputs: [first, second, events] };
}

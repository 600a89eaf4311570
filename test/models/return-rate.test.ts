// 回退率 (return_rate) and 签收及时率 (issue 20): the return rate from `returned` events (回退 in a
// Chinese flow log), measured only when the policy sets targets.return_rate_max, and the
// sign-off commitment's KPI, both through the KPI catalogue into policy_target and
// kpi_unit_monthly. As of 2025-11-01 00:00 (the end of October); everything below is October's
// unless it says otherwise.
//
// Export (department / team the complaint ends with):
//   R1 10-09 09:00 城管局/一组   log: 登记 by 二组 09:10 · 转办 to 三组 10:00 · 回退 to 二组 11:00 · 转办 to 一组 14:00
//   R2 10-09 09:00 城管局/一组   no log
//   R3 10-10 09:00 水务局/三组   log: 登记 by 三组 (no change of hands)
//   R4 10-20 09:00 城管局/一组   log: 登记 by 三组 09:10 · 退回 to 一组 10:00
//   R5 09-30 09:00 水务局/三组   no log (assigned in September)
//   R6 10-31 10:00 水务局/三组   log: 登记 by 三组 10:05 · 回退 to 一组 11-02 (after the as-of: not yet)
// Holdings (who was assigned what, from when): R1 二组 (from receipt), 三组 10:00, 二组 11:00, 一组 14:00;
// R4 三组 (from receipt), 一组 10:00; R2 一组, R3 三组, R6 三组 (the export's team, no change of hands);
// R5 三组 in September. A return is charged to the holding before it: R1's 11:00 to 三组, R4's 10:00 to 三组.
//   三组: assigned R1, R3, R4, R6 = 4; returned R1, R4 = 2 → 0.5
//   二组: assigned R1 (twice, one complaint) = 1; returned 0 → 0
//   一组: assigned R1, R2, R4 = 3; returned 0 → 0
// Departments: 一组's complaints name 城管局 (R1, R2, R4), 三组's 水务局 (R3, R5, R6); 二组 is in no
// export row, so its department is its complaint's, 城管局. 城管局 = 一组 + 二组: 0 / 4; 水务局 = 三组: 2 / 4.
// Organisation: the sum of its teams, 2 / 8 = 0.25 (a complaint counts once per team that held it).
// Target ≤ 0.10: 三组, 水务局 and the organisation miss it; 一组, 二组 and 城管局 meet it.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-return-rate-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const plainPolicy = join(dir, 'plain.yaml');
const asOf = '2025-11-01 00:00';
const q = <T = Record<string, unknown>>(sql: string, p = policy) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', p, '--as-of', asOf, sql]);

const PLAIN = `timezone: Asia/Shanghai
resolution: { commitment: resolve }
scorecard: { weights: { resolution_rate: 1 } }
parity: { kpis: [resolution_rate] }
commitments:
  resolve: { from: received_at, to: resolved_at, within: 3d }
`;

beforeAll(() => {
  writeFileSync(plainPolicy, PLAIN);
  writeFileSync(policy, PLAIN.replace('parity:', 'targets: { return_rate_max: 0.1 }\nparity:')
    .replace('commitments:', `stages:
  - column: signed_at
    headers: [签收时间]
    label_zh: 签收
    label: signed for
commitments:
  sign: { label: Sign-off, label_zh: 签收, from: received_at, to: signed_at, within: 30m, target: 0.9 }`));
  const complaints = join(dir, 'complaints.csv');
  writeFileSync(complaints, [
    '投诉编号,承办单位,班组,受理时间,签收时间',
    'R1,城管局,一组,2025-10-09 09:00,2025-10-09 09:20',
    'R2,城管局,一组,2025-10-09 09:00,2025-10-09 09:50',
    'R3,水务局,三组,2025-10-10 09:00,',
    'R4,城管局,一组,2025-10-20 09:00,2025-10-20 09:05',
    'R5,水务局,三组,2025-09-30 09:00,',
    'R6,水务局,三组,2025-10-31 10:00,',
  ].join('\n') + '\n');
  const events = join(dir, 'events.csv');
  writeFileSync(events, [
    '工单编号,时间,事件,操作人,处理部门,说明',
    'R1,2025-10-09 09:10:00,登记,李,二组,',
    'R1,2025-10-09 10:00:00,转办,李,三组,',
    'R1,2025-10-09 11:00:00,回退,王,二组,非本单位职责',
    'R1,2025-10-09 14:00:00,转办,李,一组,',
    'R3,2025-10-10 09:10:00,登记,赵,三组,',
    'R4,2025-10-20 09:10:00,登记,赵,三组,',
    'R4,2025-10-20 10:00:00,退回,赵,一组,',
    'R6,2025-10-31 10:05:00,登记,赵,三组,',
    'R6,2025-11-02 10:00:00,回退,赵,一组,',
  ].join('\n') + '\n');
  pledgeOk(['ingest', complaints, events, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-06 00:00']);
});

describe('回退率 and 签收及时率', () => {
  it('回退 is a name of the returned event', () => {
    expect(q(`select event_raw, event from event_versions where event_raw in ('回退', '退回') group by all order by 1`))
      .toEqual([{ event_raw: '回退', event: 'returned' }, { event_raw: '退回', event: 'returned' }]);
  });

  it('gives the return rates worked out by hand, per team, department and organisation', () => {
    const rows = q(`select level, coalesce(unit, '(org)') as unit, numerator, denominator, actual, on_target
      from kpi_unit_monthly where kpi = 'return_rate' and month = date '2025-10-01' order by level, unit`);
    expect(rows).toEqual([
      { level: 'department', unit: '城管局', numerator: 0, denominator: 4, actual: 0, on_target: true },
      { level: 'department', unit: '水务局', numerator: 2, denominator: 4, actual: 0.5, on_target: false },
      { level: 'organisation', unit: '(org)', numerator: 2, denominator: 8, actual: 0.25, on_target: false },
      { level: 'team', unit: '一组', numerator: 0, denominator: 3, actual: 0, on_target: true },
      { level: 'team', unit: '三组', numerator: 2, denominator: 4, actual: 0.5, on_target: false },
      { level: 'team', unit: '二组', numerator: 0, denominator: 1, actual: 0, on_target: true },
    ]);
    // R5 was assigned in September: one complaint, not returned.
    expect(q(`select numerator, denominator from kpi_unit_monthly where kpi = 'return_rate' and month = date '2025-09-01' and level = 'organisation'`))
      .toEqual([{ numerator: 0, denominator: 1 }]);
  });

  it('both are in the KPI catalogue: labels, directions, targets', () => {
    expect(q(`select kpi, label_zh, label_en, direction, target from policy_target where kpi in ('return_rate', 'timeliness:sign') order by kpi`))
      .toEqual([
        { kpi: 'return_rate', label_zh: '回退率', label_en: 'Return rate', direction: 'at_most', target: 0.1 },
        { kpi: 'timeliness:sign', label_zh: '签收及时率', label_en: 'Sign-off: on time', direction: 'at_least', target: 0.9 },
      ]);
    // Sign-off: R1 20 min and R4 5 min met, R2 50 min breached; R3 and R6 never signed: overdue → 2 / 5.
    expect(q(`select numerator, denominator from kpi_unit_monthly where kpi = 'timeliness:sign' and month = date '2025-10-01' and level = 'organisation'`))
      .toEqual([{ numerator: 2, denominator: 5 }]);
  });

  it('a policy without targets.return_rate_max does not measure it', () => {
    expect(q(`select count(*) as n from kpi_fact_monthly where kpi = 'return_rate'`, plainPolicy)).toEqual([{ n: 0 }]);
    expect(q(`select count(*) as n from policy_target where kpi = 'return_rate'`, plainPolicy)).toEqual([{ n: 0 }]);
  });
});

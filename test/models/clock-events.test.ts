// The flow log (工单流转记录) and the clock rules it drives, on hand-written fixtures,
// through the real CLI and a real DuckDB file, on the real 2025 calendar.
// Fixtures: test/fixtures/clock-complaints.csv and clock-events.csv; policy
// test/fixtures/policy-events.yaml: first_response 4wh (pausable), initial_plan 3wd
// (pausable, extendable), resolve 3wd; extensions at most 1 and 5wd in total; reopenings
// within 30d, clock continues. Working hours 09:00-12:00, 13:00-18:00 (8 h a day).
// October 2025: Mon 13 … Fri 17 and Mon 20 … Fri 24 are working days (the make-up
// Saturday was the 11th); Sat 18, Sun 19, Sat 25 are not. As of 2025-10-25 00:00.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import iconv from 'iconv-lite';

const policy = join(FIXTURES, 'policy-events.yaml');
const asOf = '2025-10-25 00:00';
let warehouse: string;
interface Status {
  complaint_id: string; commitment: string; status: string; original_due_at: string; due_at: string;
  done_at: string | null; paused_minutes: number; extended_minutes: number; extended_by: string | null;
  owner_team: string | null; first_team: string | null; responsible_team: string | null; late_minutes: number | null;
}
const COLUMNS = 'complaint_id, commitment, status, original_due_at, due_at, done_at, paused_minutes, extended_minutes, extended_by, owner_team, first_team, responsible_team, late_minutes';
let statuses: Status[];
let findings: { finding: string; complaint_id: string; commitment: string | null; event: string; event_at: string }[];
const find = (id: string, commitment: string) => statuses.find((s) => s.complaint_id === id && s.commitment === commitment)!;
const statusesWith = (policyFile: string) => pledgeJson<Status>(['query', '--warehouse', warehouse, '--policy', policyFile, '--as-of', asOf,
  `select ${COLUMNS} from commitment_status order by 1, 2`]);

beforeAll(() => {
  warehouse = join(tempDir(), 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'clock-complaints.csv'), join(FIXTURES, 'clock-events.csv'), '--warehouse', warehouse, '--policy', policy]);
  statuses = statusesWith(policy);
  findings = pledgeJson(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf,
    'select finding, complaint_id, commitment, event, event_at from event_findings order by all']);
});

describe('pauses (挂起) move the due instant by their length in the clock of the commitment', () => {
  it('4wh first response received Mon 09:00, paused 10:00-14:00, answered 16:30: met, due 17:00', () => {
    // Without the pause: 09:00-12:00 (3 h) + 13:00-14:00 (1 h) → due 14:00, and 16:30 would be a breach.
    // The pause holds 10:00-12:00 + 13:00-14:00 = 3 working hours (lunch does not count): 14:00 + 3 wh = 17:00.
    expect(find('P1', 'first_response')).toMatchObject({
      status: 'met', original_due_at: '2025-10-13 14:00:00', due_at: '2025-10-13 17:00:00', done_at: '2025-10-13 16:30:00', paused_minutes: 180,
    });
  });

  it('3wd plan received Tue 10:00, paused Wed 09:00 to Fri 09:00, delivered Tue 2025-10-21 15:00: met, due Tue 18:00', () => {
    // 3 working days after Tue 14 (not counted): Wed 15, Thu 16, Fri 17 → Fri 18:00. The pause holds all of
    // Wed and Thu: 2 × 8 = 16 working hours (960 min) → Mon 20 (8 h) + Tue 21 (8 h) → Tue 21 18:00.
    expect(find('P2', 'initial_plan')).toMatchObject({
      status: 'met', original_due_at: '2025-10-17 18:00:00', due_at: '2025-10-21 18:00:00', paused_minutes: 960,
    });
  });

  it('a pause with no resumed keeps the clock stopped up to the as-of instant: pending, not overdue', () => {
    // O1's plan was due Thu 16 18:00; paused Wed 15 09:00, never resumed. Stopped until the as-of instant
    // Sat 25 00:00: Wed 15 … Fri 24 = 8 working days = 3,840 working minutes → Thu 16 + 8 wd = Tue 28 18:00.
    expect(find('O1', 'initial_plan')).toMatchObject({ status: 'pending', due_at: '2025-10-28 18:00:00', paused_minutes: 3840, done_at: null });
    // The resolution clock is not pausable in this policy: it is overdue since Thu 16 18:00.
    expect(find('O1', 'resolve')).toMatchObject({ status: 'overdue', paused_minutes: 0 });
    expect(findings).toContainEqual({ finding: 'pause_open', complaint_id: 'O1', commitment: null, event: 'paused', event_at: '2025-10-15 09:00:00' });
  });

  it('a wall clock is paused in wall time: 2h escalation, paused 10:00-10:45, escalated 11:30 is met', () => {
    // W1 (major) received Mon 09:00: due 11:00 without the pause; 45 wall minutes later with it → 11:45.
    expect(find('W1', 'escalate')).toMatchObject({ status: 'met', original_due_at: '2025-10-13 11:00:00', due_at: '2025-10-13 11:45:00', paused_minutes: 45 });
    // The same pause came after the first response (09:30): it does not touch that clock.
    expect(find('W1', 'first_response')).toMatchObject({ status: 'met', paused_minutes: 0 });
  });

  it('a second paused while paused and a resumed with nothing to resume are findings, ignored for the clock', () => {
    // D1 paused Tue 14 10:00, paused again 11:00 (ignored), resumed 15:00, resumed again Wed 10:00 (ignored):
    // one pause of 10:00-12:00 + 13:00-15:00 = 4 working hours. Plan due Fri 17 18:00 + 4 wh:
    // Mon 20 09:00-12:00 is 3 h, 13:00-14:00 the fourth → Mon 20 14:00.
    expect(find('D1', 'initial_plan')).toMatchObject({ paused_minutes: 240, due_at: '2025-10-20 14:00:00', status: 'met' });
    expect(findings.filter((f) => f.complaint_id === 'D1').map((f) => [f.finding, f.event, f.event_at])).toEqual([
      ['pause_ignored', 'paused', '2025-10-14 11:00:00'],
      ['pause_ignored', 'resumed', '2025-10-15 10:00:00'],
    ]);
  });
});

describe('extensions (延期)', () => {
  it('a 5wd extension of a deadline that ends Fri 2025-10-17 ends Fri 2025-10-24', () => {
    // Approved Thu 16 11:00, before the deadline; 5 working days after Fri 17: Mon 20 … Fri 24 → 18:00.
    // 5 × 8 h = 2,400 working minutes.
    expect(find('X2', 'initial_plan')).toMatchObject({
      status: 'met', original_due_at: '2025-10-17 18:00:00', due_at: '2025-10-24 18:00:00', extended_by: '5wd', extended_minutes: 2400,
    });
  });

  it('an extension approved after the due instant leaves the status breached and is a finding', () => {
    // Due Thu 16 18:00; 5wd approved Fri 17 10:00 (after the fact); delivered Mon 20 10:00.
    // Late: Thu 18:00 → Mon 10:00 = 3 days 16 h = 88 h = 5,280 wall minutes.
    expect(find('X1', 'initial_plan')).toMatchObject({
      status: 'breached', due_at: '2025-10-16 18:00:00', extended_by: null, extended_minutes: 0, late_minutes: 5280,
    });
    expect(findings).toContainEqual({ finding: 'extension_after_due', complaint_id: 'X1', commitment: 'initial_plan', event: 'extension_approved', event_at: '2025-10-17 10:00:00' });
  });

  it('an extension beyond the policy cap (one per commitment) is ignored and is a finding', () => {
    // 3wd approved Wed 15 moves Fri 17 → Wed 22 18:00; the 2wd of Mon 20 would be the second: ignored.
    // Not delivered: overdue since Wed 22 18:00, 2 days 6 h = 3,240 minutes before Sat 25 00:00.
    expect(find('X3', 'initial_plan')).toMatchObject({ status: 'overdue', due_at: '2025-10-22 18:00:00', extended_by: '3wd', late_minutes: 3240 });
    expect(findings).toContainEqual({ finding: 'extension_over_cap', complaint_id: 'X3', commitment: 'initial_plan', event: 'extension_approved', event_at: '2025-10-20 11:00:00' });
  });
});

describe('ownership after transfers (转办)', () => {
  it('charges each breach to the team holding the complaint at its due instant, the first holder beside it', () => {
    // T1 registered by 客服中心一组 Mon 09:05, transferred to 网络运维部一组 Tue 09:30. First response was due
    // Mon 14:00 (before the transfer); the plan Thu 16 18:00 (after it).
    expect(find('T1', 'first_response')).toMatchObject({ status: 'overdue', owner_team: '客服中心一组', first_team: '客服中心一组', responsible_team: '客服中心一组' });
    expect(find('T1', 'initial_plan')).toMatchObject({ status: 'overdue', owner_team: '网络运维部一组', first_team: '客服中心一组', responsible_team: '网络运维部一组' });
  });

  it('charges the first handler\'s team instead with ownership.breach_owner: first_team', () => {
    const p = join(tempDir(), 'first-team.yaml');
    writeFileSync(p, readFileSync(policy, 'utf8') + 'ownership: { breach_owner: first_team }\n');
    expect(statusesWith(p).find((s) => s.complaint_id === 'T1' && s.commitment === 'initial_plan')).toMatchObject({
      owner_team: '网络运维部一组', responsible_team: '客服中心一组',
    });
  });

  it('a stage event fills a stage the export left empty, and is then no finding', () => {
    // F1's export has no plan_at; the log has `plan` Wed 15 10:00, inside the 3wd limit (Thu 16 18:00).
    expect(find('F1', 'initial_plan')).toMatchObject({ status: 'met', done_at: '2025-10-15 10:00:00', due_at: '2025-10-16 18:00:00' });
    expect(findings.filter((f) => f.complaint_id === 'F1')).toEqual([]);
  });

  it('an event for a complaint no export contains is a finding', () => {
    expect(findings).toContainEqual({ finding: 'unknown_complaint', complaint_id: 'ZZ9', commitment: null, event: 'transferred', event_at: '2025-10-14 10:00:00' });
  });

  it('a registered event at another time than the export is a data-quality finding', () => {
    // The export says T1 was registered at 09:10; the flow log says 09:05.
    expect(findings).toContainEqual({ finding: 'stage_event_disagrees', complaint_id: 'T1', commitment: null, event: 'registered', event_at: '2025-10-13 09:05:00' });
  });
});

describe('reopenings (重办)', () => {
  it('continue: the time between resolution and reopening does not count; done when resolved again', () => {
    // R1: 3wd resolution due Thu 16 18:00; resolved Wed 15 10:00, reopened Fri 17 10:00 (within 30d),
    // resolved again Tue 21 10:00. Wed 15 10:00 → Fri 17 10:00 is 16 working hours: Thu 16 18:00 + 16 wh
    // = Mon 20 18:00 (Fri 17 and Mon 20). Tue 10:00 is 16 wall hours (960 min) late.
    expect(find('R1', 'resolve')).toMatchObject({
      status: 'breached', original_due_at: '2025-10-16 18:00:00', due_at: '2025-10-20 18:00:00', done_at: '2025-10-21 10:00:00', late_minutes: 960,
    });
  });

  it('restart: a fresh 3wd period from the reopening', () => {
    // Reopened Fri 17 (not counted): Mon 20, Tue 21, Wed 22 → Wed 22 18:00; resolved again Tue 21 10:00: met.
    const p = join(tempDir(), 'restart.yaml');
    writeFileSync(p, readFileSync(policy, 'utf8').replace('resolution_clock: continue', 'resolution_clock: restart'));
    expect(statusesWith(p).find((s) => s.complaint_id === 'R1' && s.commitment === 'resolve')).toMatchObject({
      status: 'met', due_at: '2025-10-22 18:00:00', done_at: '2025-10-21 10:00:00',
    });
  });

  it('a complaint reopened within the window does not count as resolved for the resolution rate', () => {
    // Resolution clocks due in October: all 11 complaints. Resolved in the export: R1 and D1; R1 was reopened
    // within 30 days, so only D1 counts: 1 of 11.
    const [row] = pledgeJson<{ due: number; resolved: number }>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf,
      "select due, resolved from kpi_resolution_monthly where month = '2025-10-01' and department is null"]);
    expect(row).toEqual({ due: 11, resolved: 1 });
  });

  it('counts the same 1 of 11 on the review pages\' scorecard (kpi_unit_monthly, organisation level)', () => {
    // The same hand count as above: R1's resolution was undone by its reopening, only D1 counts.
    const [row] = pledgeJson<{ numerator: number; denominator: number }>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf,
      "select numerator, denominator from kpi_unit_monthly where month = '2025-10-01' and level = 'organisation' and kpi = 'resolution_rate'"]);
    expect(row).toEqual({ numerator: 1, denominator: 11 });
  });
});

describe('the policy keys of the clock rules', () => {
  it('refuses a reopening window in working units, naming the file and the key', () => {
    const p = join(tempDir(), 'bad.yaml');
    writeFileSync(p, readFileSync(policy, 'utf8').replace('window: 30d', 'window: 10wd'));
    const r = pledge(['query', '--warehouse', warehouse, '--policy', p, 'select 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`pledge: ${p}: reopenings.window: "10wd" must be in calendar units (m, h or d), e.g. "30d"`);
  });
});

describe('a warehouse made before flow logs existed', () => {
  it('still reports: no events, every clock as the export has it', async () => {
    const w = join(tempDir(), 'old.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'clock-complaints.csv'), '--warehouse', w, '--policy', policy]);
    const old = await Warehouse.open(w);
    await old.run('drop table event_versions');
    old.close();
    const [p1] = pledgeJson<Status>(['query', '--warehouse', w, '--policy', policy, '--as-of', asOf,
      `select ${COLUMNS} from commitment_status where complaint_id = 'P1' and commitment = 'first_response'`]);
    // Without the log's pause P1's first response was due 14:00 and answered 16:30: 150 minutes late.
    expect(p1).toMatchObject({ status: 'breached', due_at: '2025-10-13 14:00:00', paused_minutes: 0, late_minutes: 150, owner_team: '客服中心一组' });
  });
});

describe('ingesting a flow log', () => {
  it('keeps every row: loaded, or rejected with file, line, column and reason; read = loaded + rejected', () => {
    // bad-events.csv has 9 data rows (lines 2-10): lines 2, 3 and 10 are good; 4 has no duration,
    // 5 an unreadable time, 6 no complaint_id, 7 an unknown event, 8 repeats line 3, 9 has 7 fields.
    const w = join(tempDir(), 'w.duckdb');
    const out = pledgeOk(['ingest', join(FIXTURES, 'bad-events.csv'), '--warehouse', w, '--policy', policy]);
    expect(out).toMatch(/bad-events\.csv \(utf-8\): read 9 · loaded 3 · rejected 6/);
    const rejects = pledgeJson<{ line_no: number; column_name: string | null; raw_value: string | null; reason: string }>(['query', '--warehouse', w, '--policy', policy,
      'select line_no, column_name, raw_value, reason from rejects order by line_no']);
    expect(rejects.map((r) => [r.line_no, r.column_name, r.raw_value])).toEqual([
      [4, 'detail', 'five days'], [5, 'at', '13/10/2025 9am'], [6, 'complaint_id', null], [7, 'event', 'closed'],
      [8, 'complaint_id', 'E1'], [9, null, null],
    ]);
    expect(rejects[0].reason).toBe('extension_approved needs a duration in detail (e.g. 5wd; units m, h, d, wh, wd)');
    expect(rejects[4].reason).toBe('exact duplicate of line 3');
    // line 9: E5, time, reopened, '', '', "a", "b" = 7 fields against a 6-column header.
    expect(rejects[5].reason).toBe('wrong field count: 7 fields, the header has 6');
    const [imp] = pledgeJson<Record<string, unknown>>(['query', '--warehouse', w, '--policy', policy,
      'select kind, rows_read, rows_loaded, rows_rejected from imports']);
    expect(imp).toEqual({ kind: 'events', rows_read: 9, rows_loaded: 3, rows_rejected: 6 });
    // Chinese event names are stored under their canonical name, the original kept beside it.
    const names = pledgeJson<{ event: string; event_raw: string }>(['query', '--warehouse', w, '--policy', policy,
      'select event, event_raw from event_versions order by line_no']);
    expect(names).toEqual([{ event: 'paused', event_raw: '挂起' }, { event: 'resumed', event_raw: '恢复' }, { event: 'reopened', event_raw: 'reopened' }]);
    expect(pledgeOk(['ingest', join(FIXTURES, 'bad-events.csv'), '--warehouse', w, '--policy', policy])).toMatch(/already loaded as import 1; nothing changed/);
  });

  it('reads a flow log in GB18030 with Chinese headers and CRLF like any other export', () => {
    // The three good rows of bad-events.csv (lines 2, 3, 10), written with the Chinese header
    // 工单编号,时间,事件,操作人,处理部门,说明 and encoded as GB18030: the header tells it is a flow
    // log, the names map to paused/resumed/reopened, and the rows equal the UTF-8 ones.
    const dir = tempDir();
    const file = join(dir, '流转记录.csv');
    writeFileSync(file, iconv.encode([
      '工单编号,时间,事件,操作人,处理部门,说明',
      'E1,2025-10-13 10:00:00,挂起,王芳,客服中心一组,等待用户补充材料',
      'E1,2025-10-13 14:00:00,恢复,王芳,客服中心一组,',
      'E5,2025-10-21 10:00:00,重办,,,用户不认可处理结果',
    ].join('\r\n') + '\r\n', 'gb18030'));
    const w = join(dir, 'w.duckdb');
    expect(pledgeOk(['ingest', file, '--warehouse', w, '--policy', policy])).toMatch(/流转记录\.csv \(gb18030\): read 3 · loaded 3 · rejected 0/);
    const rows = pledgeJson<Record<string, unknown>>(['query', '--warehouse', w, '--policy', policy,
      'select line_no, complaint_id, event_at, event, event_raw, actor, team, detail from event_versions order by line_no']);
    expect(rows).toEqual([
      { line_no: 2, complaint_id: 'E1', event_at: '2025-10-13 10:00:00', event: 'paused', event_raw: '挂起', actor: '王芳', team: '客服中心一组', detail: '等待用户补充材料' },
      { line_no: 3, complaint_id: 'E1', event_at: '2025-10-13 14:00:00', event: 'resumed', event_raw: '恢复', actor: '王芳', team: '客服中心一组', detail: null },
      { line_no: 4, complaint_id: 'E5', event_at: '2025-10-21 10:00:00', event: 'reopened', event_raw: '重办', actor: null, team: null, detail: '用户不认可处理结果' },
    ]);
    const [imp] = pledgeJson<Record<string, unknown>>(['query', '--warehouse', w, '--policy', policy, 'select kind, encoding from imports']);
    expect(imp).toEqual({ kind: 'events', encoding: 'gb18030' });
  });

  it('pledge validate shows a flow log as the events kind, sampled from event_versions', () => {
    // Two hand-written rows: 挂起 maps to paused; "foo" is no event name, so 1 loaded, 1 rejected.
    const file = join(tempDir(), 'events.csv');
    writeFileSync(file, 'complaint_id,at,event\nE1,2025-10-13 10:00,挂起\nE1,2025-10-13 12:00,foo\n');
    const out = pledgeOk(['validate', file, '--policy', policy]);
    expect(out).toContain('events export, utf-8');
    expect(out).toContain('would read 2 · load 1 · reject 1');
    expect(out).toMatch(/2 +E1 +2025-10-13 10:00:00 +paused +挂起/);
    expect(out).toContain('unknown event "foo" (known: paused, resumed, extension_approved');
  });
});

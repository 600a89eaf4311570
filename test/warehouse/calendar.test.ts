// The working-day calendar and the clocks built on it, on a real DuckDB file,
// through the real command line. Expected values worked out by hand from the
// State Council's 2025 National Day arrangement (10-01..08 off; Sunday 09-28 and
// Saturday 10-11 are make-up working days).
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-clocks.yaml');
let warehouse: string;

beforeAll(() => {
  warehouse = join(tempDir(), 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'clocks.csv'), '--warehouse', warehouse, '--policy', policy]);
});

const q = <T = Record<string, unknown>>(sql: string) =>
  pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', '2025-10-31 00:00', sql]);

describe('the 2025 National Day calendar', () => {
  it('counts 2025-10-09, -10 and the make-up Saturday -11 as working days', () => {
    const rows = q<{ day: string; is_working: boolean }>("select day, is_working from stg_calendar where day between '2025-10-09' and '2025-10-11' order by day");
    expect(rows).toEqual([
      { day: '2025-10-09', is_working: true },
      { day: '2025-10-10', is_working: true },
      { day: '2025-10-11', is_working: true },
    ]);
  });

  it('counts 2025-10-01 to 10-08 as days off', () => {
    const rows = q<{ n: number }>("select count(*) filter (where is_working) as n from stg_calendar where day between '2025-10-01' and '2025-10-08'");
    expect(rows[0].n).toBe(0);
  });

  it('counts the make-up Sunday 2025-09-28 as a working day', () => {
    const rows = q<{ is_working: boolean; kind: string }>("select is_working, kind from stg_calendar where day = '2025-09-28'");
    expect(rows[0]).toEqual({ is_working: true, kind: 'makeup_workday' });
  });
});

describe('deadlines on the calendar', () => {
  it('puts a 3wd deadline for a complaint received 2025-09-30 10:00 at the close of 2025-10-11', () => {
    // 09-30 does not count; 10-01..08 are off; 10-09 (1), 10-10 (2), 10-11 (3).
    const [row] = q<{ due_at: string; status: string }>("select due_at, status from commitment_status where complaint_id = 'K1' and commitment = 'resolve'");
    expect(row).toEqual({ due_at: '2025-10-11 18:00:00', status: 'met' });
  });

  it('puts a 4wh deadline for Friday 2025-09-26 17:00 at Sunday 2025-09-28 12:00', () => {
    // Friday 17:00-18:00 is 1 h; Saturday is off; the make-up Sunday gives 09:00-12:00, 3 h.
    const rows = q<{ complaint_id: string; due_at: string; status: string; late_minutes: number | null }>(
      "select complaint_id, due_at, status, late_minutes from commitment_status where commitment = 'first_response' and complaint_id in ('K2', 'K3') order by 1");
    expect(rows).toEqual([
      { complaint_id: 'K2', due_at: '2025-09-28 12:00:00', status: 'met', late_minutes: null },
      { complaint_id: 'K3', due_at: '2025-09-28 12:00:00', status: 'breached', late_minutes: 1 / 60 },
    ]);
  });
});

// A year chinese-days does not ship yet (2027), added from a hand-made iCalendar
// file, test/fixtures/holidays-cn-2027.ics (CRLF line ends, folded lines, a
// VTIMEZONE and a VALARM whose own DTSTART/DESCRIPTION are not the event's):
//   元旦        DTSTART:20261231T160000Z, DTEND:20270103T160000Z: in Asia/Shanghai
//               2027-01-01 00:00 to 2027-01-04 00:00 (exclusive): 01-01 Fri, 01-02, 01-03 off
//   国庆节、中秋节 DTSTART;VALUE=DATE:20271001, DTEND 20271008 (exclusive): 10-01 Fri .. 10-07 Thu off
//   Make-up working day  CATEGORIES:HOLIDAY,WORKDAY on Sunday 2027-09-26
//   国庆节补班  Saturday 2027-10-09 (no DTEND: one day), a working day by its name
//   公司周年庆  DTSTART 20250312, RRULE:FREQ=YEARLY: every 12 March (2027-03-12 is a Friday)
//   取消的团建  STATUS:CANCELLED on Monday 2027-10-11: not a holiday
describe('a year added from an .ics file (holidays: CN + calendar.ics)', () => {
  const icsPolicy = join(FIXTURES, 'policy-ics.yaml');
  let icsWarehouse: string;
  const qi = <T = Record<string, unknown>>(sql: string, p = icsPolicy) =>
    pledgeJson<T>(['query', '--warehouse', icsWarehouse, '--policy', p, '--as-of', '2027-12-31 00:00', sql]);

  beforeAll(() => {
    icsWarehouse = join(tempDir(), 'w.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'ics-clocks.csv'), '--warehouse', icsWarehouse, '--policy', icsPolicy,
      '--exported-at', '2028-01-01 00:00']);
  });

  it('reads each event as the days it covers, named by its SUMMARY, from its file', () => {
    const rows = qi<{ day: string; is_working: boolean; kind: string; name: string | null; source: string }>(
      "select day, is_working, kind, name, source from stg_calendar where day in ('2027-01-01', '2027-01-03', '2027-01-04', '2027-03-12', '2027-09-26', '2027-10-01', '2027-10-07', '2027-10-08', '2027-10-09', '2027-10-11') order by day");
    const ics = 'ics holidays-cn-2027.ics';
    expect(rows).toEqual([
      { day: '2027-01-01', is_working: false, kind: 'holiday', name: '元旦', source: ics },
      { day: '2027-01-03', is_working: false, kind: 'holiday', name: '元旦', source: ics },
      { day: '2027-01-04', is_working: true, kind: 'workday', name: null, source: 'weekday rule' },
      { day: '2027-03-12', is_working: false, kind: 'holiday', name: '公司周年庆', source: ics },
      { day: '2027-09-26', is_working: true, kind: 'makeup_workday', name: 'Make-up working day', source: ics },
      { day: '2027-10-01', is_working: false, kind: 'holiday', name: '国庆节、中秋节', source: ics },
      { day: '2027-10-07', is_working: false, kind: 'holiday', name: '国庆节、中秋节', source: ics },
      { day: '2027-10-08', is_working: true, kind: 'workday', name: null, source: 'weekday rule' },
      { day: '2027-10-09', is_working: true, kind: 'makeup_workday', name: '国庆节补班', source: ics },
      { day: '2027-10-11', is_working: true, kind: 'workday', name: null, source: 'weekday rule' },
    ]);
  });

  it('puts deadlines across the .ics holidays and make-up days, and does not flag 2027 as uncovered', () => {
    const rows = qi<{ complaint_id: string; commitment: string; due_at: string; status: string; calendar_uncovered: boolean }>(
      'select complaint_id, commitment, due_at, status, calendar_uncovered from commitment_status order by 1, 2');
    expect(rows).toEqual([
      // Received Thu 2027-09-30 10:00, 4wh: 10:00-12:00 and 13:00-15:00 the same day.
      { complaint_id: 'K1', commitment: 'first_response', due_at: '2027-09-30 15:00:00', status: 'met', calendar_uncovered: false },
      // 3wd: 09-30 does not count; 10-01..07 off; Fri 10-08 (1), make-up Sat 10-09 (2), Sun off, Mon 10-11 (3);
      // the cancelled event on 10-11 is not a holiday. Resolved 10-11 17:00: met.
      { complaint_id: 'K1', commitment: 'resolve', due_at: '2027-10-11 18:00:00', status: 'met', calendar_uncovered: false },
      // Received Fri 2027-09-24 17:00, 4wh: 17:00-18:00 is 1 h; Sat off; the make-up Sunday 09-26 gives 09:00-12:00.
      { complaint_id: 'K2', commitment: 'first_response', due_at: '2027-09-26 12:00:00', status: 'met', calendar_uncovered: false },
      // 3wd: Sun 09-26 (1), Mon 09-27 (2), Tue 09-28 (3).
      { complaint_id: 'K2', commitment: 'resolve', due_at: '2027-09-28 18:00:00', status: 'met', calendar_uncovered: false },
      // Received Thu 2026-12-31 17:00 (chinese-days covers 2026), 4wh: 17:00-18:00, then 01-01..03 off (the UTC
      // event), Mon 2027-01-04 09:00-12:00: due 12:00.
      { complaint_id: 'K3', commitment: 'first_response', due_at: '2027-01-04 12:00:00', status: 'met', calendar_uncovered: false },
      // 3wd: 01-04 (1), 01-05 (2), 01-06 (3); resolved one second after 18:00: breached.
      { complaint_id: 'K3', commitment: 'resolve', due_at: '2027-01-06 18:00:00', status: 'breached', calendar_uncovered: false },
      { complaint_id: 'K4', commitment: 'first_response', due_at: '2027-03-11 15:00:00', status: 'met', calendar_uncovered: false },
      // Received Thu 2027-03-11: Fri 03-12 is the yearly anniversary; Mon 03-15 (1), 03-16 (2), Wed 03-17 (3).
      { complaint_id: 'K4', commitment: 'resolve', due_at: '2027-03-17 18:00:00', status: 'met', calendar_uncovered: false },
    ]);
  });

  it('without the file, assumes Monday to Friday in 2027 and flags it as uncovered', () => {
    // policy-clocks.yaml: the same calendar without calendar.ics. 3wd from Thu 2027-09-30: Fri 10-01 (1),
    // Mon 10-04 (2), Tue 10-05 (3).
    const [row] = qi<{ due_at: string; calendar_uncovered: boolean }>(
      "select due_at, calendar_uncovered from commitment_status where complaint_id = 'K1' and commitment = 'resolve'", policy);
    expect(row).toEqual({ due_at: '2027-10-05 18:00:00', calendar_uncovered: true });
  });

  it('counts only years with a dated event as covered: the yearly anniversary does not cover 2028', () => {
    const rows = qi<{ y: number; covered: boolean }>(
      "select distinct year(day) as y, covered from stg_calendar where year(day) in (2027, 2028) order by 1");
    expect(rows).toEqual([{ y: 2027, covered: true }, { y: 2028, covered: false }]);
  });

  it('lets the policy\'s own days win over the file\'s, and the file\'s over the built-in calendar', () => {
    // extra_holidays closes the file's make-up Saturday 2027-10-09; extra_working_days opens the file's
    // holiday 10-07; the file's anniversary on 2026-03-12 (a Thursday, a working day in chinese-days) is off.
    const dir = tempDir();
    const p = join(dir, 'policy.yaml');
    writeFileSync(p, readFileSync(icsPolicy, 'utf8').replace('ics: [holidays-cn-2027.ics]',
      `ics: [${JSON.stringify(join(FIXTURES, 'holidays-cn-2027.ics'))}]\n  extra_holidays: ["2027-10-09"]\n  extra_working_days: ["2027-10-07"]`));
    const rows = qi<{ day: string; kind: string; name: string | null; source: string }>(
      "select day, kind, name, source from stg_calendar where day in ('2026-03-12', '2027-10-07', '2027-10-09') order by day", p);
    expect(rows).toEqual([
      // source names the file as the policy does.
      { day: '2026-03-12', kind: 'holiday', name: '公司周年庆', source: `ics ${join(FIXTURES, 'holidays-cn-2027.ics')}` },
      { day: '2027-10-07', kind: 'workday', name: null, source: 'policy' },
      { day: '2027-10-09', kind: 'holiday', name: null, source: 'policy' },
    ]);
    // K1 (received Thu 09-30, 3wd): 10-07 (1), 10-08 (2), 10-09 closed, 10-10 Sunday, 10-11 (3).
    const [k1] = qi<{ due_at: string }>("select due_at from commitment_status where complaint_id = 'K1' and commitment = 'resolve'", p);
    expect(k1.due_at).toBe('2027-10-11 18:00:00');
  });

  it('changes the stored facts\' fingerprint when the .ics file changes, though the policy file does not', () => {
    // The fingerprint hashes the calendar_source rows (src/models/facts.ts), so an edited file is seen.
    const dir = tempDir();
    copyFileSync(icsPolicy, join(dir, 'policy.yaml'));
    copyFileSync(join(FIXTURES, 'holidays-cn-2027.ics'), join(dir, 'holidays-cn-2027.ics'));
    const w = join(dir, 'w.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'ics-clocks.csv'), '--warehouse', w, '--policy', join(dir, 'policy.yaml'), '--exported-at', '2028-01-01 00:00']);
    const sql = "select due_at from commitment_status where complaint_id = 'K1' and commitment = 'resolve'";
    const args = ['query', '--warehouse', w, '--policy', join(dir, 'policy.yaml'), '--as-of', '2027-12-31 00:00', '--format', 'json', sql];
    const before = pledge(args);
    expect(before.stderr).not.toContain('stale');
    expect(JSON.parse(before.stdout)).toEqual([{ due_at: '2027-10-11 18:00:00' }]);
    // Move the make-up Saturday from 10-09 to 10-16: Fri 10-08 (1), Mon 10-11 (2), Tue 10-12 (3).
    const ics = join(dir, 'holidays-cn-2027.ics');
    writeFileSync(ics, readFileSync(ics, 'utf8').replace('DTSTART;VALUE=DATE:20271009', 'DTSTART;VALUE=DATE:20271016'));
    const after = pledge(args);
    expect(after.stderr).toContain('stored facts are stale (the policy, calendar, key or SQL they were computed from changed)');
    expect(JSON.parse(after.stdout)).toEqual([{ due_at: '2027-10-12 18:00:00' }]);
  });
});

// A US office (test/fixtures/policy-ics-us.yaml, America/New_York, holidays: none)
// with holidays-us.ics: yearly rules by date (4 July), by weekday in a month
// (Memorial Day BYDAY=-1MO;BYMONTH=5, Thanksgiving BYDAY=4TH;BYMONTH=11), with
// COUNT (Christmas 2025 and 2026 only), an EXDATE (no 4 July in 2026), a TZID
// date-time event (28 Nov 2025) and a DURATION (a three-day retreat).
describe('another country\'s holidays (holidays: none + calendar.ics)', () => {
  const usPolicy = join(FIXTURES, 'policy-ics-us.yaml');
  let usWarehouse: string;
  const qu = <T = Record<string, unknown>>(sql: string) =>
    pledgeJson<T>(['query', '--warehouse', usWarehouse, '--policy', usPolicy, '--as-of', '2026-06-30 00:00', sql]);

  beforeAll(() => {
    usWarehouse = join(tempDir(), 'w.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'ics-us.csv'), '--warehouse', usWarehouse, '--policy', usPolicy, '--exported-at', '2026-06-30 00:00']);
  });

  it('expands the yearly rules: Memorial Day, Thanksgiving and Christmas per year, the closure once', () => {
    // By hand: last Monday of May 2025 = 05-26, 2026 = 05-25, 2027 = 05-31; fourth Thursday of November
    // 2025 = 11-27, 2026 = 11-26, 2027 = 11-25; Christmas COUNT=2: 2025 and 2026, not 2027.
    const rows = qu<{ day: string; name: string }>(
      "select day, name from stg_calendar where kind = 'holiday' and day between '2025-01-01' and '2027-12-31' order by day");
    expect(rows).toEqual([
      { day: '2025-05-26', name: 'Memorial Day' },
      { day: '2025-07-04', name: 'Independence Day' },
      { day: '2025-11-27', name: 'Thanksgiving Day' },
      { day: '2025-11-28', name: 'Day after Thanksgiving (office closed)' },
      { day: '2025-12-25', name: 'Christmas Day' },
      // DURATION:P3D from Mon 2026-03-02: 03-02, 03-03, 03-04.
      { day: '2026-03-02', name: 'Office retreat' },
      { day: '2026-03-03', name: 'Office retreat' },
      { day: '2026-03-04', name: 'Office retreat' },
      { day: '2026-05-25', name: 'Memorial Day' },
      // 2026-07-04 is an EXDATE of the Independence Day rule.
      { day: '2026-11-26', name: 'Thanksgiving Day' },
      { day: '2026-12-25', name: 'Christmas Day' },
      { day: '2027-05-31', name: 'Memorial Day' },
      { day: '2027-07-04', name: 'Independence Day' },
      { day: '2027-11-25', name: 'Thanksgiving Day' },
    ]);
  });

  it('puts working-day deadlines across them, in the office\'s own time zone', () => {
    const rows = qu<{ complaint_id: string; due_at: string; status: string; calendar_uncovered: boolean }>(
      "select complaint_id, due_at, status, calendar_uncovered from commitment_status where commitment = 'resolve' order by 1");
    expect(rows).toEqual([
      // Received Wed 2025-11-26 10:00 New York, 2wd: Thu 11-27 and Fri 11-28 closed; Mon 12-01 (1), Tue 12-02 (2).
      { complaint_id: 'U1', due_at: '2025-12-02 18:00:00', status: 'met', calendar_uncovered: false },
      // Received Fri 2026-05-22 10:00, 2wd: Mon 05-25 Memorial Day; Tue 05-26 (1), Wed 05-27 (2); never resolved.
      { complaint_id: 'U2', due_at: '2026-05-27 18:00:00', status: 'overdue', calendar_uncovered: false },
    ]);
  });
});

describe('calendar and .ics errors name what to write', () => {
  const commitments = 'commitments: { first_response: { from: received_at, to: first_response_at, within: 4wh }, resolve: { from: received_at, to: resolved_at, within: 3wd } }\n';
  const validate = (policyText: string, ics?: string) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'policy.yaml'), policyText + commitments);
    if (ics !== undefined) writeFileSync(join(dir, 'h.ics'), ics);
    const r = pledge(['validate', join(FIXTURES, 'ics-us.csv'), '--policy', join(dir, 'policy.yaml')]);
    expect(r.code).not.toBe(0);
    return r.stderr.replaceAll(dir, '<dir>').trim();
  };
  const event = (...lines: string[]) => ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:x', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

  it('refuses holidays: US, saying what is accepted and pointing to calendar.ics', () => {
    expect(validate('calendar: { holidays: US }\n')).toBe(
      'pledge: <dir>/policy.yaml: calendar.holidays: "US" is not a built-in calendar: use CN (Chinese statutory holidays and make-up working days) or none (Monday to Friday); for another country\'s holidays, set holidays: none and list an iCalendar file of them under calendar.ics, e.g. ics: [us-holidays.ics]');
  });

  it('names the file, the line and the field of a bad date, and of a rule it does not read', () => {
    expect(validate('calendar: { ics: [h.ics] }\n', event('DTSTART;VALUE=DATE:2027-01-01'))).toBe(
      'pledge: <dir>/policy.yaml: calendar.ics[0]: h.ics: line 4: DTSTART: "2027-01-01" is not a date (20270101) or a date-time (20270101T000000Z)');
    expect(validate('calendar: { ics: [h.ics] }\n', event('DTSTART;VALUE=DATE:20270101', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=1'))).toBe(
      'pledge: <dir>/policy.yaml: calendar.ics[0]: h.ics: line 5: RRULE: FREQ=MONTHLY: only yearly rules (FREQ=YEARLY) are read; list the other days as events of their own');
    expect(validate('calendar: { ics: [h.ics] }\n', event('DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270101'))).toBe(
      'pledge: <dir>/policy.yaml: calendar.ics[0]: h.ics: line 5: DTEND: 20270101 is not after DTSTART 20270101');
    expect(validate('calendar: { ics: [h.ics] }\n', event('DTSTART;VALUE=DATE:20270101', 'RDATE;VALUE=DATE:20280101'))).toBe(
      'pledge: <dir>/policy.yaml: calendar.ics[0]: h.ics: line 5: RDATE: extra dates of a recurring event are not read: give each date its own VEVENT');
  });

  it('says where a listed file was looked for', () => {
    expect(validate('calendar: { ics: [missing.ics] }\n')).toBe(
      'pledge: <dir>/policy.yaml: calendar.ics[0]: cannot read "missing.ics" (paths are relative to the policy file\'s folder, <dir>)');
  });
});

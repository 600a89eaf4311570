// Closed months (pledge close, src/models/close.ts) through the real CLI on a hand-written
// export. Policy: register within 24 h, resolve within 10 calendar days, Chinese working-day
// calendar, months close 10 working days after their end (reports.close_after: 10wd).
//
// Export 1 (all times Asia/Shanghai):
//   S1 rec 09-02 09:00, reg 09:30, resolved 09-05   register met (due 09-03), resolve met (due 09-12)
//   S2 rec 09-10 09:00, reg 09-12 10:00, res 09-15  register breached (due 09-11), resolve met (due 09-20)
//   S3 rec 09-20 09:00, reg 09:10, not resolved     register met; resolve due 09-30 09:00: overdue at 10-01 00:00
//   S4 rec 09-25 09:00, reg 10:00, res 10-03        register met (due 09-26, September); resolve due 10-05 (October), met
//   O1 rec 10-06 09:00, reg 09:20, res 10-08        register met, resolve met
//   O2 rec 10-20 09:00, reg 10-22 09:00, res 10-25  register breached (due 10-21), resolve met (due 10-30)
// September closes 10 working days after 2025-10-01 00:00: 1-8 October are the National
// Day holiday, 11 October (Saturday) is a make-up working day, so the working days are
// 10-09, 10-10, 10-11, 10-13…10-17, 10-20, 10-21: 2025-10-21 at close of business (18:00).
// October closes after 11-03…11-07 and 11-10…11-14: 2025-11-14 18:00.
// Export 1's latest time is O2's resolution, 10-25 10:00: past 10-21 18:00, short of
// 11-14 18:00, so its ingest closes September only.
//
// September as published (as of 2025-10-01 00:00):
//   timeliness:register  met S1 S3 S4 / judged S1 S2 S3 S4     = 3/4
//   timeliness:resolve   met S1 S2 / S1 S2 S3 (S3 overdue)      = 2/3
//   resolution_rate      resolved S1 S2 / due S1 S2 S3          = 2/3
//   timeliness           (3 + 2) / (4 + 3)                      = 5/7
// Export 2 (a later, full re-export) records S3 resolved 2025-09-29 15:00 (before its due
// instant) and adds N1 (rec 11-20 09:00, reg 09:30, res 11-21 09:30) and N2 (rec 11-15
// 09:00, reg 09:10, unresolved): its latest time, 11-21 09:30, is past 11-14 18:00, so its
// ingest closes October. Recomputed at September's own end, September then reads
// resolution_rate 3/3 and timeliness:resolve 3/3, timeliness 6/7: revisions, "data added
// after close (1 import)"; September's published figures stay 2/3, and October's
// "vs last month" compares with them.
// October (as of 11-01 00:00): register O1 met, O2 breached = 1/2; resolve S4 O1 O2 met = 3/3;
// resolution_rate 3/3.
// November (as of 12-01 00:00, not settled: the data end 11-21; export 2 was made 12-01 00:00): clocks counted in it are N1
// register and resolve (done), N2 register (done) and N2 resolve (due 11-25 09:00, not done:
// overdue): 1 of 4 still open.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-close-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const policyFaster = join(dir, 'policy-2d.yaml');
const POLICY = `timezone: Asia/Shanghai
calendar: { holidays: CN, working_hours: ["09:00-12:00", "13:00-18:00"] }
channels: { online: [app, web], offline: [phone] }
resolution: { commitment: resolve, exclude_invalid: true }
reports: { close_after: 10wd }
scorecard: { weights: { "timeliness:register": 0.5, resolution_rate: 0.5 } }
parity: { kpis: [timeliness, resolution_rate] }
commitments:
  register: { from: received_at, to: registered_at, within: 24h }
  resolve: { from: received_at, to: resolved_at, within: 10d }
`;
const HEADER = 'complaint_id,channel,severity,department,team,received_at,registered_at,resolved_at';
const E1 = [
  'S1,phone,general,客服部,一组,2025-09-02 09:00,2025-09-02 09:30,2025-09-05 10:00',
  'S2,phone,general,客服部,一组,2025-09-10 09:00,2025-09-12 10:00,2025-09-15 10:00',
  'S3,app,general,客服部,二组,2025-09-20 09:00,2025-09-20 09:10,',
  'S4,app,general,客服部,二组,2025-09-25 09:00,2025-09-25 10:00,2025-10-03 10:00',
  'O1,phone,general,客服部,一组,2025-10-06 09:00,2025-10-06 09:20,2025-10-08 10:00',
  'O2,web,general,客服部,二组,2025-10-20 09:00,2025-10-22 09:00,2025-10-25 10:00',
];
const E2 = [
  ...E1.map((l) => (l.startsWith('S3,') ? `${l}2025-09-29 15:00` : l)),
  'N1,phone,general,客服部,一组,2025-11-20 09:00,2025-11-20 09:30,2025-11-21 09:30',
  'N2,app,general,客服部,二组,2025-11-15 09:00,2025-11-15 09:10,',
];

const q = <T = Record<string, unknown>>(month: string, sql: string, p = policy) =>
  pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', p, '--month', month, sql]);
type Fig = { kpi: string; numerator: number; denominator: number; actual: number };
const org = (month: string, view: string, p = policy) => Object.fromEntries(q<Fig>(month,
  `select kpi, numerator, denominator, actual from ${view} where month = '${month}-01' and level = 'organisation' order by kpi`, p).map((r) => [r.kpi, r]));

let ingest1 = '';
let ingest2 = '';
let refused: { code: number; stderr: string };
let published1: Record<string, Fig>;

beforeAll(() => {
  writeFileSync(policy, POLICY);
  writeFileSync(policyFaster, POLICY.replace('within: 10d', 'within: 2d'));
  writeFileSync(join(dir, 'e1.csv'), [HEADER, ...E1].join('\n') + '\n');
  writeFileSync(join(dir, 'e2.csv'), [HEADER, ...E2].join('\n') + '\n');
  ingest1 = pledgeOk(['ingest', join(dir, 'e1.csv'), '--warehouse', warehouse, '--policy', policy]);
  published1 = org('2025-09', 'kpi_published_monthly');
  refused = pledge(['close', '--month', '2025-09', '--warehouse', warehouse, '--policy', policy]);
  // Exported at the end of November: N2's resolve, due 11-25, is known to be overdue (without the
  // export time the data would end at 11-21 09:30 and it would be unknown, "data ends").
  ingest2 = pledgeOk(['ingest', join(dir, 'e2.csv'), '--full', '--exported-at', '2025-12-01 00:00', '--warehouse', warehouse, '--policy', policy]);
}, 120_000);

describe('when a month closes', () => {
  it('closes at close of business of the 10th working day after its end, on the holiday calendar', () => {
    const rows = q<{ month: string; closes_at: string }>('2025-09', 'select month, closes_at::varchar as closes_at from kpi_month_close order by month');
    expect(rows.map((r) => [String(r.month).slice(0, 7), r.closes_at.slice(0, 16)])).toEqual([
      ['2025-09', '2025-10-21 18:00'], ['2025-10', '2025-11-14 18:00'], ['2025-11', '2025-12-15 18:00']]);
  });

  it('is closed by the ingest that carries the data past that instant, and only then', () => {
    expect(ingest1).toContain('closed 2025-09:');
    expect(ingest1).not.toContain('closed 2025-10');
    expect(ingest2).toContain('closed 2025-10:');
    expect(ingest2).not.toContain('closed 2025-09');
    expect(ingest2).not.toContain('closed 2025-11');
  });
});

describe('the data horizon', () => {
  it('is no later than the export was made: exported 2025-10-15, September (closing 10-21 18:00) stays open', () => {
    // Export 1's stage times reach 10-25 10:00, but an export made on 10-15 cannot know them.
    const w = join(dir, 'exported-early.duckdb');
    const out = pledgeOk(['ingest', join(dir, 'e1.csv'), '--exported-at', '2025-10-15 12:00', '--warehouse', w, '--policy', policy]);
    expect(out).not.toContain('closed 2025-');
    const rows = pledgeJson<{ month: string; data_until: string; settled: boolean }>(['query', '--warehouse', w, '--policy', policy,
      "select month, data_until::varchar as data_until, settled from kpi_month_close where month = '2025-09-01'"]);
    expect(rows.map((r) => [r.data_until.slice(0, 16), r.settled])).toEqual([['2025-10-15 12:00', false]]);
  });
});

describe('published figures', () => {
  it('are the month judged at its own end, with the data of the close', () => {
    expect([published1['timeliness:register'].numerator, published1['timeliness:register'].denominator]).toEqual([3, 4]);
    expect([published1['timeliness:resolve'].numerator, published1['timeliness:resolve'].denominator]).toEqual([2, 3]);
    expect([published1.resolution_rate.numerator, published1.resolution_rate.denominator]).toEqual([2, 3]);
    expect([published1.timeliness.numerator, published1.timeliness.denominator]).toEqual([5, 7]);
    expect(published1.resolution_rate.actual).toBeCloseTo(2 / 3, 12);
  });

  it('are not replaced by a later export: September still reads 2/3 after export 2', () => {
    const after = org('2025-09', 'kpi_published_monthly');
    expect(after.resolution_rate.actual).toBeCloseTo(2 / 3, 12);
    expect(after.timeliness.actual).toBeCloseTo(5 / 7, 12);
  });

  it('refuse a second close of a closed month without --reclose, saying how', () => {
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pledge close --month 2025-09: 2025-09 is already closed (published as of 2025-10-01 00:00');
    expect(refused.stderr).toContain('--reclose "<why>"');
  });

  it('refuse a month that has not ended in the data', () => {
    const r = pledge(['close', '--month', '2025-12', '--warehouse', warehouse, '--policy', policy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the warehouse has no data for 2025-12 (its months run from 2025-09 to 2025-11)');
  });
});

describe('vs last month compares published with published', () => {
  it('takes September as published (2/3), not recomputed at October\'s end (3/3)', () => {
    const rows = Object.fromEntries(q<{ kpi: string; actual: number; previous: number; previous_published: boolean }>('2025-10',
      "select kpi, actual, previous, previous_published from kpi_summary_monthly where month = '2025-10-01'").map((r) => [r.kpi, r]));
    expect(rows.resolution_rate.actual).toBeCloseTo(1, 12);
    expect(rows.resolution_rate.previous).toBeCloseTo(2 / 3, 12);
    expect(rows.resolution_rate.previous_published).toBe(true);
    expect(rows.timeliness.previous).toBeCloseTo(5 / 7, 12);
    // The same in the unit view, for the organisation and for team 二组 (S3, S4 in September:
    // register 2/2 met, resolve S3 overdue, S4 due in October: 0/1).
    const units = q<{ level: string; unit: string | null; previous: number; previous_published: boolean }>('2025-10',
      "select level, unit, previous, previous_published from kpi_unit_monthly where month = '2025-10-01' and kpi = 'timeliness:resolve' and level <> 'department' order by level, unit");
    expect(units.map((u) => [u.level, u.unit, u.previous_published])).toEqual([['organisation', null, true], ['team', '一组', true], ['team', '二组', true]]);
    expect(units[0].previous).toBeCloseTo(2 / 3, 12);
    expect(units[1].previous).toBeCloseTo(1, 12);
    expect(units[2].previous).toBeCloseTo(0, 12);
  });

  it('draws closed months in the trend as published, the open one as recomputed', () => {
    // As of 2025-12-01: September recomputed would read 3/3 (S3 resolved 09-29); published it is 2/3.
    const rows = pledgeJson<{ month: string; kpi: string; actual: number; published: boolean }>(['query', '--warehouse', warehouse, '--policy', policy,
      '--month', '2025-11', '--file', 'queries/report/kpi_trend.sql']).filter((r) => r.kpi === 'resolution_rate');
    expect(rows.map((r) => [String(r.month).slice(0, 7), r.published])).toEqual([['2025-09', true], ['2025-10', true], ['2025-11', false]]);
    expect(rows[0].actual).toBeCloseTo(2 / 3, 12);
    expect(rows[1].actual).toBeCloseTo(1, 12);
    // November: N1 resolved, N2 not (due 11-25): 1/2.
    expect(rows[2].actual).toBeCloseTo(1 / 2, 12);
  });
});

describe('revisions', () => {
  it('list a figure that recomputed at the month\'s own end differs from the published one, with why', () => {
    const rows = q<{ level: string; unit: string | null; kpi: string; published_actual: number; recomputed_actual: number; difference: number; published_denominator: number; recomputed_denominator: number; like_for_like: boolean; reason: string }>('2025-09',
      "select level, unit, kpi, published_actual, recomputed_actual, difference, published_denominator, recomputed_denominator, like_for_like, reason from kpi_revisions where level = 'organisation' order by kpi");
    // reopen_rate (reopened / resolved) reads 0 either way, but over 3 resolved instead of 2: its counts changed.
    expect(rows.map((r) => r.kpi)).toEqual(['reopen_rate', 'resolution_rate', 'timeliness', 'timeliness:resolve']);
    const byKpi = Object.fromEntries(rows.map((r) => [r.kpi, r]));
    expect(byKpi.resolution_rate.published_actual).toBeCloseTo(2 / 3, 12);
    expect(byKpi.resolution_rate.recomputed_actual).toBeCloseTo(1, 12);
    expect(byKpi.resolution_rate.difference).toBeCloseTo(1 / 3, 12);
    expect(byKpi.timeliness.recomputed_actual).toBeCloseTo(6 / 7, 12);
    expect([byKpi.reopen_rate.published_denominator, byKpi.reopen_rate.recomputed_denominator]).toEqual([2, 3]);
    for (const r of rows) {
      expect(r.like_for_like).toBe(true);
      expect(r.reason).toBe('data added after close (1 import)');
    }
  });

  it('say when the difference is only a later as-of', () => {
    const [r] = q<{ reason: string; like_for_like: boolean }>('2025-10',
      "select reason, like_for_like from kpi_revisions where month = '2025-09-01' and level = 'organisation' and kpi = 'resolution_rate'");
    expect(r.like_for_like).toBe(false);
    expect(r.reason).toBe('data added after close (1 import); recomputed at another as-of (2025-11-01 00:00, published as of 2025-10-01 00:00)');
  });

  it('leave the published figures as they were under another policy, and say the policy changed', () => {
    // resolve within 2 days: S1 (3 days), S2 (5), S3 (9) breached, S4 (due 09-27) overdue at 10-01: 0/4.
    const published = org('2025-09', 'kpi_published_monthly', policyFaster);
    expect(published['timeliness:resolve'].actual).toBeCloseTo(2 / 3, 12);
    const [r] = q<{ recomputed_numerator: number; recomputed_denominator: number; reason: string }>('2025-09',
      "select recomputed_numerator, recomputed_denominator, reason from kpi_revisions where level = 'organisation' and kpi = 'timeliness:resolve'", policyFaster);
    expect([r.recomputed_numerator, r.recomputed_denominator]).toEqual([0, 4]);
    expect(r.reason).toBe('policy changed; data added after close (1 import)');
  });
});

describe('the dashboard', () => {
  const out = join(dir, 'out');
  let october = '';
  let november = '';
  beforeAll(() => {
    pledgeOk(['run', '--month', '2025-10', '--lang', 'en', '--warehouse', warehouse, '--policy', policy, '--out', out]);
    pledgeOk(['run', '--month', '2025-11', '--lang', 'en', '--warehouse', warehouse, '--policy', policy, '--out', out]);
    october = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
    november = readFileSync(join(out, '2025-11', 'index.html'), 'utf8');
  }, 120_000);

  it('marks a closed month closed and says "vs last month" reads the published figures', () => {
    expect(october).toContain('data-month-state="closed"');
    expect(october).toContain('data-previous="published"');
    // resolution 3/3 against September's published 2/3: +33.3 pp, not 0.
    expect(october).toMatch(/data-kpi="resolution_rate"[^>]*>[\s\S]*?vs last month \+33\.3/);
  });

  it('lists September\'s revisions, recomputed at September\'s end', () => {
    const section = october.slice(october.indexOf('id="panel-revisions"'));
    expect(section).toContain('data-revisions="');
    expect(section).toMatch(/data-month="2025-09" data-level="organisation" data-unit="" data-kpi="resolution_rate">[\s\S]*?66\.7%[\s\S]*?100\.0%[\s\S]*?\+33\.3 pp[\s\S]*?data added after close \(1 import\)/);
  });

  it('marks an open month provisional with its still-open share', () => {
    expect(november).toContain('data-month-state="provisional" data-open-share="0.25"');
    expect(november).toContain('25.0% (1 / 4) of its clocks are still open');
    expect(november).not.toContain('id="panel-revisions"');
  });
});

describe('a reclose', () => {
  it('publishes the month again and keeps the earlier figures', () => {
    const out = pledgeOk(['close', '--month', '2025-09', '--reclose', 'S3 resolution recorded late', '--warehouse', warehouse, '--policy', policy]);
    expect(out).toContain('closed 2025-09:');
    expect(out).toContain('(close 2; the earlier figures are kept); --reclose: S3 resolution recorded late');
    expect(org('2025-09', 'kpi_published_monthly').resolution_rate.actual).toBeCloseTo(1, 12);
    const history = q<{ close_no: number; actual: number }>('2025-09',
      "select close_no, actual from published_kpi where month = '2025-09-01' and level = 'organisation' and kpi = 'resolution_rate' order by close_no");
    expect(history.map((h) => h.close_no)).toEqual([1, 2]);
    expect(history[0].actual).toBeCloseTo(2 / 3, 12);
    expect(q('2025-09', "from kpi_revisions where level = 'organisation'")).toEqual([]);
    const [oct] = q<{ previous: number }>('2025-10', "select previous from kpi_summary_monthly where month = '2025-10-01' and kpi = 'resolution_rate'");
    expect(oct.previous).toBeCloseTo(1, 12);
  });
});

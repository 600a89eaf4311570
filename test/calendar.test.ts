// The working-day calendar and the clocks built on it, on a real DuckDB file,
// through the real command line. Expected values worked out by hand from the
// State Council's 2025 National Day arrangement (10-01..08 off; Sunday 09-28 and
// Saturday 10-11 are make-up working days).
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, pledgeJson, pledgeOk, tempDir } from './support/cli.ts';

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

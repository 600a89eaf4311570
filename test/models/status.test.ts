// Every status (met, breached, overdue, pending, unknown: README, How the data flows) on a hand-written fixture (test/fixtures/statuses.csv),
// through the real CLI and a real DuckDB file, evaluated as of 2025-10-20 00:00.
// Policy test/fixtures/policy-clocks.yaml: first_response 4wh, escalate 2h (major
// only), resolve 3wd. Working hours 09:00-12:00, 13:00-18:00.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-clocks.yaml');
let warehouse: string;
type Status = { complaint_id: string; commitment: string; status: string; due_at: string | null; late_minutes: number | null; data_problem: string | null };
let statuses: Status[];
const find = (id: string, commitment: string) => statuses.find((s) => s.complaint_id === id && s.commitment === commitment)!;

beforeAll(() => {
  warehouse = join(tempDir(), 'w.duckdb');
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
  statuses = pledgeJson<Status>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', '2025-10-20 00:00',
    'select complaint_id, commitment, status, due_at, late_minutes, data_problem from commitment_status order by 1, 2']);
});

describe('commitment statuses as of 2025-10-20 00:00', () => {
  it('met: answered at 11:00, due 14:00 (09:00 + 3 h before lunch + 1 h after)', () => {
    expect(find('S1', 'first_response')).toMatchObject({ status: 'met', due_at: '2025-10-13 14:00:00', late_minutes: null });
  });

  it('breached: answered at 15:30, 90 minutes after the 14:00 deadline', () => {
    expect(find('S2', 'first_response')).toMatchObject({ status: 'breached', due_at: '2025-10-13 14:00:00', late_minutes: 90 });
  });

  it('overdue: never answered; 6 days 10 hours (9,240 minutes) past 2025-10-13 14:00 at the as-of instant', () => {
    expect(find('S3', 'first_response')).toMatchObject({ status: 'overdue', late_minutes: 9240 });
  });

  it('pending: received Friday 17:00, due Monday 2025-10-20 12:00, after the as-of instant', () => {
    expect(find('S4', 'first_response')).toMatchObject({ status: 'pending', due_at: '2025-10-20 12:00:00', late_minutes: null });
  });

  it('not applicable: escalation covers major complaints only', () => {
    expect(find('S1', 'escalate').status).toBe('not_applicable');
  });

  it('unknown, never a pass: a first response recorded before the complaint was received', () => {
    expect(find('S5', 'first_response')).toMatchObject({ status: 'unknown', data_problem: 'first_response_at before received_at' });
  });

  it('a major complaint: escalated 30 minutes late, resolved a minute inside 3 working days', () => {
    expect(find('S6', 'escalate')).toMatchObject({ status: 'breached', due_at: '2025-10-14 12:00:00', late_minutes: 30 });
    expect(find('S6', 'resolve')).toMatchObject({ status: 'met', due_at: '2025-10-17 18:00:00' });
  });

  it('counts October timeliness of first responses as 1 met of 3 judged (pending and unknown left out)', () => {
    // S1 met, S2 breached, S3 overdue, S6 met (10:30 within 4wh) → 2 of 4; S4 pending and S5 unknown are not judged.
    const [row] = pledgeJson<{ met: number; breached: number; overdue: number; pending: number; unknown: number; timeliness_rate: number }>(['query',
      '--warehouse', warehouse, '--policy', policy, '--as-of', '2025-10-20 00:00',
      "select met, breached, overdue, pending, unknown, timeliness_rate from kpi_timeliness_monthly where month = '2025-10-01' and department is null and commitment = 'first_response'"]);
    expect(row).toEqual({ met: 2, breached: 1, overdue: 1, pending: 1, unknown: 1, timeliness_rate: 0.5 });
  });
});

describe('the command line', () => {
  it('fails with a one-line reason naming the file and key for a bad policy', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'commitments:\n  first_response:\n    from: received_at\n    to: first_response_at\n    within:\n      - { limit: 4 wh }\n');
    const r = pledge(['query', '--warehouse', warehouse, '--policy', bad, 'select 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`pledge: ${bad}: commitments.first_response.within[0].limit: "4 wh" is not a duration (try "4wh"; units: m, h, d, wh, wd)`);
  });

  it('says so when a file was already loaded, and changes nothing', () => {
    const out = pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
    expect(out).toMatch(/already loaded as import 1; nothing changed/);
    const [n] = pledgeJson<{ n: number }>(['query', '--warehouse', warehouse, '--policy', policy, 'select count(*) as n from complaint_versions']);
    expect(n.n).toBe(6);
  });
});

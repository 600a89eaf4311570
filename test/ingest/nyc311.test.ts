// A real public export: 924 NYC 311 service requests (NYC Open Data's Socrata export,
// test/fixtures/nyc311_sample_2022.csv, origin in test/fixtures/README.md), ingested through
// the CLI with the profile shipped at data/profiles/. Every expected number is the one
// in test/fixtures/README.md, computed with DuckDB's own CSV reader from the
// raw file (and again here by hand from its counts where one is a sum).
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const warehouse = join(tempDir('pledge-nyc311-'), 'w.duckdb');
const profile = join(ROOT, 'data', 'profiles', 'nyc311-service-requests.yaml');
// New York time, channels web/app online and phone offline, resolve within 24 h.
const policy = join(FIXTURES, 'policy-nyc311.yaml');
const file = join(FIXTURES, 'nyc311_sample_2022.csv');
let out: string;
const q = <T = Record<string, unknown>>(sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, sql]);

beforeAll(() => {
  // Exported about two hours into 2022-05-01 (the last time in it is 02:06:52).
  out = pledgeOk(['ingest', file, '--profile', profile, '--policy', policy, '--warehouse', warehouse, '--exported-at', '2022-05-01 02:10']);
});

describe('NYC 311 service requests 2022 sample, with data/profiles/nyc311-service-requests.yaml', () => {
  it('loads all 924 rows, none rejected (read = loaded + rejected: 924 = 924 + 0), all with distinct Unique Key', () => {
    expect(out).toMatch(/read 924 · loaded 924 · rejected 0/);
    expect(q('select rows_read, rows_loaded, rows_rejected from imports')).toEqual([{ rows_read: 924, rows_loaded: 924, rows_rejected: 0 }]);
    expect(q('select count(*) as n, count(distinct complaint_id) as ids from complaint_versions')).toEqual([{ n: 924, ids: 924 }]);
  });

  it('reads the US 12-hour dates: created 2022-05-01 00:00:03 … 02:06:26, closed 00:06:36 … 02:06:52 (New York time)', () => {
    expect(q(`select min(received_at)::varchar as first, max(received_at)::varchar as last,
        min(resolved_at)::varchar as first_closed, max(resolved_at)::varchar as last_closed from complaint_versions`)).toEqual([{
      first: '2022-05-01 00:00:03-04', last: '2022-05-01 02:06:26-04', first_closed: '2022-05-01 00:06:36-04', last_closed: '2022-05-01 02:06:52-04',
    }]);
  });

  it('status Closed 480 · In Progress 440 · Open 4; Closed Date on the 480 closed and no other (444 open)', () => {
    expect(q('select outcome, count(*) as n, count(resolved_at) as resolved from complaint_versions group by all order by n desc')).toEqual([
      { outcome: 'Closed', n: 480, resolved: 480 }, { outcome: 'In Progress', n: 440, resolved: 0 }, { outcome: 'Open', n: 4, resolved: 0 },
    ]);
  });

  it('closed before created: 0; all 480 closed within 24 hours, so the resolve clock is met 480 times', () => {
    expect(q(`select count(*) filter (where resolved_at < received_at) as before,
        count(*) filter (where resolved_at - received_at <= interval 24 hours) as within_24h from complaint_versions`))
      .toEqual([{ before: 0, within_24h: 480 }]);
    expect(q(`select count(*) as n from findings`)).toEqual([{ n: 0 }]);
    expect(q(`select count(*) as met from commitment_status where commitment = 'resolve' and status = 'met'`)).toEqual([{ met: 480 }]);
  });

  it('at the end of May its 444 open requests are unknown ("data ends"), not overdue: the snapshot ends at 02:10', () => {
    // Each is due 24 h after its creation (2022-05-02 00:00:03 … 02:06:26), after the export (05-01 02:10),
    // and none is closed in the file: whether it was closed in time is in no export.
    const rows = pledgeJson(['query', '--warehouse', warehouse, '--policy', policy, '--month', '2022-05',
      "select status, data_problem, count(*) as n from commitment_status where commitment = 'resolve' group by all order by n desc"]);
    expect(rows).toEqual([
      { status: 'met', data_problem: null, n: 480 },
      { status: 'unknown', data_problem: 'data ends 2022-05-01 02:10', n: 444 },
    ]);
    // So May's timeliness is 480 judged of 924 due: 52%, below targets.min_judged_share (0.95): it cannot be judged.
    const [kpi] = pledgeJson<{ numerator: number; denominator: number; unknown: number; on_target: boolean | null }>(['query', '--warehouse', warehouse,
      '--policy', policy, '--month', '2022-05', "select numerator, denominator, unknown, on_target from kpi_summary_monthly where month = '2022-05-01' and kpi = 'timeliness:resolve'"]);
    expect(kpi).toEqual({ numerator: 480, denominator: 480, unknown: 444, on_target: null });
  });

  it('channels: ONLINE 501 → web, MOBILE 280 → app, PHONE 139 → phone, UNKNOWN 4 kept as unknown; online 781, offline 139, unknown 4', () => {
    expect(q('select channel, count(*) as n from complaint_versions group by all order by n desc')).toEqual([
      { channel: 'web', n: 501 }, { channel: 'app', n: 280 }, { channel: 'phone', n: 139 }, { channel: 'unknown', n: 4 },
    ]);
    // 501 + 280 = 781 online; the 4 UNKNOWN are in neither list of the policy: their own group, not dropped.
    expect(q('select channel_kind, count(*) as n from stg_complaints group by all order by n desc')).toEqual([
      { channel_kind: 'online', n: 781 }, { channel_kind: 'offline', n: 139 }, { channel_kind: 'unknown', n: 4 },
    ]);
  });

  it('agencies: NYPD 885 · DOT 10 · DSNY 10 · DOHMH 8 · DHS 4 · TLC 4 · EDC 2 · DPR 1', () => {
    expect(q('select department, count(*) as n from complaint_versions group by all order by n desc, department')).toEqual([
      { department: 'NYPD', n: 885 }, { department: 'DOT', n: 10 }, { department: 'DSNY', n: 10 }, { department: 'DOHMH', n: 8 },
      { department: 'DHS', n: 4 }, { department: 'TLC', n: 4 }, { department: 'EDC', n: 2 }, { department: 'DPR', n: 1 },
    ]);
  });

  it('complaint types, top 3: Noise - Residential 379 · Noise - Street/Sidewalk 159 · Noise - Commercial 116', () => {
    expect(q('select category, count(*) as n from complaint_versions group by all order by n desc limit 3')).toEqual([
      { category: 'Noise - Residential', n: 379 }, { category: 'Noise - Street/Sidewalk', n: 159 }, { category: 'Noise - Commercial', n: 116 },
    ]);
  });

  it('keeps no incident address: no column takes it, so no stored value holds one', () => {
    // Line 2's request (54049402) was at 1006 GERARD AVENUE, between EAST 164 and EAST 165 STREET.
    expect(q(`select count(*) as n from complaint_versions v
        where to_json(v)::varchar ilike '%GERARD AVENUE%' or to_json(v)::varchar ilike '%40.8306%'`)).toEqual([{ n: 0 }]);
    const validate = pledgeOk(['validate', file, '--profile', profile, '--policy', policy]);
    expect(validate).toMatch(/not used: .*"Incident Address", "Street Name"/);
  });
});

// A real public export: 349 complaints from the US CFPB's Consumer Complaint
// Database (test/fixtures/cfpb_sample_2016.csv, origin in test/fixtures/README.md),
// ingested with the profile checked in at data/profiles/. Every expected number
// is the one in test/fixtures/README.md, computed independently with
// DuckDB's own CSV reader from the raw file.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const warehouse = join(tempDir('pledge-cfpb-'), 'w.duckdb');
const profile = join(ROOT, 'data', 'profiles', 'cfpb-consumer-complaints.yaml');
let out: string;
const q = <T = Record<string, unknown>>(sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, sql]);

beforeAll(() => {
  out = pledgeOk(['ingest', join(FIXTURES, 'cfpb_sample_2016.csv'), '--profile', profile, '--warehouse', warehouse]);
});

describe('CFPB consumer complaints 2016 sample, with data/profiles/cfpb-consumer-complaints.yaml', () => {
  it('loads all 349 rows, none rejected, all with distinct Complaint ID', () => {
    expect(out).toMatch(/read 349 · loaded 349 · rejected 0/);
    expect(q('select count(*) as n, count(distinct complaint_id) as ids from complaint_versions')).toEqual([{ n: 349, ids: 349 }]);
  });

  it('reads the US dates: received 2016-09-12 … 2016-09-17, each the start of its day', () => {
    expect(q('select min(received_at) as first, max(received_at) as last, count(*) filter (where strftime(received_at, \'%H:%M:%S\') <> \'00:00:00\') as not_midnight from complaint_versions'))
      .toEqual([{ first: '2016-09-12 00:00:00', last: '2016-09-17 00:00:00', not_midnight: 0 }]);
  });

  it('sent to the company within 1 calendar day: 320; before receipt: 0; longest gap: 3 days', () => {
    expect(q(`select count(*) filter (where registered_at - received_at <= interval 1 day) as within_1_day,
        count(*) filter (where registered_at < received_at) as before_receipt,
        max(epoch(registered_at - received_at)) / 86400 as longest_days from complaint_versions`))
      .toEqual([{ within_1_day: 320, before_receipt: 0, longest_days: 3 }]);
  });

  it('company responses: 239 · 69 · 30 · 6 · 5, resolved (any Closed…) 280', () => {
    expect(q('select outcome, count(*) as n from complaint_versions group by all order by n desc')).toEqual([
      { outcome: 'Closed with explanation', n: 239 }, { outcome: 'In progress', n: 69 },
      { outcome: 'Closed with non-monetary relief', n: 30 }, { outcome: 'Closed', n: 6 }, { outcome: 'Closed with monetary relief', n: 5 },
    ]);
    expect(q("select count(*) as n from complaint_versions where outcome like 'Closed%'")).toEqual([{ n: 280 }]);
  });

  it('consumer disputed: 41 (scored 0 by the profile), 308 without a dispute', () => {
    expect(q('select count(*) filter (where satisfaction = 0) as disputed, count(*) filter (where satisfaction is null) as none from complaint_versions'))
      .toEqual([{ disputed: 41, none: 308 }]);
  });

  it('channels mapped by the profile: Web 314 · Phone 17 · Referral 11 · Postal mail 7', () => {
    expect(q('select channel, count(*) as n from complaint_versions group by all order by n desc')).toEqual([
      { channel: 'web', n: 314 }, { channel: 'phone', n: 17 }, { channel: 'referral', n: 11 }, { channel: 'letter', n: 7 },
    ]);
  });

  it('tags: Older American 34, Servicemember 27', () => {
    expect(q(`select count(*) filter (where customer_segment like '%elderly%') as older,
        count(*) filter (where customer_segment like '%servicemember%') as service from complaint_versions`))
      .toEqual([{ older: 34, service: 27 }]);
  });
});

// test/fixtures/cfpb-disputed-values.csv: four hand-made rows in the database's own
// layout (its 18 columns, in its order), one per value "Consumer disputed?" takes:
// 9000001 Yes, 9000002 No, 9000003 N/A (not asked, a 2019 complaint), 9000004 empty.
describe('CFPB "Consumer disputed?" values Yes, No, N/A and empty', () => {
  const dir = tempDir('pledge-cfpb-disputed-');
  const values = join(FIXTURES, 'cfpb-disputed-values.csv');

  it('loads all four rows: Yes is scored 0, No, N/A and empty have no score', () => {
    const w = join(dir, 'values.duckdb');
    expect(pledgeOk(['ingest', values, '--profile', profile, '--warehouse', w])).toMatch(/read 4 · loaded 4 · rejected 0/);
    expect(pledgeJson(['query', '--warehouse', w, 'select complaint_id, satisfaction, received_at from complaint_versions order by complaint_id'])).toEqual([
      { complaint_id: '9000001', satisfaction: 0, received_at: '2016-09-12 00:00:00' },
      { complaint_id: '9000002', satisfaction: null, received_at: '2016-09-13 00:00:00' },
      { complaint_id: '9000003', satisfaction: null, received_at: '2019-05-01 00:00:00' },
      { complaint_id: '9000004', satisfaction: null, received_at: '2019-05-02 00:00:00' },
    ]);
  });

  it('rejects a value the profile does not map, naming it and where to add it', () => {
    // The four rows, and a fifth (line 6) whose "Consumer disputed?" says Unknown.
    const file = join(dir, 'unmapped.csv');
    writeFileSync(file, `${readFileSync(values, 'utf8')}05/03/2019,Mortgage,,Trouble during payment process,,,,Wells Fargo,CA,900XX,,,Web,05/03/2019,In progress,Yes,Unknown,9000005\n`);
    const w = join(dir, 'unmapped.duckdb');
    expect(pledgeOk(['ingest', file, '--profile', profile, '--warehouse', w])).toMatch(/read 5 · loaded 4 · rejected 1/);
    expect(pledgeJson(['query', '--warehouse', w, 'select line_no, column_name, raw_value, reason from rejects'])).toEqual([{
      line_no: 6, column_name: 'satisfaction', raw_value: 'Unknown',
      reason: 'value "Unknown" of satisfaction has no mapping: add it under values.satisfaction of the profile',
    }]);
  });
});

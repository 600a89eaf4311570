// `pledge validate`: everything ingest would do, said out loud, nothing written.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const CORPUS = join(FIXTURES, 'corpus');
const dir = tempDir('pledge-validate-');

describe('pledge validate', () => {
  it('shows encoding, header mapping, counts, reject reasons, and writes no warehouse', () => {
    const w = join(dir, 'never.duckdb');
    const out = pledgeOk(['validate', join(CORPUS, 'gb18030-chinese-headers.csv'), '--warehouse', w]);
    expect(out).toMatch(/complaints export, gb18030 \(not UTF-8: read as GB18030 \(GBK\): .* the whole file checked: no invalid byte sequence\)/);
    expect(out).toMatch(/complaint_id\s+"投诉编号"\s+synonym/);
    expect(out).toMatch(/received_at\s+"受理时间"\s+synonym/);
    expect(out).toMatch(/would read 3 · load 3 · reject 0/);
    expect(out).toMatch(/nothing was written/);
    expect(existsSync(w)).toBe(false);
  });

  it('lists the rejects of malformed.csv by reason (12 read, 9 rejected, as in the corpus test)', () => {
    const out = pledgeOk(['validate', join(CORPUS, 'malformed.csv')]);
    expect(out).toMatch(/would read 12 · load 3 · reject 9/);
    expect(out).toMatch(/complaint_id appears on several lines with different content\s+2/);
    expect(out).toMatch(/^5\s+received_at\s+yesterday\s+cannot read timestamp value/m);
  });

  it('compares with an existing warehouse: tamper findings of October against September, warehouse unchanged', () => {
    const w = join(dir, 'sept.duckdb');
    pledgeOk(['ingest', join(CORPUS, 'reexport-2025-09.csv'), '--full', '--warehouse', w]);
    const out = pledgeOk(['validate', join(CORPUS, 'reexport-2025-10.csv'), '--full', '--warehouse', w]);
    // The four findings of findings.test.ts: R1 moved earlier, R3 erased and lowered, R4 missing.
    expect(out).toMatch(/findings \(4\):/);
    expect(out).toMatch(/resolved_at moved earlier\s+R1\s+resolved_at\s+2025-09-20 10:00:00\s+2025-09-12 10:00:00\s+reexport-2025-09\.csv\s+reexport-2025-10\.csv/);
    expect(out).toMatch(/severity lowered\s+R3\s+severity\s+urgent\s+general/);
    expect(out).toMatch(/missing from a later full export\s+R4/);
    expect(pledgeJson(['query', '--warehouse', w, 'select count(*) as n from imports'])).toEqual([{ n: 1 }]);
  });

  it('says when the file is already in the warehouse', () => {
    const w = join(dir, 'again.duckdb');
    pledgeOk(['ingest', join(CORPUS, 'utf8-bom.csv'), '--warehouse', w]);
    expect(pledgeOk(['validate', join(CORPUS, 'utf8-bom.csv'), '--warehouse', w])).toMatch(/already loaded as import 1 of .*again\.duckdb; ingesting it again would change nothing/);
  });

  // What validate says a file would raise is what ingest then records (fact_findings):
  // validate works the findings out at the end of time, as the stored facts are built.
  describe('reports the findings ingest then records', () => {
    const findingsOf = (out: string) => Number(/findings \((\d+)\)/.exec(out)?.[1] ?? (/findings: none/.test(out) ? 0 : NaN));
    const stored = (w: string) => pledgeJson<{ finding: string; complaint_id: string }>(['query', '--warehouse', w,
      'select finding, complaint_id from fact_findings order by complaint_id, finding']);

    it('contradictions.csv: 3 findings (K1 resolved before received, K2 survey before feedback, K3 resolved after the export), then 3 stored', () => {
      const file = join(CORPUS, 'contradictions.csv');
      const out = pledgeOk(['validate', file, '--exported-at', '2025-11-01 00:00']);
      expect(findingsOf(out)).toBe(3);
      expect(out).toMatch(/resolved_at before received_at\s+K1\s+resolved_at/);
      const w = join(dir, 'contradictions.duckdb');
      pledgeOk(['ingest', file, '--exported-at', '2025-11-01 00:00', '--warehouse', w]);
      expect(stored(w)).toEqual([
        { finding: 'resolved_at before received_at', complaint_id: 'K1' },
        { finding: 'survey_at before feedback_at', complaint_id: 'K2' },
        { finding: 'resolved_at after the export was made', complaint_id: 'K3' },
      ]);
    });

    it('a support-ticket export read through its profile: tickets 2, 4 and 7 resolved before received, said before and stored after', () => {
      // By hand from test/fixtures/support-tickets.csv (received = First Response Time):
      // 2: 16:45:38 → 09:05:00, 4: 07:29:40 → 01:57:40, 7: 22:38:45 → 09:53:45, all on 2023-06-01;
      // 3 and 5 are resolved later the same day; 1 and 6 are open.
      const file = join(FIXTURES, 'support-tickets.csv');
      const profile = join(FIXTURES, 'support-tickets.yaml');
      const out = pledgeOk(['validate', file, '--profile', profile, '--exported-at', '2023-07-01 00:00']);
      expect(out).toMatch(/received_at\s+"First Response Time"\s+profile/);
      // No export column feeds first_response_at, so the policy's first-response commitment cannot be measured.
      expect(out).not.toMatch(/^\s*first_response_at\s+"/m);
      expect(out).toMatch(/no first_response_at in any row .*commitment first_response cannot be measured/);
      expect(out).toMatch(/would read 7 · load 7 · reject 0/);
      expect(findingsOf(out)).toBe(3);
      expect(out).toMatch(/data_quality\s+resolved_at before received_at\s+3\s*$/m);
      const w = join(dir, 'tickets.duckdb');
      pledgeOk(['ingest', file, '--profile', profile, '--exported-at', '2023-07-01 00:00', '--warehouse', w]);
      expect(stored(w)).toEqual(['2', '4', '7'].map((complaint_id) => ({ finding: 'resolved_at before received_at', complaint_id })));
    });

    it('says which columns the profile switched off with null', () => {
      const profile = join(dir, 'no-first-response.yaml');
      writeFileSync(profile, 'columns: { received_at: First Response Time, first_response_at: null }\n');
      const out = pledgeOk(['validate', join(FIXTURES, 'support-tickets.csv'), '--profile', profile]);
      expect(out).toMatch(/not in this export \(the profile says null\): first_response_at/);
    });
  });
});

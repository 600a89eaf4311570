// `pledge validate`: everything ingest would do, said out loud, nothing written.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledgeJson, pledgeOk, tempDir } from './support/cli.ts';

const CORPUS = join(FIXTURES, 'corpus');
const dir = tempDir('pledge-validate-');

describe('pledge validate', () => {
  it('shows encoding, header mapping, counts, reject reasons, and writes no warehouse', () => {
    const w = join(dir, 'never.duckdb');
    const out = pledgeOk(['validate', join(CORPUS, 'gb18030-chinese-headers.csv'), '--warehouse', w]);
    expect(out).toMatch(/complaints export, gb18030 \(not UTF-8: read as GB18030 \(GBK\)\)/);
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
});

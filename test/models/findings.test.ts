// Findings through the real command line: contradictions that load but make
// a clock `unknown`, and what changed between two monthly exports (禁止篡改).
// Expected rows worked out from the corpus files by hand (see corpus/README.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const CORPUS = join(FIXTURES, 'corpus');
const dir = tempDir('pledge-findings-');
const contradictions = join(dir, 'contradictions.duckdb');
const reexports = join(dir, 'reexports.duckdb');
let reingest: string;

beforeAll(() => {
  pledgeOk(['ingest', join(CORPUS, 'contradictions.csv'), '--warehouse', contradictions, '--exported-at', '2025-11-01 00:00']);
  pledgeOk(['ingest', join(CORPUS, 'reexport-2025-09.csv'), '--full', '--exported-at', '2025-10-01 00:00', '--warehouse', reexports]);
  pledgeOk(['ingest', join(CORPUS, 'reexport-2025-10.csv'), '--full', '--exported-at', '2025-11-01 00:00', '--warehouse', reexports]);
  reingest = pledgeOk(['ingest', join(CORPUS, 'reexport-2025-09.csv'), '--warehouse', reexports]);
});

describe('data-quality findings', () => {
  it('lists the three contradictions of contradictions.csv and nothing for the clean K4', () => {
    const rows = pledgeJson(['query', '--warehouse', contradictions, 'select category, finding, complaint_id, field, new_value, new_file from findings']);
    expect(rows).toEqual([
      // K1: resolved 10:00, received 14:00 the same day.
      { category: 'data_quality', finding: 'resolved_at before received_at', complaint_id: 'K1', field: 'resolved_at', new_value: '2025-10-09 10:00:00', new_file: 'contradictions.csv' },
      // K2: feedback 2025-10-10 12:00, survey 11:00.
      { category: 'data_quality', finding: 'survey_at before feedback_at', complaint_id: 'K2', field: 'survey_at', new_value: '2025-10-10 11:00:00', new_file: 'contradictions.csv' },
      // K3: resolved 2099-01-01, the export was made 2025-11-01.
      { category: 'data_quality', finding: 'resolved_at after the export was made', complaint_id: 'K3', field: 'resolved_at', new_value: '2099-01-01 00:00:00', new_file: 'contradictions.csv' },
    ]);
  });

  it('counts them in the report\'s reconciliation, beside the rows read, loaded and rejected', () => {
    const rows = pledgeJson(['query', '--warehouse', contradictions, '--file', 'queries/report/reconciliation.sql']);
    expect(rows).toMatchObject([{ file_name: 'contradictions.csv', encoding: 'utf-8', rows_read: 4, rows_loaded: 4, rows_rejected: 0, balanced: true, data_quality_findings: 3, tamper_findings: 0 }]);
  });

  it('gives unknown, never met, to every clock that starts or stops on a contradictory time', () => {
    const rows = pledgeJson<{ complaint_id: string; commitment: string; status: string }>(['query', '--warehouse', contradictions, '--month', '2025-10',
      `select complaint_id, commitment, status from commitment_status
       where (complaint_id, commitment) in (('K1','resolve'), ('K2','survey'), ('K3','resolve'), ('K3','feedback'), ('K4','resolve'), ('K4','survey'))
       order by 1, 2`]);
    // K4 is clean: resolved 2025-10-10, one working day after receipt (limit 15wd); surveyed Monday
    // 2025-10-13 after feedback on Friday 10-10: Saturday 10-11 is a make-up working day, so that is
    // the 2nd working day (limit 3wd). Both met under data/policy.yaml.
    expect(rows.map((r) => `${r.complaint_id} ${r.commitment} ${r.status}`)).toEqual([
      'K1 resolve unknown', 'K2 survey unknown', 'K3 feedback unknown', 'K3 resolve unknown', 'K4 resolve met', 'K4 survey met',
    ]);
  });
});

describe('re-exports and tamper findings', () => {
  it('says a file already loaded is a no-op', () => {
    expect(reingest).toMatch(/reexport-2025-09\.csv: already loaded as import 1; nothing changed/);
  });

  it('keeps every version and takes the latest as current', () => {
    const [r] = pledgeJson(['query', '--warehouse', reexports,
      'select (select count(*) from complaint_versions) as versions, (select count(*) from stg_complaints) as current, (select resolved_at from stg_complaints where complaint_id = \'R2\') as r2']);
    // 4 + 4 rows; R1–R5 are five complaints; R2 open in September, resolved in October's file.
    expect(r).toEqual({ versions: 8, current: 5, r2: '2025-10-05 10:00:00' });
  });

  it('counts the tamper findings against the import that raised them', () => {
    const rows = pledgeJson<{ file_name: string; tamper_findings: number }>(['query', '--warehouse', reexports, '--file', 'queries/report/reconciliation.sql']);
    expect(rows.map((r) => [r.file_name, r.tamper_findings])).toEqual([['reexport-2025-09.csv', 0], ['reexport-2025-10.csv', 4]]);
  });

  it('shows them in the dashboard\'s data-quality section', () => {
    const rows = pledgeJson(['query', '--warehouse', reexports, '--file', 'queries/report/data_quality.sql', '--param', 'month=2025-10']);
    // R1 moved earlier, R3 erased, R3 lowered, R4 missing: four findings of four kinds, one each.
    expect(rows.filter((r) => r.source === 'findings: tamper')).toEqual([
      { source: 'findings: tamper', finding: 'missing from a later full export', occurrences: 1 },
      { source: 'findings: tamper', finding: 'resolved_at erased', occurrences: 1 },
      { source: 'findings: tamper', finding: 'resolved_at moved earlier', occurrences: 1 },
      { source: 'findings: tamper', finding: 'severity lowered', occurrences: 1 },
    ]);
  });

  it('lists each tamper finding with both files', () => {
    const rows = pledgeJson(['query', '--warehouse', reexports, "select finding, complaint_id, field, old_value, new_value, old_file, new_file from findings where category = 'tamper'"]);
    const files = { old_file: 'reexport-2025-09.csv', new_file: 'reexport-2025-10.csv' };
    expect(rows).toEqual([
      { finding: 'resolved_at moved earlier', complaint_id: 'R1', field: 'resolved_at', old_value: '2025-09-20 10:00:00', new_value: '2025-09-12 10:00:00', ...files },
      { finding: 'resolved_at erased', complaint_id: 'R3', field: 'resolved_at', old_value: '2025-09-25 10:00:00', new_value: null, ...files },
      { finding: 'severity lowered', complaint_id: 'R3', field: 'severity', old_value: 'urgent', new_value: 'general', ...files },
      // R4 is in September's full export and not in October's.
      { finding: 'missing from a later full export', complaint_id: 'R4', field: 'complaint_id', old_value: 'R4', new_value: null, ...files },
    ]);
  });
});

// Data tests: queries/tests/*.sql, each a query whose rows are failures (dbt's
// "singular tests"). The file's header says what must hold; a test passes when it
// returns no row. `pledge test` and `npm test` run them against a warehouse.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from './session.ts';
import type { Row } from '../warehouse/db.ts';
import { loadQueryFile, runQuery, type LoadedQuery } from './query-file.ts';

export interface DataTestResult {
  name: string;
  /** The header's first line: what must hold. */
  title: string;
  failures: number;
  /** The first failing rows, masked like every output. */
  sample: Row[];
  /** The SQL failed to run (the message names file, line and column). */
  error?: string;
}

export function dataTestsDir(queriesDir: string): string {
  return join(queriesDir, 'tests');
}

export function listDataTests(queriesDir: string): LoadedQuery[] {
  const dir = dataTestsDir(queriesDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => loadQueryFile(join(dir, f)));
}

/** Runs each test in the session; a test that errors counts as failed. */
export async function runDataTests(session: Session, tests: LoadedQuery[], sampleRows = 10): Promise<DataTestResult[]> {
  const out: DataTestResult[] = [];
  for (const t of tests) {
    const name = t.source.replace(/^.*\//, '').replace(/\.sql$/, '');
    try {
      const n = Number(await session.wh.value(`select count(*) from (${t.sql})`));
      const sample = n ? await runQuery(session.wh, { ...t, sql: `select * from (${t.sql}) limit ${sampleRows}` }, { policy: session.policy, session: { as_of: session.asOf } }) : [];
      out.push({ name, title: t.header.title, failures: n, sample });
    } catch (e) {
      out.push({ name, title: t.header.title, failures: 1, sample: [], error: (e as Error).message });
    }
  }
  return out;
}

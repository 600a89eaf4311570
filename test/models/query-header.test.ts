// Query files document themselves: the header block (title, description,
// parameters, columns) is parsed by Pledge, and what it declares must be what
// the query returns. Checked against a real DuckDB warehouse built from the
// hand-written status fixture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQueryHeader, normaliseType } from '../../src/models/query-header.ts';
import { bindParameters, loadQueryFile } from '../../src/models/query-file.ts';
import { materialize } from '../../src/outputs/results.ts';
import { openComparisonSession } from '../../src/apps/compare-policy.ts';
import { createUnappealed } from '../../src/apps/assess/unappealed.ts';
import type { Session } from '../../src/models/session.ts';
import { FIXTURES, ROOT, pledgeOk, tempDir } from '../support/cli.ts';

describe('the header block', () => {
  const sql = `-- kpi_example: share answered within the line, by channel.
-- One row per month x channel.
-- Counted in the month received.
-- Parameters:
--   $month  MONTH                  reporting month
--   $limit  INTERVAL = '1 hour'    the line
--   $dept   VARCHAR = all          a department, or all
-- Columns:
--   month    DATE                 first day of the month
--   rate     DOUBLE [ratio 0..1]  answered within the line / received;
--            null when nothing was received
--   n        BIGINT [count]       received
select 1`;
  const h = parseQueryHeader(sql, 'x.sql');

  it('reads the title after the name, and the description up to the first section', () => {
    expect(h.title).toBe('share answered within the line, by channel.');
    expect(h.description).toBe('One row per month x channel. Counted in the month received.');
  });

  it('reads parameters with type, default (quoted or bare) and meaning', () => {
    expect(h.parameters).toEqual([
      { name: 'month', type: 'MONTH', meaning: 'reporting month', line: 5 },
      { name: 'limit', type: 'INTERVAL', default: '1 hour', meaning: 'the line', line: 6 },
      { name: 'dept', type: 'VARCHAR', default: 'all', meaning: 'a department, or all', line: 7 },
    ]);
  });

  it('reads columns with type, unit and meaning, joining continuation lines', () => {
    expect(h.columns).toEqual([
      { name: 'month', type: 'DATE', meaning: 'first day of the month', line: 9 },
      { name: 'rate', type: 'DOUBLE', unit: 'ratio 0..1', meaning: 'answered within the line / received; null when nothing was received', line: 10 },
      { name: 'n', type: 'BIGINT', unit: 'count', meaning: 'received', line: 12 },
    ]);
  });

  it('falls back to the first comment lines for a file written before the convention', () => {
    const old = parseQueryHeader('-- kpi_old: resolution by region.\n-- Parameters: $month DATE\n-- Columns: region TEXT, n INT\nselect 1', 'old.sql');
    expect(old).toMatchObject({ title: 'resolution by region.', parameters: [], columns: null,
      description: 'Parameters: $month DATE Columns: region TEXT, n INT' });
    const bare = parseQueryHeader('-- just a title\nselect 1', 'bare.sql');
    expect(bare).toMatchObject({ title: 'just a title', description: '', parameters: [], columns: null });
  });

  it('names the file and line of a malformed item', () => {
    expect(() => parseQueryHeader('-- t\n-- Parameters:\n--   month DATE\nselect 1', 'p.sql'))
      .toThrow('p.sql:3: a parameter is "$name TYPE [= default] meaning"');
    expect(() => parseQueryHeader('-- t\n-- Parameters:\n--   $m BLOB\nselect 1', 'p.sql'))
      .toThrow('p.sql:3: $m: type BLOB is not one of');
  });
});

describe('every query file in queries/ says what it returns', () => {
  let session: Session;
  // queries/facts/ is left out: its fact_* files read the build_* tables that exist only during
  // a build (test/models/facts.test.ts runs them); its assemble_* files are what every session runs.
  const files = ['staging', 'intermediate', 'kpi', 'report', 'compare', 'assess', 'tests']
    .flatMap((layer) => readdirSync(join(ROOT, 'queries', layer)).filter((f) => f.endsWith('.sql')).map((f) => join('queries', layer, f)));

  beforeAll(async () => {
    const warehouse = join(tempDir(), 'w.duckdb');
    // The clock policy, plus the line queries/report/fast_first_response_by_channel.sql reads.
    const policy = join(tempDir(), 'policy.yaml');
    writeFileSync(policy, readFileSync(join(FIXTURES, 'policy-clocks.yaml'), 'utf8') + '\nparameters:\n  fast_first_response: 1 hour\n');
    pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
    // A comparison session has every view plus the what-if tables queries/compare reads.
    session = await openComparisonSession({ warehouse, policy, other: policy, month: '2025-10', asOf: '2025-10-20 00:00' });
    // And the figures with no appeal applied that queries/assess/assess_appeal_effects.sql reads, made as pledge assess makes them.
    await createUnappealed(session.wh, join(ROOT, 'queries'));
  });
  afterAll(() => session?.close());

  it('finds the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it.each(files)('%s: a title, a description and every column with its type', async (file) => {
    const q = loadQueryFile(join(ROOT, file));
    expect(q.header.title.length, 'title').toBeGreaterThan(10);
    expect(q.header.description.length, 'description').toBeGreaterThan(10);
    expect(q.header.columns, `${file} has no "Columns:" section: one column per line, "name TYPE [unit] meaning" (queries/README.md, "The header block")`).not.toBeNull();
    // The session's values, plus what queries/assess reads: the quarter (2025Q4) and the sample's settings.
    const params = await bindParameters(session.wh, q, { policy: session.policy,
      session: { month: '2025-10-01', as_of: session.asOf, quarter_start: '2025-10-01', quarter_end: '2026-01-01',
        seed: '20251001', sample_size: '60', min_per_stratum: '1', strata: 'department,outcome' } });
    const { result } = await materialize(session.wh, q.sql, params, q.source);
    const actual = (await session.wh.rows(`select column_name, column_type from (describe ${result.relation})`))
      .map((c) => ({ name: String(c.column_name), type: normaliseType(String(c.column_type)) }));
    const declared = q.header.columns!.map((c) => ({ name: c.name, type: c.type }));
    // Every declared column exists with the declared type …
    for (const d of declared) expect(actual, `${file}: ${d.name} ${d.type}`).toContainEqual(d);
    // … and every column returned is declared, unless the header says it passes others through (`*`).
    if (!q.header.passthrough) expect(actual.map((a) => a.name), `${file}: the columns it returns, in order, must be the header's "Columns:"`).toEqual(declared.map((d) => d.name));
    // Parameters the SQL uses are declared in the header.
    const used = [...new Set([...readFileSync(join(ROOT, file), 'utf8').replace(/--[^\n]*/g, '').matchAll(/\$([a-z_]+)/g)].map((m) => m[1]))];
    expect(q.header.parameters.map((p) => p.name).sort(), `${file}: every $parameter it uses is declared under "Parameters:"`).toEqual(used.sort());
  });
});

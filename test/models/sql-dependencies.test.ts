// What a SQL file of queries/ reads comes from DuckDB's own parse of it
// (json_serialize_sql), not from searching its text: the order files are created
// in, an unknown name, a cycle, and what two real files read, on folders written
// here or copied from queries/. A real DuckDB throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '../../src/warehouse/db.ts';
import { ensureWarehouse } from '../../src/warehouse/schema.ts';
import { loadPolicy } from '../../src/warehouse/policy.ts';
import { loadCalendarTables, loadPolicyTables } from '../../src/warehouse/policy-tables.ts';
import { createQueryObjects, fileReads, loadCatalogue, parseReads, isUnparsed, readClosure, type Catalogue } from '../../src/models/queries.ts';
import { ROOT, tempDir } from '../support/cli.ts';

/** A queries folder holding `files` (path under the folder → SQL). */
function folder(files: Record<string, string>): string {
  const dir = tempDir('pledge-deps-');
  for (const [path, sql] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), sql);
  }
  return dir;
}

describe('a hand-made set of files', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await Warehouse.open(':memory:');
    // The one warehouse table the files below read: three complaints, two received before the as-of.
    await wh.run(`create table complaint_versions as
      select * from (values ('A', timestamptz '2025-10-01 09:00'), ('B', timestamptz '2025-10-02 09:00'), ('C', timestamptz '2025-11-05 09:00')) t(complaint_id, received_at)`);
    await wh.run(`set variable as_of = timestamptz '2025-11-01 00:00'`);
  });
  afterAll(() => wh.close());

  // int_a reads int_z through a CTE named kpi_c, which is also the name of a third file
  // (which reads int_a). Searching the text, int_a would read kpi_c and kpi_c int_a: a
  // cycle. Parsed, the CTE is int_a's own name, so int_a reads int_z only.
  // int_z: range() is a table function and getvariable() a function: neither is read.
  // kpi_d: a CTE named int_a reading int_a reads the file int_a (a CTE does not see itself).
  const handMade = {
    'staging/stg_base.sql': '-- stg_base: the complaints.\nselect complaint_id, received_at from complaint_versions\n',
    'intermediate/int_a.sql': '-- int_a: how many.\nwith kpi_c as (select * from int_z)\nselect count(*) as n from kpi_c\n',
    'intermediate/int_z.sql': "-- int_z: received before the as-of.\nselect b.* from stg_base b, range(1)\nwhere received_at < getvariable('as_of');\n",
    'kpi/kpi_c.sql': '-- kpi_c: three rows of it.\nselect n from int_a, range(3)\n',
    'kpi/kpi_d.sql': '-- kpi_d: doubled.\nwith int_a as (select 2 * n as n from int_a)\nselect n from int_a\n',
  };

  it('orders files by what they read, not counting a CTE named like another file', async () => {
    const cat = await loadCatalogue(wh, folder(handMade));
    // Listed by folder then name: stg_base, int_a, int_z, kpi_c, kpi_d. int_a needs int_z first.
    expect(cat.files.map((f) => f.name)).toEqual(['stg_base', 'int_z', 'int_a', 'kpi_c', 'kpi_d']);
    expect(Object.fromEntries(cat.files.map((f) => [f.name, fileReads(cat, f.name)]))).toEqual({
      stg_base: [], int_z: ['stg_base'], int_a: ['int_z'], kpi_c: ['int_a'], kpi_d: ['int_a'],
    });
    // What a query reading int_a needs built: int_a, int_z, stg_base; not kpi_c (int_a's CTE).
    expect([...await readClosure(wh, cat.dir, ['int_a'])].sort()).toEqual(['int_a', 'int_z', 'stg_base']);
    // And DuckDB creates them in that order. Two of the three complaints came before
    // 2025-11-01: int_a.n = 2; kpi_c repeats it three times; kpi_d doubles it.
    await createQueryObjects(wh, cat.dir);
    expect((await wh.rows('select n from kpi_c')).map((r) => Number(r.n))).toEqual([2, 2, 2]);
    expect(Number(await wh.value('select n from kpi_d'))).toBe(4);
  });

  it('names the file, the place and the name it does not know, with the nearest name', async () => {
    const dir = folder({ ...handMade, 'kpi/kpi_typo.sql': '-- kpi_typo: a slip.\nselect * from int_zz\n' });
    // Line 2, "select * from " is 14 characters: int_zz starts in column 15. int_z is one
    // edit away (int_a two).
    await expect(loadCatalogue(wh, dir)).rejects.toThrow(/kpi[/\\]kpi_typo\.sql:2:15: reads int_zz, which is no warehouse or policy table and no file of queries\/ \(did you mean int_z\?\)/);
  });

  it('names the chain of a cycle', async () => {
    const dir = folder({
      'intermediate/int_p.sql': '-- int_p\nselect * from int_q\n',
      'intermediate/int_q.sql': '-- int_q\nselect * from kpi_r\n',
      'kpi/kpi_r.sql': '-- kpi_r\nselect * from int_p\n',
    });
    // Visited in listing order: int_p first, then what it reads.
    await expect(loadCatalogue(wh, dir)).rejects.toThrow('queries: circular reference int_p → int_q → kpi_r → int_p');
  });
});

describe('the files of queries/', () => {
  let wh: Warehouse;
  let cat: Catalogue;
  const copy = tempDir('pledge-deps-queries-');
  beforeAll(async () => {
    // A warehouse with its tables, the policy's and the calendar's: every name a file may read.
    cpSync(join(ROOT, 'queries'), copy, { recursive: true });
    const policy = loadPolicy(join(ROOT, 'data', 'policy.yaml'));
    wh = await Warehouse.open(':memory:', { timezone: policy.timezone });
    await ensureWarehouse(wh, policy.customStages);   // the policy's own stage columns (signed_at) too
    await loadPolicyTables(wh, policy);
    await loadCalendarTables(wh, policy, '2024-01-01', '2026-12-31');
    cat = await loadCatalogue(wh, copy);
  });
  afterAll(() => wh.close());

  it('every file in every folder parses, and the files a session creates read only names there are', async () => {
    const sql = readdirSync(copy, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(copy, d.name)).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(join(copy, d.name, f), 'utf8').replace(/;\s*$/, '')));
    expect(sql.length).toBeGreaterThan(80);
    expect((await parseReads(wh, sql)).filter(isUnparsed)).toEqual([]);
    expect(cat.files.length).toBe(readdirSync(join(copy, 'staging')).length + readdirSync(join(copy, 'intermediate')).length + readdirSync(join(copy, 'kpi')).length);
  });

  it('reads what the files say, by reading them', () => {
    // kpi/kpi_backlog.sql: from stg_complaints (in CTE open_complaints); open_complaints and
    // banded are its own CTEs; getvariable('as_of') is no read.
    expect(fileReads(cat, 'kpi_backlog')).toEqual(['stg_complaints']);
    expect([...cat.reads.get('kpi_backlog')!.names.keys()]).toEqual(['stg_complaints']);
    expect([...cat.reads.get('kpi_backlog')!.variables]).toEqual(['as_of']);
    // kpi/kpi_composite_monthly.sql: kpi_unit_monthly joined to the policy tables
    // policy_scorecard_weight and policy_target (each KPI's unit and direction, from
    // the KPI catalogue) in CTE weighted; a scalar subquery reads the weights again;
    // weighted and scored (read twice, as s and o) are its own CTEs.
    expect(fileReads(cat, 'kpi_composite_monthly')).toEqual(['kpi_unit_monthly']);
    expect([...cat.reads.get('kpi_composite_monthly')!.names.keys()].sort()).toEqual(['kpi_unit_monthly', 'policy_scorecard_weight', 'policy_target']);
  });
});

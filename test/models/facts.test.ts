// Stored facts (src/models/facts.ts, queries/facts/) against the reference: every complaint
// worked out live by the split files alone (storedFacts: false), which is the computation
// the hand-worked status tests check. Built incrementally, file by file, with a re-export
// that moves a stage time earlier (a tamper finding) and events that arrive after their
// complaints, then judged at four as-of instants: every derived table must be the same
// rows, bit for bit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../data/generate.ts';
import { openSession, type Session } from '../../src/models/session.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import { ROOT, pledge, pledgeOk, tempDir } from '../support/cli.ts';

const TABLES = ['stg_complaints', 'findings', 'commitment_status', 'int_commitment_due', 'kpi_fact_monthly', 'kpi_unit_monthly',
  'kpi_parity_monthly', 'kpi_summary_monthly', 'breach_list', 'event_findings', 'kpi_repeat_complaints', 'kpi_at_risk', 'kpi_backlog'];

/** count and md5 of a table's rows in a stable order (clock keys left out: they number rows, not facts). */
async function digest(s: Session, table: string): Promise<string> {
  const cols = (await s.wh.rows(`select column_name from (describe ${table})`)).map((r) => String(r.column_name))
    .filter((c) => c !== 'clock_row' && c !== 'clock_id').map((c) => `"${c}"`).join(', ');
  const [r] = await s.wh.rows(`select count(*) as n, md5(coalesce(string_agg(r, '|' order by r), '')) as h
    from (select row(${cols})::varchar as r from ${table})`);
  return `${r.n}:${r.h}`;
}

async function digests(opts: Parameters<typeof openSession>[0]): Promise<Record<string, string>> {
  const s = await openSession({ ...opts, deterministic: true, notice: () => undefined });
  try {
    const out: Record<string, string> = {};
    for (const t of TABLES) out[t] = await digest(s, t);
    return out;
  } finally {
    s.close();
  }
}

describe('stored facts', () => {
  const dir = tempDir();
  const warehouse = join(dir, 'w.duckdb');
  const policy = join(ROOT, 'data', 'policy.yaml');
  const builds: string[] = [];
  /** Re-exported rows whose resolved_at really moved (an hour-00 time cannot move earlier by this edit). */
  let movedRows = 0;
  const prevKey = process.env.PLEDGE_PSEUDONYM_KEY;

  beforeAll(async () => {
    process.env.PLEDGE_PSEUDONYM_KEY = 'a test key of enough characters';
    // Full builds here (the old warehouse's, another policy's) go in chunks of 400 of the 1,200
    // complaints, as a 10M build goes in chunks of a million (src/models/facts.ts, buildChunk).
    process.env.PLEDGE_BUILD_CHUNK = '400';
    const g = await generateDemo({ outDir: join(dir, 'exports'), seed: 7, complaints: 1200, start: '2025-07-01', end: '2025-10-31' });
    // A re-export of 40 complaints of the first month, each resolved an hour earlier than first exported.
    const [header, ...rows] = readFileSync(g.complaintFiles[0], 'utf8').trimEnd().split('\n');
    const resolvedCol = header.split(',').indexOf('resolved_at');
    const moved = rows.slice(0, 40).map((line) => {
      const cells = line.split(',');
      const before = cells[resolvedCol];
      if (before) cells[resolvedCol] = before.replace(/ (\d\d):/, (_m, h) => ` ${String(Math.max(0, Number(h) - 1)).padStart(2, '0')}:`);
      if (cells[resolvedCol] !== before) movedRows++;
      return cells.join(',');
    });
    const reexport = join(dir, 'exports', 'complaints-reexport.csv');
    writeFileSync(reexport, [header, ...moved].join('\n') + '\n');
    // Complaints month by month, then each month's flow log, then the re-export: each ingest builds.
    for (const f of [...g.complaintFiles, ...g.eventFiles, reexport]) {
      // The facts line (months the import settled are closed after it, one line each).
      builds.push(pledgeOk(['ingest', f, '--warehouse', warehouse, '--policy', policy]).trim().split('\n').find((l) => l.startsWith('stored facts'))!);
    }
  });
  afterAll(() => {
    delete process.env.PLEDGE_BUILD_CHUNK;
    if (prevKey === undefined) delete process.env.PLEDGE_PSEUDONYM_KEY; else process.env.PLEDGE_PSEUDONYM_KEY = prevKey;
  });

  it('are built by the first ingest and brought up to date by each later one', () => {
    expect(builds[0]).toMatch(/^stored facts rebuilt \(this warehouse has no stored facts yet\)/);
    for (const line of builds.slice(1)) expect(line).toMatch(/^stored facts brought up to date: [\d,]+ complaints touched by new imports$/);
  });

  it('hold some complaints and leave those whose clocks the flow log moves to the session', async () => {
    const s = await openSession({ warehouse, policy, notice: () => undefined });
    try {
      const [r] = await s.wh.rows(`select (select count(*) from main.fact_complaint) as stored,
        (select count(*) from live_stg_complaints) as live, (select count(distinct complaint_id) from complaint_versions) as total`);
      expect(Number(r.stored)).toBeGreaterThan(0);
      expect(Number(r.live)).toBeGreaterThan(0);
      // Every complaint received by the as-of (the latest time recorded: all of them) is in exactly one of the two.
      expect(Number(r.stored) + Number(r.live)).toBe(Number(r.total));
      expect(s.facts.source).toBe('stored');
    } finally {
      s.close();
    }
  });

  for (const asOf of ['2025-08-01 00:00', '2025-09-15 12:30', '2025-11-01 00:00', undefined]) {
    it(`give the same rows as working every complaint out live, as of ${asOf ?? 'the latest time recorded'}`, async () => {
      const stored = await digests({ warehouse, policy, asOf });
      const live = await digests({ warehouse, policy, asOf, storedFacts: false });
      expect(stored).toEqual(live);
    });
  }

  it('find every stage time the re-export moved earlier (tamper), stored or live alike', async () => {
    const s = await openSession({ warehouse, policy, notice: () => undefined });
    try {
      const n = await s.wh.value(`select count(distinct complaint_id) from findings where finding = 'resolved_at moved earlier'`);
      // Counted from the re-export itself: each row whose resolved_at the edit moved earlier.
      expect(movedRows).toBeGreaterThan(0);
      expect(Number(n)).toBe(movedRows);
    } finally {
      s.close();
    }
  });

  it('are stale under another policy: the session says so, computes them and matches the reference', async () => {
    const other = join(dir, 'other-policy.yaml');
    writeFileSync(other, readFileSync(policy, 'utf8').replace(/within: 24h/, 'within: 12h'));
    expect(readFileSync(other, 'utf8')).not.toBe(readFileSync(policy, 'utf8'));
    const notices: string[] = [];
    const s = await openSession({ warehouse, policy: other, notice: (l) => notices.push(l) });
    s.close();
    expect(notices).toEqual([expect.stringMatching(/^stored facts are stale \(the policy, calendar, key or SQL they were computed from changed\): computed for this session; "pledge build" stores them$/)]);
    expect(await digests({ warehouse, policy: other, asOf: '2025-10-01 00:00' }))
      .toEqual(await digests({ warehouse, policy: other, asOf: '2025-10-01 00:00', storedFacts: false }));
  });

  it('stay in force when a build fails half way, and pledge test says they are current', () => {
    const queries = join(dir, 'queries');
    cpSync(join(ROOT, 'queries'), queries, { recursive: true });
    // A build reading this SQL writes fact_complaint, then fails on fact_findings inside the same transaction.
    writeFileSync(join(queries, 'facts', 'fact_findings.sql'), '-- fact_findings: broken on purpose.\nselect * from no_such_table');
    const before = pledgeOk(['query', '--warehouse', warehouse, '--policy', policy, '--format', 'csv', 'select count(*) as n from fact_build']);
    const r = pledge(['build', '--warehouse', warehouse, '--policy', policy, '--queries', queries]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fact_findings\.sql/);
    expect(pledgeOk(['query', '--warehouse', warehouse, '--policy', policy, '--format', 'csv', 'select count(*) as n from fact_build'])).toBe(before);
    const t = pledge(['test', '--warehouse', warehouse, '--policy', policy]);
    expect(t.stdout).toMatch(/ok {4}stored_facts_current/);
    expect(t.code, t.stdout).toBe(0);
  });

  it('a warehouse from before stored facts is read right, says so, and is upgraded by pledge build', async () => {
    const old = join(dir, 'old.duckdb');
    copyFileSync(warehouse, old);
    // What an earlier Pledge left: the same imports and versions, no fact tables at all.
    const wh = await Warehouse.open(old);
    for (const t of ['fact_build', 'fact_complaint', 'fact_findings', 'fact_clock']) await wh.run(`drop table ${t}`);
    wh.close();
    const count = 'select count(*) as n, count(*) filter (where status = \'met\') as met from commitment_status';
    const expected = pledgeOk(['query', '--warehouse', warehouse, '--policy', policy, '--format', 'csv', count]);
    const r = pledge(['query', '--warehouse', old, '--policy', policy, '--format', 'csv', count]);
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toMatch(/^stored facts are stale \(this warehouse has no stored facts yet\)/);
    expect(pledgeOk(['build', '--warehouse', old, '--policy', policy])).toMatch(/^stored facts rebuilt \(this warehouse has no stored facts yet\): [\d,]+ complaints\n$/);
    const again = pledge(['query', '--warehouse', old, '--policy', policy, '--format', 'csv', count]);
    expect(again.stdout).toBe(expected);
    // Only the as-of it used: no word about stored facts any more.
    expect(again.stderr).toMatch(/^as of [^\n]+\n$/);
  });
});

// Stored facts: what does not depend on the as-of instant, worked out once per complaint
// and kept in the warehouse (queries/facts/). A complaint whose flow log moves no clock
// (queries/facts/fact_event_moved.sql) has clocks whose rule, stage times, data problems
// and original due instants are the same whatever the as-of; only its status moves with
// it (commitment_status, per session). Complaints whose log does move a clock (a pause
// still open, a stage filled from the log, a reopening, all counted up to the as-of) are
// worked out per session by the same SQL files ("live").
//
// The five "split" files of queries/ (stg_complaint_stage, stg_complaints, findings,
// int_commitment_clock, int_commitment_due) are therefore run twice, over two sets of complaints:
//   build_*  pledge build / ingest: complaints the log does not move, at the end of time → fact_*
//   live_*   every session: the other complaints, at the session's as-of instant
// and each session assembles the five names every other file reads from both
// (queries/facts/assemble_*.sql). The facts are keyed by a fingerprint of everything they
// were computed from; a session that finds them stale says so and computes them for
// itself, and pledge build (also run by pledge ingest) brings them up to date, for the
// complaints the new imports touched only, or all of them when the fingerprint moved.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';
import { catalogNames, checkedReads, createPrefix, listQueryFiles, loadCatalogue, MATERIALISATION, type Layer, type QueryFile } from './queries.ts';
import { explainSqlError } from './sql-errors.ts';
import { timed } from '../core/timings.ts';

/** Bump when the shape or meaning of the stored tables changes: older facts are then rebuilt. */
export const FACTS_FORMAT = 2;

/** The files run twice (build_ and live_), in the order they read each other. */
export const SPLIT_NAMES = ['stg_complaint_stage', 'stg_complaints', 'findings', 'int_commitment_clock', 'int_commitment_due'] as const;
/** The stored tables, each kept from one split result (fact_complaint ← stg_complaints, …): queries/facts/<name>.sql. */
const STORED = ['fact_complaint', 'fact_findings', 'fact_clock'] as const;

/** Complaints with events that are not in the stored facts (fact_event_moved.sql): worked out per session. */
const LIVE = 'select complaint_id from event_versions except select complaint_id from fact_complaint';

export interface FactsState {
  /** stored: read from the warehouse; session: computed for this session only (stale or another policy). */
  source: 'stored' | 'session';
  /** One line saying what happened, for the terminal; empty when the stored facts were current. */
  notice: string;
}

export function isSplit(name: string): boolean {
  return (SPLIT_NAMES as readonly string[]).includes(name);
}

function factsFile(dir: string, name: string): QueryFile {
  const path = join(dir, 'facts', `${name}.sql`);
  if (!existsSync(path)) throw new PledgeError(`${path}: missing (queries/facts/ holds how stored facts are kept and assembled)`);
  return { name, layer: 'intermediate', path, sql: readFileSync(path, 'utf8').replace(/;\s*$/, '') };
}

/** The split files, each after the files it reads. */
async function splitFiles(wh: Warehouse, dir: string): Promise<QueryFile[]> {
  const split = (await loadCatalogue(wh, dir)).files.filter((f) => isSplit(f.name));
  if (split.length !== SPLIT_NAMES.length) {
    throw new PledgeError(`${dir}: stored facts need ${SPLIT_NAMES.map((n) => `${n}.sql`).join(', ')} (found ${split.map((f) => f.name).join(', ') || 'none'})`);
  }
  return split;
}

/** The SQL of a split file reading the prefixed copies of the split names and of complaint_versions. */
function prefixed(sql: string, prefix: string): string {
  const names = ['complaint_versions', ...SPLIT_NAMES];
  return sql.replace(new RegExp(`\\b(${names.join('|')})\\b`, 'g'), (n) => prefix + n);
}

async function createTemp(wh: Warehouse, name: string, f: QueryFile, sql: string, params?: Record<string, unknown>): Promise<void> {
  const prefix = `create or replace temp table ${name} as\n`;
  try {
    await timed(`facts.${name}`, () => wh.run(prefix + sql, params));
  } catch (e) {
    throw await explainSqlError(wh, e, relative(process.cwd(), f.path), f.sql, prefix);
  }
}

/**
 * Runs the split files over the complaint versions `versionsWhere` selects, as
 * `${prefix}stg_complaints` … temp tables, at whatever as-of the session has set.
 */
async function runSplitChain(wh: Warehouse, dir: string, prefix: string, versionsWhere: string, leaveOutMoved = false): Promise<void> {
  await wh.run(`create or replace temp table ${prefix}complaint_versions as
    select * from main.complaint_versions where ${versionsWhere}`);
  if (leaveOutMoved) {
    const f = factsFile(dir, 'fact_event_moved');
    await createTemp(wh, `${prefix}event_moved`, f, prefixed(f.sql, prefix));
    await wh.run(`delete from ${prefix}complaint_versions where complaint_id in (select complaint_id from ${prefix}event_moved)`);
    await wh.run(`drop table ${prefix}event_moved`);
  }
  for (const f of await splitFiles(wh, dir)) await createTemp(wh, prefix + f.name, f, prefixed(f.sql, prefix));
  await wh.run(`drop table if exists ${prefix}complaint_versions`);
}

/** The live part of a session: the split files over complaints with flow-log events, at its as-of. */
export async function createLiveFacts(wh: Warehouse, dir: string): Promise<void> {
  await runSplitChain(wh, dir, 'live_', `complaint_id in (${LIVE})`);
}

/**
 * No stored facts (--no-stored-facts): every complaint is worked out live, by the split
 * files alone, and the fact_* names are empty temp tables of the right shape. The
 * reference the stored facts are checked against (test/models/facts.test.ts).
 */
export async function createAllLive(wh: Warehouse, dir: string): Promise<FactsState> {
  await createSupportViews(wh, dir);
  await runSplitChain(wh, dir, 'live_', 'true');
  for (const name of STORED) {
    const f = factsFile(dir, name);
    await wh.run(`create or replace temp table ${name} as select * from (${f.sql.replace(/\bbuild_/g, 'live_')}) where false`, name === 'fact_clock' ? { first_clock_id: 0 } : undefined);
  }
  return { source: 'session', notice: '' };
}

/**
 * Each split name is assembled as its own file's folder says (MATERIALISATION): stg_complaints
 * a view over the stored table (a reader scans it once), the others tables (int_commitment_due
 * reads int_commitment_clock's rowid, commitment_status joins the due instants on clock_id,
 * findings is small).
 */
function splitLayers(dir: string): Map<string, Layer> {
  return new Map(listQueryFiles(dir).filter((f) => isSplit(f.name)).map((f) => [f.name, f.layer]));
}

/** The split names assembled as views: a reader of one reads the stored facts and the live part through it. */
export function assembledViews(dir: string): string[] {
  const layers = splitLayers(dir);
  return SPLIT_NAMES.filter((n) => layers.has(n) && MATERIALISATION[layers.get(n)!].becomes === 'view');
}

/** The SQL that assembles `name` (queries/facts/assemble_<name>.sql). */
export function assembleFile(dir: string, name: string): QueryFile {
  return factsFile(dir, `assemble_${name}`);
}

/** The five names every other file reads, assembled from the facts and the live part. */
export async function assembleSplitNames(wh: Warehouse, dir: string): Promise<void> {
  const layers = splitLayers(dir);
  for (const name of SPLIT_NAMES) {
    const f = assembleFile(dir, name);
    const prefix = createPrefix(name, layers.get(name) ?? 'intermediate');
    try {
      await timed(`run.assemble.${name}`, () => wh.run(prefix + f.sql));
    } catch (e) {
      throw await explainSqlError(wh, e, relative(process.cwd(), f.path), f.sql, prefix);
    }
  }
  // A table holds its rows now; a view still reads live_<name>.
  const views = assembledViews(dir);
  for (const name of SPLIT_NAMES) if (!views.includes(name)) await wh.run(`drop table if exists live_${name}`);
}

/** The calendar and flow-log views the split files read (views: nothing is computed yet). */
async function createSupportViews(wh: Warehouse, dir: string): Promise<void> {
  for (const f of (await loadCatalogue(wh, dir)).files.filter((x) => x.layer === 'staging' && !isSplit(x.name))) {
    await wh.run(createPrefix(f.name, f.layer) + f.sql);
  }
}

// ---------------------------------------------------------------- fingerprint

/**
 * A digest of everything the stored facts were computed from: the SQL of the split
 * files and of the staging views they read, queries/facts/, the rows of every policy
 * table those read, the policy scalars they read with getvariable(), the calendar up
 * to two years past the last receipt. (The pseudonym key is not among them: customer
 * pseudonyms are stored at ingest, src/privacy/personal.ts.)
 */
export async function factsFingerprint(wh: Warehouse, dir: string): Promise<string> {
  const cat = await loadCatalogue(wh, dir);
  const facts = [...STORED, 'fact_event_moved', ...SPLIT_NAMES.map((n) => `assemble_${n}`)].map((name) => factsFile(dir, name));
  // queries/facts/ is checked like the other files; the build_ and live_ copies of the split
  // names it reads are made here (runSplitChain).
  const made = SPLIT_NAMES.flatMap((n) => [`build_${n}`, `live_${n}`]);
  const reads = new Map([...cat.reads, ...await checkedReads(wh, facts, new Set([...await catalogNames(wh), ...cat.files.map((f) => f.name), ...made]))]);
  const corpus = new Map<string, QueryFile>();
  const add = (f: QueryFile) => {
    if (corpus.has(f.name)) return;
    corpus.set(f.name, f);
    for (const o of cat.files) if (o.layer === 'staging' && o !== f && reads.get(f.name)!.names.has(o.name)) add(o);
  };
  for (const f of await splitFiles(wh, dir)) add(f);
  for (const f of facts) add(f);
  const texts = [...corpus.values()].sort((a, b) => a.name.localeCompare(b.name));
  const h = createHash('sha256');
  h.update(`pledge facts format ${FACTS_FORMAT}\n`);
  for (const f of texts) h.update(`-- ${f.name}\n${f.sql}\n`);
  const read = new Set(texts.flatMap((f) => [...reads.get(f.name)!.names.keys()]));

  const temps = await wh.rows(`select table_name from duckdb_tables() where temporary order by 1`);
  const dataTo = await wh.value<string | null>(`select (year(max(received_at::timestamp)) + 2) || '-12-31' from complaint_versions`);
  for (const { table_name } of temps) {
    const t = String(table_name);
    if (!read.has(t.toLowerCase()) || t.startsWith('build_') || t.startsWith('live_')) continue;
    const where = t === 'calendar_source' && dataTo ? `where day <= '${dataTo}'::date` : '';
    const digest = await wh.value(`select md5(coalesce(string_agg(r, '|' order by r), '')) from (select t::varchar as r from ${t} t ${where})`);
    h.update(`${t}:${digest}\n`);
  }
  const variables = [...new Set(texts.flatMap((f) => [...reads.get(f.name)!.variables]))].filter((v) => v !== 'as_of').sort();
  for (const v of variables) h.update(`${v}=${await wh.value(`select getvariable('${v}')::varchar`)}\n`);
  return h.digest('hex');
}

// ---------------------------------------------------------------- build

const BUILD_DDL = `create table if not exists fact_build (
  fingerprint     varchar not null,   -- factsFingerprint of what the facts were computed from
  last_import_id  integer,            -- the latest import the facts cover
  built_at        timestamptz not null,
  mode            varchar not null,   -- full | incremental
  complaints      bigint not null,    -- complaints (re)computed by that build
  seconds         double not null
)`;

interface BuildState { fingerprint: string; last_import_id: number | null }

async function readState(wh: Warehouse): Promise<BuildState | null> {
  const has = await wh.value(`select count(*) from duckdb_tables() where table_name = 'fact_build' and not temporary`);
  if (!Number(has)) return null;
  const hasAll = await wh.value(`select count(*) from duckdb_tables() where not temporary and table_name in (${STORED.map((n) => `'${n}'`).join(', ')})`);
  if (Number(hasAll) !== STORED.length) return null;
  const [row] = await wh.rows('select fingerprint, last_import_id from fact_build order by built_at desc limit 1');
  return row ? { fingerprint: String(row.fingerprint), last_import_id: row.last_import_id === null ? null : Number(row.last_import_id) } : null;
}

async function lastImportId(wh: Warehouse): Promise<number | null> {
  const v = await wh.value<number | bigint | null>('select max(import_id) from imports');
  return v === null || v === undefined ? null : Number(v);
}

/**
 * Brings the facts in force for this session: the stored ones when current; else,
 * with `writable`, rebuilt in the warehouse (the touched complaints only when only
 * new imports moved them), else computed into temp tables of the same names, which
 * every read then sees instead. The session's as-of is set again afterwards.
 */
export async function ensureFacts(wh: Warehouse, dir: string, opts: { writable: boolean; asOf: string }): Promise<FactsState> {
  await createSupportViews(wh, dir);
  const fingerprint = await timed('facts.fingerprint', () => factsFingerprint(wh, dir));
  // What the facts in force must have been computed from (queries/tests/stored_facts_current.sql).
  await wh.run('set variable facts_fingerprint = $fp', { fp: fingerprint });
  const state = await readState(wh);
  const last = await lastImportId(wh);
  if (state && state.fingerprint === fingerprint && state.last_import_id === last) {
    await dropSessionFacts(wh);
    return { source: 'stored', notice: '' };
  }
  const why = !state ? 'this warehouse has no stored facts yet'
    : state.fingerprint !== fingerprint ? 'the policy, calendar, key or SQL they were computed from changed'
    : 'imports were added since they were built';
  if (!opts.writable) {
    await buildFacts(wh, dir, { target: 'session', touched: null, fingerprint, last, asOf: opts.asOf });
    return { source: 'session', notice: `stored facts are stale (${why}): computed for this session; "pledge build" stores them` };
  }
  const incremental = state !== null && state.fingerprint === fingerprint && !(await fullExportSince(wh, state.last_import_id));
  const n = await buildFacts(wh, dir, { target: 'stored', touched: incremental ? state!.last_import_id ?? 0 : null, fingerprint, last, asOf: opts.asOf });
  return {
    source: 'stored',
    notice: incremental ? `stored facts brought up to date: ${n.toLocaleString('en-US')} complaints touched by new imports`
      : `stored facts rebuilt (${why}): ${n.toLocaleString('en-US')} complaints`,
  };
}

async function fullExportSince(wh: Warehouse, since: number | null): Promise<boolean> {
  // A full export can make a finding ("missing from a later full export") for any earlier complaint.
  return Number(await wh.value(`select count(*) from imports where full_export and import_id > $since`, { since: since ?? 0 })) > 0;
}

async function dropSessionFacts(wh: Warehouse): Promise<void> {
  for (const name of STORED) await wh.run(`drop table if exists temp.main.${name}`);
}

/**
 * Complaints per chunk of a build. Each chunk's clocks (8 per complaint at the default
 * policy) are worked out and written before the next chunk starts, so a build holds one
 * chunk's intermediate tables at a time: at 10M complaints a build in one piece spilled
 * 25 GB with a 1 GB engine limit. PLEDGE_BUILD_CHUNK sets it.
 */
export function buildChunk(): number {
  const v = Number(process.env.PLEDGE_BUILD_CHUNK ?? 1_000_000);
  return Number.isInteger(v) && v > 0 ? v : 1_000_000;
}

/**
 * Computes the facts of complaints with no event (all of them, or those the imports after
 * `touched` carried or logged events for) and keeps them: in the warehouse, in one
 * transaction (a kill leaves the previous facts and their fingerprint in force), or as
 * temp tables for this session. Returns how many complaints were computed.
 */
async function buildFacts(wh: Warehouse, dir: string, o: {
  target: 'stored' | 'session'; touched: number | null; fingerprint: string; last: number | null; asOf: string;
}): Promise<number> {
  const t0 = Date.now();
  const full = o.touched === null;
  const touched = full ? 'true' : `complaint_id in (
      select complaint_id from main.complaint_versions where import_id > ${o.touched}
      union select complaint_id from event_versions where import_id > ${o.touched})`;
  await wh.run(`create or replace temp table build_all_touched as
    select distinct complaint_id from main.complaint_versions where ${touched}`);
  const complaints = Number(await wh.value('select count(*) from build_all_touched'));
  const chunks = Math.max(1, Math.ceil(complaints / buildChunk()));
  const stored = o.target === 'stored';
  // Qualified: a session may hold temp tables of the same names (stale facts computed for it).
  const table = (name: string) => (stored ? `main.${name}` : `temp.main.${name}`);
  if (stored) {
    await wh.run('begin transaction');
    await wh.run(BUILD_DDL);
  }
  try {
    for (let chunk = 0; chunk < chunks; chunk++) {
      await wh.run(`create or replace temp table build_touched as
        select complaint_id from build_all_touched where ${chunks === 1 ? 'true' : `hash(complaint_id) % ${chunks} = ${chunk}`}`);
      // The end of time: every recorded stage has happened, nothing is cut.
      await wh.run(`set variable as_of = 'infinity'::timestamptz`);
      try {
        await runSplitChain(wh, dir, 'build_', 'complaint_id in (select complaint_id from build_touched)', true);
      } finally {
        await wh.run('set variable as_of = $asOf::timestamptz', { asOf: o.asOf });
      }
      for (const name of STORED) {
        const f = factsFile(dir, name);
        const first = full && chunk === 0;
        const params = name === 'fact_clock'
          ? { first_clock_id: first ? 0 : Number(await wh.value(`select coalesce(max(clock_id), 0) from ${table(name)}`)) } : undefined;
        try {
          if (first) {
            await timed(`build.${name}`, () => wh.run(`create or replace ${stored ? '' : 'temp '}table ${name} as\n${f.sql}`, params));
          } else {
            if (!full) await wh.run(`delete from ${table(name)} where complaint_id in (select complaint_id from build_touched)`);
            await timed(`build.${name}`, () => wh.run(`insert into ${table(name)} by name\n${f.sql}`, params));
          }
        } catch (e) {
          throw await explainSqlError(wh, e, relative(process.cwd(), f.path), f.sql, '');
        }
      }
      for (const name of SPLIT_NAMES) await wh.run(`drop table if exists build_${name}`);
    }
    if (stored) {
      await wh.run(`insert into fact_build values ($fp, $last, now(), $mode, $n, $s)`, {
        fp: o.fingerprint, last: o.last, mode: full ? 'full' : 'incremental', n: complaints, s: (Date.now() - t0) / 1000,
      });
      // A failed commit (a full disk) is reported as itself, with the warehouse path.
      await wh.commit('the clock facts build');
    }
  } catch (e) {
    if (stored) await wh.run('rollback').catch(() => undefined);
    throw e;
  }
  if (stored) await dropSessionFacts(wh);
  await wh.run('drop table if exists build_touched');
  await wh.run('drop table if exists build_all_touched');
  return complaints;
}

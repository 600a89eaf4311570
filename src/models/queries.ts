// The SQL in queries/: discovered from disk, never listed in code. An analyst
// adds a file and it exists. Every file is one result named by its file name;
// what that result becomes (a view, a temporary table, a stored fact, a query)
// is decided by its folder, in MATERIALISATION below, and what it reads by
// DuckDB's own parse of it (json_serialize_sql), never by searching its text.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename, relative } from 'node:path';
import type { Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';
import { timed } from '../core/timings.ts';
import { explainSqlError } from './sql-errors.ts';
import { PROJECT_ROOT } from '../core/project.ts';
import { sqlLiteral } from '../core/sql-text.ts';

// ---------------------------------------------------------------- what each folder becomes

export type Becomes = 'view' | 'temporary table' | 'stored fact' | 'query';

/**
 * The materialisation rule, written once: what each folder of queries/ becomes, and why.
 * The session (createQueryObjects), the stored facts (facts.ts), `pledge sql` (its init
 * script and `.layers`) read it here; queries/README.md points here. The folders a session
 * creates (views and temporary tables) are created in the order listed, then by what they read.
 */
export const MATERIALISATION = {
  staging: {
    becomes: 'view',
    why: 'cleaning row by row (the current version of a complaint, a calendar day): DuckDB folds a view into each reader\'s plan, so nothing is worked out that no query reads',
  },
  intermediate: {
    becomes: 'temporary table',
    why: 'computed once per session: the commitment clocks are the expensive part and every KPI reads them',
  },
  kpi: {
    becomes: 'temporary table',
    why: 'computed once per session: the KPI tables are small, and a report reads each several times (tiles, trend, owners of what is red)',
  },
  facts: {
    becomes: 'stored fact',
    why: 'what does not depend on the as-of instant, worked out once per complaint by pledge build and kept in the warehouse (a session that finds them stale computes them into temporary tables of the same names); assemble_<name>.sql makes <name> for the session as <name>\'s own folder says',
  },
  report: { becomes: 'query', why: 'the rows one panel shows, with $parameters ($month …): run each time a page is made, and by pledge query --file' },
  compare: { becomes: 'query', why: 'the policy what-if (--compare-policy): run under both policies' },
  assess: { becomes: 'query', why: 'the quarter\'s assessment pack (pledge assess)' },
  tests: { becomes: 'query', why: 'data tests (pledge test): each returns the rows that break what its header says must hold' },
} as const satisfies Record<string, { becomes: Becomes; why: string }>;

export type Folder = keyof typeof MATERIALISATION;
/** A folder whose files a session creates, each a view or a temporary table. */
export type Layer = { [F in Folder]: (typeof MATERIALISATION)[F]['becomes'] extends 'view' | 'temporary table' ? F : never }[Folder];

export const VIEW_LAYERS: readonly Layer[] = (Object.keys(MATERIALISATION) as Folder[])
  .filter((f): f is Layer => ['view', 'temporary table'].includes(MATERIALISATION[f].becomes));

/** The statement that creates `name` as its folder says (text put before the file's SQL). */
export function createPrefix(name: string, layer: Layer): string {
  return `create or replace temp ${MATERIALISATION[layer].becomes === 'view' ? 'view' : 'table'} ${name} as\n`;
}

export interface QueryFile { name: string; layer: Layer; path: string; sql: string }

export function defaultQueriesDir(): string {
  return join(PROJECT_ROOT, 'queries');
}

export function listQueryFiles(dir: string): QueryFile[] {
  const files: QueryFile[] = [];
  for (const layer of VIEW_LAYERS) {
    const folder = join(dir, layer);
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) {
      const path = join(folder, f);
      files.push({ name: basename(f, '.sql'), layer, path, sql: stripTrailingSemicolon(readFileSync(path, 'utf8')) });
    }
  }
  return files;
}

function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '');
}

// ---------------------------------------------------------------- what each file reads

/** What a statement reads, from DuckDB's parse of it. */
export interface Reads {
  /** Tables and views it reads, lower case, with where each is first named (a byte offset into the text). */
  names: Map<string, number>;
  /** The variables it reads with getvariable('…'): not dependencies, but what the stored facts' fingerprint covers. */
  variables: Set<string>;
}

/** Why DuckDB cannot parse a text (a statement that is not a query, a syntax error), with where, when it says. */
export interface Unparsed { error: string; at?: number }

/** Parses by SQL text, for the life of the process: the same text reads the same names. */
const parses = new Map<string, Reads | Unparsed>();

/**
 * What each text reads: DuckDB serialises its own parse tree (json_serialize_sql), in which
 * every table or view read is a BASE_TABLE node. A name the statement defines itself (a CTE,
 * in the part of the statement that sees it) is not a read; nor is a table function
 * (range, read_parquet: TABLE_FUNCTION) or a getvariable() call. All texts not parsed
 * before go to DuckDB in one query.
 */
export async function parseReads(wh: Warehouse, texts: string[]): Promise<(Reads | Unparsed)[]> {
  const todo = [...new Set(texts)].filter((t) => !parses.has(t));
  if (todo.length) {
    const rows = await timed('run.parse_sql', () => wh.rows(`select i, json_serialize_sql(s, skip_null := true, skip_empty := true)::varchar as tree
      from (values ${todo.map((t, i) => `(${i}, ${sqlLiteral(t)})`).join(', ')}) t(i, s)`));
    for (const r of rows) parses.set(todo[Number(r.i)], readsOfTree(JSON.parse(String(r.tree))));
  }
  return texts.map((t) => parses.get(t)!);
}

type Node = Record<string, unknown>;

function readsOfTree(tree: Node): Reads | Unparsed {
  if (tree.error) return { error: String(tree.error_message ?? 'cannot be parsed'), ...(tree.position !== undefined ? { at: Number(tree.position) } : {}) };
  const names = new Map<string, number>();
  const variables = new Set<string>();
  const walk = (n: unknown, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x, ctes);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as Node;
    let scope = ctes;
    const map = (o.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map;
    if (map?.length) {
      // Each CTE sees the ones before it, not itself (`with x as (select … from x)` reads the
      // table x); the rest of the query sees them all.
      const inner = new Set(ctes);
      for (const e of map) {
        walk(e.value, inner);
        inner.add(e.key.toLowerCase());
      }
      scope = inner;
    }
    // A recursive CTE reads itself inside its own definition.
    if (o.type === 'RECURSIVE_CTE_NODE' && typeof o.cte_name === 'string') scope = new Set([...scope, o.cte_name.toLowerCase()]);
    if (o.type === 'BASE_TABLE' && typeof o.table_name === 'string') {
      const name = o.table_name.toLowerCase();
      // main.x or temp.main.x is never a CTE.
      if ((o.schema_name || !scope.has(name)) && !names.has(name)) names.set(name, Number(o.query_location ?? 0));
    }
    if (o.class === 'FUNCTION' && o.function_name === 'getvariable') {
      const arg = (o.children as Node[] | undefined)?.[0];
      const value = (arg?.value as Node | undefined)?.value;
      if (arg?.type === 'VALUE_CONSTANT' && typeof value === 'string') variables.add(value);
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'cte_map') walk(v, scope);
  };
  walk(tree.statements, new Set());
  return { names, variables };
}

export function isUnparsed(r: Reads | Unparsed): r is Unparsed {
  return 'error' in r;
}

/** The names a text reads, or undefined when DuckDB cannot parse it (then it may read anything). */
export async function sqlReads(wh: Warehouse, sql: string): Promise<Set<string> | undefined> {
  const [r] = await parseReads(wh, [sql]);
  return isUnparsed(r) ? undefined : new Set(r.names.keys());
}

/** "file:line:column" for a byte offset into a file's text (DuckDB counts bytes). */
export function located(path: string, sql: string, at: number | undefined): string {
  const file = relative(process.cwd(), path);
  const shown = file && !file.startsWith('..') ? file : path;
  if (at === undefined) return shown;
  const before = Buffer.from(sql).subarray(0, at).toString().split('\n');
  return `${shown}:${before.length}:${before[before.length - 1].length + 1}`;
}

/** Names a session can read besides the files: the warehouse's tables, the policy's, the calendar's. */
export async function catalogNames(wh: Warehouse): Promise<Set<string>> {
  const rows = await wh.rows(`select table_name as n from duckdb_tables() union select view_name from duckdb_views()`);
  return new Set(rows.map((r) => String(r.n).toLowerCase()));
}

/**
 * Every file's reads, parsed, and checked: a name that is neither in `known` nor another
 * file is an error naming the file, the place and the name, with the nearest name there
 * is (DuckDB's levenshtein); a file DuckDB cannot parse is an error naming the file.
 */
export async function checkedReads(wh: Warehouse, files: { name: string; path: string; sql: string }[], known: Set<string>): Promise<Map<string, Reads>> {
  const parsed = await parseReads(wh, files.map((f) => f.sql));
  const out = new Map<string, Reads>();
  const problems: string[] = [];
  const all = new Set([...known, ...files.map((f) => f.name.toLowerCase())]);
  for (const [i, f] of files.entries()) {
    const r = parsed[i];
    if (isUnparsed(r)) {
      problems.push(`${located(f.path, f.sql, r.at)}: DuckDB cannot parse it as a query: ${r.error}`);
      continue;
    }
    out.set(f.name, r);
    for (const [name, at] of r.names) {
      if (all.has(name)) continue;
      const nearest = await wh.value<string | null>(`select n from (values ${[...all].map((n) => `(${sqlLiteral(n)})`).join(', ')}) t(n)
        order by levenshtein(n, $name), n limit 1`, { name });
      problems.push(`${located(f.path, f.sql, at)}: reads ${name}, which is no warehouse or policy table and no file of queries/`
        + (nearest ? ` (did you mean ${nearest}?)` : ''));
    }
  }
  if (problems.length) throw new PledgeError(problems.join('\n'));
  return out;
}

// ---------------------------------------------------------------- the catalogue

export interface Catalogue {
  dir: string;
  /** Every file of the layers, each after every file it reads. */
  files: QueryFile[];
  /** A file's name → what it reads (tables, views, other files) and the variables it uses. */
  reads: Map<string, Reads>;
}

/**
 * The files of queries/ a session creates, parsed, checked and in dependency order. `only`:
 * just those files (a set closed under what they read, readClosure). `check` false: only the
 * order (pledge validate creates two staging views in a bare warehouse with no calendar, so
 * the names the other files read are not there to check against).
 */
export async function loadCatalogue(wh: Warehouse, dir: string, opts: { check?: boolean; only?: Set<string> } = {}): Promise<Catalogue> {
  const all = listQueryFiles(dir);
  const files = opts.only ? all.filter((f) => opts.only!.has(f.name)) : all;
  let reads: Map<string, Reads>;
  if (opts.check ?? true) {
    // The stored facts (queries/facts/fact_*.sql) are warehouse tables a file may read too.
    const facts = join(dir, 'facts');
    const stored = existsSync(facts) ? readdirSync(facts).filter((f) => f.endsWith('.sql')).map((f) => basename(f, '.sql')) : [];
    reads = await checkedReads(wh, files, new Set([...await catalogNames(wh), ...stored, ...all.map((f) => f.name.toLowerCase())]));
  } else {
    const parsed = await parseReads(wh, files.map((f) => f.sql));
    reads = new Map(files.flatMap((f, i) => (isUnparsed(parsed[i]) ? [] : [[f.name, parsed[i] as Reads] as const])));
  }
  return { dir, files: dependencyOrder(files, reads), reads };
}

/** The files `name` reads, directly. */
export function fileReads(cat: Pick<Catalogue, 'files' | 'reads'>, name: string): string[] {
  const names = cat.reads.get(name)?.names;
  return names ? cat.files.filter((f) => f.name !== name && names.has(f.name.toLowerCase())).map((f) => f.name) : [];
}

/** Files in an order where each comes after every file it reads. */
export function dependencyOrder(files: QueryFile[], reads: Map<string, Reads>): QueryFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const ordered: QueryFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new PledgeError(`queries: circular reference ${[...chain, name].join(' → ')}`);
    state.set(name, 'visiting');
    for (const d of fileReads({ files, reads }, name)) visit(d, [...chain, name]);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const f of files) visit(f.name, []);
  return ordered;
}

/**
 * The files among `names`, and every file those read, directly or not (what a query reading
 * `names` needs built). Only those files are parsed: a query reading one staging view costs
 * the parse of one file.
 */
export async function readClosure(wh: Warehouse, dir: string, names: Iterable<string>): Promise<Set<string>> {
  const files = listQueryFiles(dir);
  const needed = new Set<string>();
  let read = new Set([...names].map((n) => n.toLowerCase()));
  for (;;) {
    const found = files.filter((f) => !needed.has(f.name) && read.has(f.name.toLowerCase()));
    if (!found.length) return needed;
    for (const f of found) needed.add(f.name);
    // A file DuckDB cannot parse reads nothing here; loadCatalogue then names it.
    read = new Set((await parseReads(wh, found.map((f) => f.sql))).flatMap((r) => (isUnparsed(r) ? [] : [...r.names.keys()])));
  }
}

/**
 * The files to recreate after `changed` names changed: those names and every
 * file that reads one of them, directly or not, in dependency order.
 */
export function affectedFiles(cat: Catalogue, changed: Set<string>): QueryFile[] {
  const affected = new Set(changed);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of cat.files) {
      if (!affected.has(f.name) && fileReads(cat, f.name).some((n) => affected.has(n))) {
        affected.add(f.name);
        grew = true;
      }
    }
  }
  return cat.files.filter((f) => affected.has(f.name));
}

// ---------------------------------------------------------------- creating them

/**
 * Creates every view and temporary table, in dependency order.
 *
 * reportsOnly (pledge run, which then runs only queries/report/): a table that neither a
 * report query nor a view reads is dropped once the last table built from it exists. The
 * clock tables (complaint x commitment, tens of millions of wide rows at 10M complaints) then
 * stop holding memory and spill space while the KPI tables are built from commitment_status.
 */
export async function createQueryObjects(wh: Warehouse, dir: string, opts: { reportsOnly?: boolean; only?: Set<string>; skip?: (name: string) => boolean } = {}): Promise<QueryFile[]> {
  // Skipped files (made otherwise, e.g. assembled from stored facts) still count as readers.
  const cat = await loadCatalogue(wh, dir, { only: opts.only });
  const ordered = cat.files;
  const freeAfter = opts.reportsOnly ? lastReaders(cat, await readByReportsOrViews(wh, cat)) : new Map<number, string[]>();
  for (const [i, f] of ordered.entries()) {
    if (!opts.skip?.(f.name)) await createQueryObject(wh, f);
    for (const name of freeAfter.get(i) ?? []) await wh.run(`drop table if exists ${name}`);
  }
  return ordered.filter((f) => !opts.skip?.(f.name));
}

/** Names a report query or a view reads: kept for the whole session. */
async function readByReportsOrViews(wh: Warehouse, cat: Catalogue): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const f of cat.files) if (MATERIALISATION[f.layer].becomes === 'view') for (const n of fileReads(cat, f.name)) kept.add(n);
  const reportDir = join(cat.dir, 'report');
  const reports = existsSync(reportDir) ? readdirSync(reportDir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(join(reportDir, f), 'utf8').replace(/;\s*$/, '')) : [];
  for (const r of await parseReads(wh, reports)) {
    // A report DuckDB cannot parse fails when it runs; until then it may read anything.
    for (const f of cat.files) if (isUnparsed(r) || r.names.has(f.name.toLowerCase())) kept.add(f.name);
  }
  return kept;
}

/** Position in the catalogue's order → tables (not kept) whose last reader is the file at that position. */
function lastReaders(cat: Catalogue, kept: Set<string>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const t of cat.files) {
    if (MATERIALISATION[t.layer].becomes !== 'temporary table' || kept.has(t.name)) continue;
    let last = -1;
    cat.files.forEach((f, i) => { if (f !== t && fileReads(cat, f.name).includes(t.name)) last = i; });
    if (last >= 0) out.set(last, [...(out.get(last) ?? []), t.name]);
  }
  return out;
}

/** One view or temporary table, as its folder says, replacing what was there. */
export async function createQueryObject(wh: Warehouse, f: QueryFile): Promise<void> {
  const prefix = createPrefix(f.name, f.layer);
  try {
    await timed(`run.${f.layer}.${f.name}`, () => wh.run(prefix + f.sql));
  } catch (e) {
    throw await explainSqlError(wh, e, relative(process.cwd(), f.path), f.sql, prefix);
  }
}

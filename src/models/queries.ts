// The SQL in queries/: discovered from disk, never listed in code. An analyst
// adds a file and it exists. Every file is one result named by its file name:
//   staging/           → temporary views
//   intermediate/, kpi/ → temporary tables, computed once per session: the
//                        commitment clocks are the expensive part and every KPI
//                        reads them; the KPI tables are small, and a report reads
//                        each several times (tiles, trend, owners of what is red)
//   report/            → parameterised queries ($month …) run by report panels
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename, relative } from 'node:path';
import type { Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';
import { timed } from '../core/timings.ts';
import { explainSqlError } from './sql-errors.ts';
import { PROJECT_ROOT } from '../core/project.ts';

export const VIEW_LAYERS = ['staging', 'intermediate', 'kpi'] as const;
export type Layer = (typeof VIEW_LAYERS)[number];

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

/** Files in an order where each comes after every file it names. */
export function dependencyOrder(files: QueryFile[]): QueryFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const deps = new Map(files.map((f) => [f.name, files
    .filter((o) => o.name !== f.name && new RegExp(`\\b${o.name}\\b`).test(withoutComments(f.sql)))
    .map((o) => o.name)]));
  const ordered: QueryFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new PledgeError(`queries: circular reference ${[...chain, name].join(' → ')}`);
    state.set(name, 'visiting');
    for (const d of deps.get(name) ?? []) visit(d, [...chain, name]);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const f of files) visit(f.name, []);
  return ordered;
}

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/**
 * Creates every view and intermediate table, in dependency order.
 *
 * reportsOnly (pledge run, which then runs only queries/report/): a table that neither a
 * report query nor a view names is dropped once the last table built from it exists. The
 * clock tables (complaint x commitment, tens of millions of wide rows at 10M complaints) then
 * stop holding memory and spill space while the KPI tables are built from commitment_status.
 */
export async function createQueryObjects(wh: Warehouse, dir: string, opts: { reportsOnly?: boolean; skip?: (name: string) => boolean } = {}): Promise<QueryFile[]> {
  // Skipped files (made otherwise, e.g. assembled from stored facts) still count as readers.
  const ordered = dependencyOrder(listQueryFiles(dir));
  const freeAfter = opts.reportsOnly ? lastReaders(ordered, readByReportsOrViews(dir, ordered)) : new Map<number, string[]>();
  for (const [i, f] of ordered.entries()) {
    if (!opts.skip?.(f.name)) await createQueryObject(wh, f);
    for (const name of freeAfter.get(i) ?? []) await wh.run(`drop table if exists ${name}`);
  }
  return ordered.filter((f) => !opts.skip?.(f.name));
}

/** Names a report query or a view reads: kept for the whole session. */
function readByReportsOrViews(dir: string, files: QueryFile[]): Set<string> {
  const readers = files.filter((f) => f.layer === 'staging').map((f) => f.sql);
  const reportDir = join(dir, 'report');
  if (existsSync(reportDir)) {
    for (const f of readdirSync(reportDir).filter((f) => f.endsWith('.sql'))) readers.push(readFileSync(join(reportDir, f), 'utf8'));
  }
  return new Set(files.filter((f) => readers.some((sql) => mentions(sql, f.name))).map((f) => f.name));
}

/** Position in `ordered` → tables (not kept) whose last reader is the file at that position. */
function lastReaders(ordered: QueryFile[], kept: Set<string>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const t of ordered) {
    if (t.layer === 'staging' || kept.has(t.name)) continue;
    let last = -1;
    ordered.forEach((f, i) => { if (f !== t && mentions(f.sql, t.name)) last = i; });
    if (last >= 0) out.set(last, [...(out.get(last) ?? []), t.name]);
  }
  return out;
}

/** One view (or intermediate or KPI table), replacing what was there. */
export async function createQueryObject(wh: Warehouse, f: QueryFile): Promise<void> {
  const kind = f.layer === 'staging' ? 'view' : 'table';
  const prefix = `create or replace temp ${kind} ${f.name} as\n`;
  try {
    await timed(`run.${f.layer}.${f.name}`, () => wh.run(prefix + f.sql));
  } catch (e) {
    throw await explainSqlError(wh, e, relative(process.cwd(), f.path), f.sql, prefix);
  }
}

/** Whether a SQL text reads the object `name` (comments ignored). */
export function mentions(sql: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(withoutComments(sql));
}

/** The files `sql` names, and every file those read, directly or not (what a query needs built). */
export function readClosure(files: QueryFile[], sql: string): Set<string> {
  const needed = new Set<string>();
  const visit = (text: string) => {
    for (const f of files) {
      if (needed.has(f.name) || !mentions(text, f.name)) continue;
      needed.add(f.name);
      visit(f.sql);
    }
  };
  visit(sql);
  return needed;
}

/**
 * The files to recreate after `changed` names changed: those names and every
 * file that reads one of them, directly or not, in dependency order.
 */
export function affectedFiles(files: QueryFile[], changed: Set<string>): QueryFile[] {
  const affected = new Set(changed);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of files) {
      if (!affected.has(f.name) && [...affected].some((n) => mentions(f.sql, n))) {
        affected.add(f.name);
        grew = true;
      }
    }
  }
  return dependencyOrder(files).filter((f) => affected.has(f.name));
}

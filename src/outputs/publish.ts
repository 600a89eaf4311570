// Publishing a set of outputs as a whole (a month's reports, an assessment pack, a
// Parquet export): the set is written into a new sibling folder ".NAME.partial-PID",
// then swapped in with two renames (the old folder aside to ".NAME.old-PID", the new
// one to NAME) and the old one is deleted only after that. A crash at any instant
// leaves at NAME either the old set or the new set, complete, except between the two
// renames, when NAME is absent and the old set is whole at ".NAME.old-PID": the next
// publication of NAME puts it back first. Leftovers of processes that are no longer
// alive are removed by the next publication of the same folder.
//
// An existing NAME is replaced only when Pledge can prove it wrote it (each kind says
// how: the marker file below, or the pack's own manifest); anything else is refused.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PledgeError } from '../core/errors.ts';
import { makeFolder, privateTree, syncDir, writeFailure, WriteError, writeFileAtomic } from '../core/files.ts';

/** Written last into a set that carries it: what kind of output the folder is, and which one. */
export const OUTPUT_MARKER = '.pledge-output';

export interface PublishSpec {
  /** The folder the set is published at. */
  dir: string;
  /** The output's kind, e.g. "report-month" (written into the marker, checked before replacing). */
  kind: string;
  /** Which one, e.g. "2025-10". */
  id: string;
  /** In words, for messages ("holds files but no … written by Pledge"): "assessment pack". */
  what: string;
  /**
   * How an existing non-empty folder is proven to be an earlier output of this kind:
   * "marker" (its .pledge-output names this kind), "never" (only a new or empty folder
   * is written into), or a check returning why it is not (undefined: it is).
   */
  replaces: 'marker' | 'never' | ((dir: string) => string | undefined);
  /** What to do instead, appended to a refusal: "choose an empty or new folder". */
  advice: string;
}

/** The folder's name beside it while it is being written, or while it is put aside. */
const leftover = (name: string) => new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(partial|old)-(\\d+)$`);

/**
 * Writes a set with `write(staging)` into a new folder and publishes it at spec.dir as a whole.
 * If `write` fails, nothing is published and the folder it was writing is removed.
 */
export async function publishFolder<T>(spec: PublishSpec, write: (staging: string) => Promise<T>): Promise<T> {
  const dir = resolve(spec.dir);
  const parent = dirname(dir);
  const name = basename(dir);
  makeFolder(parent);
  recoverLeftovers(parent, name);
  checkReplaceable(spec);
  const staging = join(parent, `.${name}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });   // this PID's, from a process long gone
  makeFolder(staging);
  try {
    const result = await write(staging);
    if (spec.replaces === 'marker') {
      writeFileAtomic(join(staging, OUTPUT_MARKER), JSON.stringify({ pledge_output: spec.kind, id: spec.id, written_at: new Date().toISOString() }) + '\n');
    }
    privateTree(staging);   // files a writer made with its own modes (DuckDB's COPY, copied SQL)
    syncTree(staging);      // on disk before the rename makes it the published set
    swapIn(spec, staging, dir);
    return result;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (e instanceof WriteError) throw new WriteError(`${e.message}; nothing was published (${spec.dir} is as it was)`);
    throw e;
  }
}

function swapIn(spec: PublishSpec, staging: string, dir: string): void {
  const aside = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  checkReplaceable(spec);   // again: another process may have written there meanwhile
  let old = false;
  try {
    renameSync(dir, aside);
    old = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailure(dir, e);
  }
  testKillPoint('publish:swap');
  try {
    renameSync(staging, dir);
  } catch (e) {
    // Put the old set back; if another run published meanwhile, it stays aside for the next publication to remove.
    if (old) try { renameSync(aside, dir); } catch { /* see above */ }
    throw writeFailure(dir, e);
  }
  syncDir(dirname(dir));
  if (old) rmSync(aside, { recursive: true, force: true });
}

/** Refuses, before anything is written, to replace a folder Pledge cannot prove it wrote. */
export function checkReplaceable(spec: PublishSpec): void {
  const dir = spec.dir;
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch {
    return;   // absent: nothing to replace
  }
  const refuse = (why: string) => new PledgeError(`${dir}: ${why}; it was left as it is: ${spec.advice}`);
  if (st.isSymbolicLink()) throw refuse('is a symbolic link, not a folder Pledge wrote');
  if (!st.isDirectory()) throw refuse('is not a folder');
  if (!readdirSync(dir).length) return;
  if (spec.replaces === 'never') throw refuse('not empty');
  const why = spec.replaces === 'marker' ? markerProblem(dir, spec.kind) : spec.replaces(dir);
  if (why) throw refuse(`holds files but no ${spec.what} written by Pledge (${why})`);
}

/** Whether `dir` carries Pledge's marker for `kind`: a set a run published there (the month index lists those). */
export function carriesMarker(dir: string, kind: string): boolean {
  return markerProblem(dir, kind) === undefined;
}

/** Why `dir` does not carry Pledge's marker for `kind` (undefined: it does). */
function markerProblem(dir: string, kind: string): string | undefined {
  const file = join(dir, OUTPUT_MARKER);
  let st: Stats;
  try { st = lstatSync(file); } catch { return `no ${OUTPUT_MARKER} file`; }
  if (!st.isFile() || st.size > 4096) return `${OUTPUT_MARKER} is not Pledge's marker file`;
  let marker: unknown;
  try { marker = JSON.parse(readFileSync(file, 'utf8')); } catch { return `${OUTPUT_MARKER} is not Pledge's marker file`; }
  const found = (marker as { pledge_output?: unknown } | null)?.pledge_output;
  if (found !== kind) return `${OUTPUT_MARKER} says ${typeof found === 'string' ? JSON.stringify(found) : 'no kind'}, not "${kind}"`;
  return undefined;
}

/**
 * Finishes what a killed process left beside `name`: a set put aside while NAME is absent
 * is put back (the swap never completed, so the old set stands); other leftovers go.
 * Those of a process still alive (another run writing now) are left alone.
 */
function recoverLeftovers(parent: string, name: string): void {
  const pattern = leftover(name);
  const found = readdirSync(parent).map((f) => ({ f, m: pattern.exec(f) })).filter((x) => x.m && !alive(Number(x.m[2])))
    .sort((a, b) => (a.m![1] === b.m![1] ? 0 : a.m![1] === 'old' ? -1 : 1));
  for (const { f, m } of found) {
    const path = join(parent, f);
    // Another run may be recovering the same leftovers: what has gone meanwhile is skipped.
    try {
      if (!lstatSync(path).isDirectory()) continue;
      if (m![1] === 'old' && !exists(join(parent, name))) {
        renameSync(path, join(parent, name));
        process.stderr.write(`note: ${join(parent, name)}: put back the set a killed run (process ${m![2]}) had moved aside to ${f}\n`);
      } else {
        rmSync(path, { recursive: true, force: true });
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw writeFailure(path, e);
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';   // alive, someone else's
  }
}

function exists(path: string): boolean {
  try { lstatSync(path); return true; } catch { return false; }
}

/** Every file and folder of the set flushed, so that the rename never publishes what the disk lacks. */
function syncTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) syncTree(p);
    else if (e.isFile()) {
      const fd = openSync(p, 'r');
      try { fsyncSync(fd); } finally { closeSync(fd); }
    }
  }
  syncDir(dir);
}

/**
 * Test-only: PLEDGE_TEST_KILL_AT=<moment> kills this process with SIGKILL at that moment, so the
 * fault tests (test/outputs/faults-output.test.ts) can cut a run where a real crash could.
 */
export function testKillPoint(moment: string): void {
  if (process.env.PLEDGE_TEST_KILL_AT === moment) process.kill(process.pid, 'SIGKILL');
}

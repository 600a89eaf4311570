// Outputs are written whole or not at all: a temporary file beside the target,
// flushed to disk, then renamed over it, so a crash never leaves half a report
// that looks whole (the previous version stays until the new one is complete).
// Files are private to their owner by default (policy privacy.file_mode/dir_mode):
// reports carry performance data and exports may carry complaint text.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { PledgeError } from './errors.ts';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

let modes = { file: FILE_MODE, dir: DIR_MODE };

/** Set once per command from the policy (see src/privacy/keys.ts applyFileModes). */
export function setOutputModes(file: number, dir: number): void {
  modes = { file, dir };
}

export function outputModes(): { file: number; dir: number } {
  return { ...modes };
}

/**
 * Every file and folder under `dir`, and `dir` itself, made owner-only: for a folder Pledge
 * wrote all of (a Parquet export, an assessment pack), which may have existed before (0755)
 * or hold files a writer made with its own modes (DuckDB's COPY).
 */
export function privateTree(dir: string): void {
  chmodSync(dir, modes.dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) privateTree(p);
    else if (e.isFile()) chmodSync(p, modes.file);
  }
}

/** A fresh temporary path in the target's folder (same file system, so rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Runs `write(tmp)` to produce the file at a temporary path, then puts it in place
 * with one rename. For writers that need a path (DuckDB's COPY, Chromium's PDF).
 */
export async function replaceAtomically(path: string, write: (tmp: string) => Promise<void> | void, mode = modes.file): Promise<void> {
  makeFolder(dirname(path));
  const tmp = tempPathFor(path);
  try {
    await write(tmp);
    chmodSync(tmp, mode);
    syncFile(tmp);
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array, mode = modes.file): void {
  makeFolder(dirname(path));
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);   // the umask may have narrowed or the file pre-existed
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

/** A folder outputs go into, created private; failing, the error names it (not only the syscall). */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: modes.dir });
  } catch (e) {
    throw writeFailure(dir, e);
  }
}

/** A file or folder could not be written: the message names it, and the cause (e.g. no space left on device). */
export class WriteError extends PledgeError {}

/**
 * The operating system's error (ENOSPC, EACCES, EFBIG, ENOTDIR...) as one line naming the path being
 * written: Node's own message for a failed write names only the call ("ENOSPC: ..., write").
 * Errors that are not the file system's (a query that failed while streaming) pass through as they are.
 */
export function writeFailure(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof PledgeError || typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return e;
  const why = String((e as Error).message).replace(/^E[A-Z0-9]+: /, '').replace(/, [a-z]+( '.*')?$/, '');
  return new WriteError(`${path}: cannot write: ${why} (${code})`);
}

/** Streams chunks to a temporary file and renames it into place only once the last chunk is on disk. */
export async function writeStreamAtomic(path: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, mode = modes.file): Promise<void> {
  await replaceAtomically(path, async (tmp) => {
    const fd = openSync(tmp, 'wx', mode);
    try {
      for await (const chunk of chunks) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
      }
    } finally {
      closeSync(fd);
    }
  }, mode);
}

export function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** The rename itself must reach the disk too. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* some file systems cannot fsync a directory; the rename is still atomic */ }
}

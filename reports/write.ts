// Outputs are written whole or not at all: a temporary file beside the target,
// then a rename, so a crash never leaves half a report that looks whole. Files
// are private to their owner by default (reports carry performance data).
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export function writeFileAtomic(path: string, content: string | Uint8Array, mode = FILE_MODE): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content, { mode });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

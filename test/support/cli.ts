// Runs the real `pledge` command line in a child process, as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface CliResult { code: number; stdout: string; stderr: string }

export function pledge(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), ...args], {
    cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs pledge and fails with its stderr when it does not exit 0. */
export function pledgeOk(args: string[], opts: { cwd?: string } = {}): string {
  const r = pledge(args, opts);
  if (r.code !== 0) throw new Error(`pledge ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

export function pledgeJson<T = Record<string, unknown>>(args: string[]): T[] {
  return JSON.parse(pledgeOk([...args, '--format', 'json'])) as T[];
}

export function tempDir(prefix = 'pledge-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

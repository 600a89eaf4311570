// What a session needs to keep personal data out of outputs: the pseudonym key,
// the masking macros, the reveal log, and private file permissions.
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Warehouse } from './db.ts';
import type { Policy } from './policy.ts';
import { PledgeError } from './errors.ts';
import { hmacPads, PII_MACROS, type Privacy } from './pii.ts';
import { CSV_TEXT_MACRO } from './escape.ts';
import { setOutputModes } from '../reports/write.ts';

export const KEY_ENV = 'PLEDGE_PSEUDONYM_KEY';

/** Where the pseudonym key lives: policy privacy.key_file, else "<warehouse>.key" beside the warehouse. */
export function keyFilePath(warehouse: string, policy: Policy): string {
  return policy.privacy.key_file ?? `${warehouse}.key`;
}

/**
 * The key behind customer pseudonyms. From PLEDGE_PSEUDONYM_KEY when set; otherwise
 * a file of 32 random bytes (hex) created beside the warehouse, mode 0600, never
 * copied into any output. The same key gives the same pseudonyms month after month;
 * a new key gives new ones (so do not lose it).
 */
export function loadPseudonymKey(warehouse: string, policy: Policy): Buffer {
  const fromEnv = process.env[KEY_ENV];
  if (fromEnv !== undefined) {
    if (fromEnv.length < 16) throw new PledgeError(`${KEY_ENV}: the pseudonym key must be at least 16 characters`);
    return Buffer.from(fromEnv, 'utf8');
  }
  if (warehouse === ':memory:' && !policy.privacy.key_file) return randomBytes(32);
  const file = keyFilePath(warehouse, policy);
  if (!existsSync(file)) {
    mkdirSync(dirname(resolve(file)), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new PledgeError(`${file}: cannot create the pseudonym key: ${(e as Error).message}`);
    }
  }
  if (statSync(file).mode & 0o077) {
    throw new PledgeError(`${file}: the pseudonym key is readable by other users (run: chmod 600 ${file})`);
  }
  const text = readFileSync(file, 'utf8').trim();
  if (text.length < 32) throw new PledgeError(`${file}: not a pseudonym key (expected at least 32 hex digits)`);
  return Buffer.from(text, 'utf8');
}

/** Loads the masking macros and the key halves into a session. */
export async function installPrivacy(wh: Warehouse, key: Buffer): Promise<void> {
  const { inner, outer } = hmacPads(key);
  await wh.run('set variable pledge_key_inner = $inner', { inner });
  await wh.run('set variable pledge_key_outer = $outer', { outer });
  await wh.run(PII_MACROS);
  await wh.run(CSV_TEXT_MACRO);
}

export function privacyFor(reveal: boolean | undefined, key: Buffer): Privacy {
  return { reveal: reveal === true, key };
}

/**
 * --reveal-pii is a decision someone must answer for: each use is appended to
 * "<warehouse>.reveal.log" (JSON lines: when, who, command, arguments), and said on stderr.
 */
export function recordReveal(warehouse: string, command: string, detail: Record<string, unknown> = {}): string {
  const log = warehouse === ':memory:' ? join(process.cwd(), 'pledge-reveal.log') : `${warehouse}.reveal.log`;
  const entry = { at: new Date().toISOString(), user: safeUser(), command, argv: process.argv.slice(2), ...detail };
  mkdirSync(dirname(resolve(log)), { recursive: true, mode: 0o700 });
  appendFileSync(log, JSON.stringify(entry) + '\n', { mode: 0o600 });
  process.stderr.write(`warning: --reveal-pii: personal data is shown unmasked; this use is recorded in ${log}\n`);
  return log;
}

function safeUser(): string {
  try { return userInfo().username; } catch { return String(process.getuid?.() ?? 'unknown'); }
}

/** Refuses --reveal-pii where the output is meant to travel (assessment packs). */
export function refuseReveal(command: string, reveal: boolean | undefined): void {
  if (reveal) throw new PledgeError(`${command}: --reveal-pii is refused: an assessment pack is handed to third parties and never carries personal data`);
}

/**
 * Files Pledge creates are private by default (policy privacy.file_mode / dir_mode).
 * The umask covers what DuckDB creates itself (warehouse, WAL, spill files).
 */
export function applyFileModes(policy: Policy): { file: number; dir: number } {
  const file = parseInt(policy.privacy.file_mode, 8);
  const dir = parseInt(policy.privacy.dir_mode, 8);
  setOutputModes(file, dir);
  process.umask(0o777 & ~(file | dir));
  return { file, dir };
}

/** Makes the warehouse file (and its WAL) private, whatever created it. */
export function protectWarehouse(warehouse: string, fileMode: number): void {
  if (warehouse === ':memory:') return;
  for (const f of [warehouse, `${warehouse}.wal`]) {
    if (existsSync(f)) chmodSync(f, fileMode);
  }
}

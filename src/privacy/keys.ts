// What keeps personal data out of outputs around the warehouse: the pseudonym key
// (read by ingest only), the masking macros, the reveal log, and private file permissions.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Warehouse } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { PledgeError } from '../core/errors.ts';
import { PII_MACROS, type Privacy } from './masking.ts';
import { CSV_TEXT_MACRO } from '../core/escape.ts';
import { setOutputModes } from '../core/files.ts';

export const KEY_ENV = 'PLEDGE_PSEUDONYM_KEY';

/** Where the pseudonym key lives: policy privacy.key_file, else "<warehouse>.key" beside the warehouse. */
export function keyFilePath(warehouse: string, keyFile?: string): string {
  return keyFile ?? `${warehouse}.key`;
}

/**
 * The key behind customer pseudonyms. From PLEDGE_PSEUDONYM_KEY when set; otherwise
 * a file of 32 random bytes (hex) created beside the warehouse, mode 0600, never
 * copied into any output. The same key gives the same pseudonyms month after month;
 * a new key gives new ones (so do not lose it).
 */
export function loadPseudonymKey(warehouse: string, keyFile?: string): Buffer {
  const fromEnv = process.env[KEY_ENV];
  if (fromEnv !== undefined) {
    if (fromEnv.length < 16) throw new PledgeError(`${KEY_ENV}: the pseudonym key must be at least 16 characters`);
    return Buffer.from(fromEnv, 'utf8');
  }
  if (warehouse === ':memory:' && !keyFile) return randomBytes(32);
  const file = keyFilePath(warehouse, keyFile);
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

/** Loads the masking macros into a session (no key: pseudonyms are made at ingest, src/privacy/personal.ts). */
export async function installMasking(wh: Warehouse): Promise<void> {
  await wh.run(PII_MACROS);
  await wh.run(CSV_TEXT_MACRO);
}

export function privacyFor(reveal: boolean | undefined): Privacy {
  return { reveal: reveal === true };
}

/**
 * --reveal-pii is a decision someone must answer for: each use is appended to
 * "<warehouse>.reveal.log" (JSON lines: when, who, command, arguments), and said on stderr.
 */
export function recordReveal(warehouse: string, command: string, detail: Record<string, unknown> = {}): string {
  const log = warehouse === ':memory:' ? join(process.cwd(), 'pledge-reveal.log') : `${warehouse}.reveal.log`;
  const entry = { at: new Date().toISOString(), user: safeUser(), command, argv: process.argv.slice(2), ...detail };
  mkdirSync(dirname(resolve(log)), { recursive: true, mode: 0o700 });
  appendPrivately(log, JSON.stringify(entry) + '\n');
  process.stderr.write(`warning: --reveal-pii: personal data is shown unmasked; this use is recorded in ${log}\n`);
  return log;
}

/**
 * Appends to an audit file that must be the file it says it is: never through a symbolic
 * link (a link to /dev/null would silently discard the record), never a file others can read.
 */
function appendPrivately(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const link = code === 'ELOOP' || (existsSync(file) && lstatSync(file).isSymbolicLink());
    throw new PledgeError(`${file}: ${link ? 'is a symbolic link; the reveal log must be a plain file (nothing was shown)' : `cannot record the use of --reveal-pii: ${(e as Error).message}`}`);
  }
  try {
    if (!lstatSync(file).isFile()) throw new PledgeError(`${file}: not a plain file; the reveal log must be one (nothing was shown)`);
    chmodSync(file, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
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

// Files Pledge writes: whole or not at all, private by default, and a report run
// that cannot change the warehouse.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeStreamAtomic } from '../../src/core/files.ts';
import { openSession } from '../../src/models/session.ts';
import { FIXTURES, pledge, pledgeOk, ROOT, tempDir } from '../support/cli.ts';

const mode = (p: string) => statSync(p).mode & 0o777;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('an interrupted write leaves the previous report intact', () => {
  it('keeps the old file when the writing process is killed between write and rename', async () => {
    const dir = tempDir('pledge-atomic-');
    const report = join(dir, 'index.html');
    writeFileAtomic(report, '<p>September report</p>');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'test', 'support', 'slow-writer.ts'), report]);
    // Wait until the child has 1 MiB on disk in its temporary file, then kill it as a crash would.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('written')) resolve(); });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(statSync(join(dir, temps[0])).size).toBe(1024 * 1024);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(readFileSync(report, 'utf8')).toBe('<p>September report</p>');
    // The half-written file is a hidden temporary that no one would mistake for the report.
    expect(temps[0]).toMatch(/^\.index\.html\.\d+\.[0-9a-f]{8}\.tmp$/);
  });

  it('keeps the old file and leaves no temporary when the writer fails', async () => {
    const dir = tempDir('pledge-atomic-');
    const report = join(dir, 'index.html');
    writeFileAtomic(report, 'old');
    async function* failing() { yield 'new, half'; throw new Error('disk full'); }
    await expect(writeStreamAtomic(report, failing())).rejects.toThrow('disk full');
    expect(readFileSync(report, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['index.html']);
  });
});

describe('permissions and a read-only report run', () => {
  const dir = tempDir('pledge-files-');
  const warehouse = join(dir, 'data', 'w.duckdb');
  const out = join(dir, 'out');
  const policy = join(ROOT, 'data', 'policy.yaml');
  let before: string;

  beforeAll(() => {
    pledgeOk(['ingest', join(FIXTURES, 'tiny.csv'), '--warehouse', warehouse, '--policy', policy]);
    before = sha(warehouse);
    pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--policy', policy, '--out', out]);
  });

  it('creates the warehouse, its pseudonym key and the reports for their owner only (0600 / 0700)', () => {
    expect(mode(warehouse)).toBe(0o600);
    expect(mode(`${warehouse}.key`)).toBe(0o600);
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(join(out, '2025-10', 'index.html'))).toBe(0o600);
    expect(mode(join(out, '2025-10'))).toBe(0o700);
    expect(mode(out)).toBe(0o700);
  });

  it('leaves the warehouse byte for byte as it was after a report run', () => {
    expect(sha(warehouse)).toBe(before);
  });

  it('opens the warehouse read-only for reports: a write fails', async () => {
    const session = await openSession({ warehouse, policy, month: '2025-10' });
    try {
      await expect(session.wh.run('create table x (i integer)')).rejects.toThrow(/read-only/i);
    } finally {
      session.close();
    }
  });

  it('takes other modes from the policy (privacy.file_mode / dir_mode)', () => {
    const loose = join(dir, 'policy-0640.yaml');
    writeFileSync(loose, readFileSync(policy, 'utf8').replace('file_mode: "0600"', 'file_mode: "0640"').replace('dir_mode: "0700"', 'dir_mode: "0750"'));
    const out2 = join(dir, 'out-0640');
    pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--policy', loose, '--out', out2]);
    expect(mode(join(out2, '2025-10', 'index.html'))).toBe(0o640);
    expect(mode(join(out2, '2025-10'))).toBe(0o750);
  });

  it('refuses a pseudonym key that other users can read', () => {
    const w2 = join(dir, 'w2.duckdb');
    pledgeOk(['ingest', join(FIXTURES, 'tiny.csv'), '--warehouse', w2, '--policy', policy]);
    const key = `${w2}.key`;
    chmodSync(key, 0o644);
    // Ingest is what reads the key (pseudonyms are made there; a report session never holds it).
    const r = pledge(['ingest', join(FIXTURES, 'clocks.csv'), '--warehouse', w2, '--policy', policy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${key}: the pseudonym key is readable by other users (run: chmod 600 ${key})`);
  });
});

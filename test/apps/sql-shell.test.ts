// `pledge sql`: the built-in REPL driven through stdin as a pipe, and the init
// script that hands the same session to DuckDB's own CLI, replayed in a fresh
// DuckDB. Hand-written fixture test/fixtures/statuses.csv, as of 2025-10-20 00:00.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession } from '../../src/models/session.ts';
import { sessionInitScript } from '../../src/apps/sql-shell.ts';
import { Warehouse } from '../../src/warehouse/db.ts';
import { FIXTURES, ROOT, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-clocks.yaml');
const dir = tempDir('pledge-sql-');
const warehouse = join(dir, 'w.duckdb');
const history = join(dir, 'history');

beforeAll(() => {
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
});

describe('the built-in REPL, statements piped on stdin', () => {
  it('runs statements across lines, keeps going after an error, and records the history', () => {
    const input = [
      "select complaint_id, status from commitment_status",
      "where commitment = 'first_response' order by complaint_id;",
      'select nope from stg_complaints;',
      '.mode csv',
      "select count(*) as n from commitment_status;",
      '.quit',
      "select 'never run';",
    ].join('\n') + '\n';
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'sql', '--warehouse', warehouse, '--policy', policy, '--as-of', '2025-10-20 00:00'],
      { input, encoding: 'utf8', env: { ...process.env, PLEDGE_SQL_HISTORY: history } });
    expect(r.status, r.stderr).toBe(0);
    // The statuses of test/models/status.test.ts: S1 met, S2 breached, S3 overdue, S4 pending, S5 unknown, S6 met.
    const table = r.stdout.split('\n');
    for (const [id, status] of [['S1', 'met'], ['S2', 'breached'], ['S3', 'overdue'], ['S4', 'pending'], ['S5', 'unknown'], ['S6', 'met']]) {
      expect(table.some((l) => new RegExp(`^${id}\\s+${status}\\s*$`).test(l)), `${id} ${status}`).toBe(true);
    }
    expect(r.stdout).toContain('error: sql:1:8: Binder Error: Referenced column "nope" not found');
    // 6 complaints x 3 commitments in policy-clocks.yaml.
    expect(r.stdout).toContain('n\n18\n');
    expect(r.stdout).not.toContain('never run');
    expect(readFileSync(history, 'utf8').split('\n').filter(Boolean)).toEqual([
      "select complaint_id, status from commitment_status where commitment = 'first_response' order by complaint_id;",
      'select nope from stg_complaints;', '.mode csv', 'select count(*) as n from commitment_status;', '.quit',
    ]);
  });
});

describe('the init script for DuckDB\'s own CLI', () => {
  it('rebuilds the session in a fresh DuckDB: same views, same statuses', async () => {
    const session = await openSession({ warehouse, policy, asOf: '2025-10-20 00:00' });
    const scratch = mkdtempSync(join(tmpdir(), 'pledge-init-'));
    let script: string;
    try {
      script = await sessionInitScript(session, scratch);
    } finally {
      session.close();
    }
    const fresh = await Warehouse.open(':memory:');
    try {
      await fresh.run(script);
      const rows = await fresh.rows(`select complaint_id, status from commitment_status where commitment = 'first_response' order by 1`);
      expect(rows.map((r) => `${r.complaint_id} ${r.status}`)).toEqual(['S1 met', 'S2 breached', 'S3 overdue', 'S4 pending', 'S5 unknown', 'S6 met']);
      expect(await fresh.value('select count(*) from commitment_status')).toBe(18);
    } finally {
      fresh.close();
    }
  });
});

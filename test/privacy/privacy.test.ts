// Personal data out of reach by construction (issue: the leaks found by trying, closed at
// the source). One hand-written export with three customers; their names, phones, ID
// number, e-mail and raw customer ids are listed below, and no output of a normal session
// (query results, Parquet, the warehouse file itself) may hold any of them.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { hmacPads } from '../../src/privacy/personal.ts';
import { WAREHOUSE_DDL } from '../../src/warehouse/schema.ts';
import { startPreview } from '../../src/apps/preview.ts';
import { FIXTURES, ROOT, pledge, pledgeOk, tempDir } from '../support/cli.ts';

const KEY = 'privacy-test-key-0123456789abcdef';
process.env.PLEDGE_PSEUDONYM_KEY = KEY;
const policy = join(FIXTURES, 'policy-clocks.yaml');
const dir = tempDir('pledge-privacy-');
const warehouse = join(dir, 'w.duckdb');
const common = ['--warehouse', warehouse, '--policy', policy];

// The personal values of the export, as written in it (and derived forms an expression would give).
const RAW = ['张三丰', 'Anna Lee', 'ANNA LEE', 'anna lee', '欧阳娜娜', '13812345678', '13900001111', '15011112222',
  '11010519491231002X', 'anna.lee@example.com', 'cust-001', 'CUST-001', 'cust-002', 'cust-003'];
const CSV = `complaint_id,channel,category,department,team,customer_id,customer_name,customer_phone,received_at,registered_at,description
P1,phone,话费争议,客服中心,客服一组,cust-001,张三丰,13812345678,2025-10-13 09:00:00,2025-10-13 09:10:00,张三丰来电，身份证11010519491231002X
P2,app,网络质量,网络运维部,运维一组,cust-002,Anna Lee,13900001111,2025-10-13 10:00:00,2025-10-13 10:05:00,write to anna.lee@example.com
P3,web,网络质量,网络运维部,运维一组,cust-003,欧阳娜娜,15011112222,2025-10-14 10:00:00,,call back on 15011112222
`;
const csv = join(dir, 'export.csv');

/** The pseudonym of a customer id under KEY, worked out here with Node's HMAC ("K" + 16 hex digits as letters a–p). */
const pseudonym = (id: string) => 'K' + [...createHmac('sha256', KEY).update(id, 'utf8').digest('hex').slice(0, 16)]
  .map((c) => 'abcdefghijklmnop'[parseInt(c, 16)]).join('');

const leaks = (text: string) => RAW.filter((v) => text.includes(v));

beforeAll(() => {
  writeFileSync(csv, CSV);
  pledgeOk(['ingest', csv, ...common]);
}, 120_000);

describe('the warehouse holds pseudonyms and masked forms only', () => {
  it('keeps the values as read in <warehouse>.personal, owner-only, and none in the warehouse file', () => {
    const bytes = readFileSync(warehouse).toString('utf8');
    expect(leaks(bytes)).toEqual([]);
    expect(statSync(`${warehouse}.personal`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${warehouse}.personal`).toString('utf8')).toContain('cust-001');
  });

  it('answers every derived expression of a normal session without a raw value', () => {
    const expressions = [
      'select try_cast(customer_phone as bigint) as p from complaint_versions',
      'select upper(customer_name) as n, lower(customer_name) as l, customer_name || \'.\' as d from stg_complaints',
      'select to_json(c) as j from stg_complaints c',
      "select {'n': customer_name, 'p': customer_phone} as s from complaint_versions",
      'select upper(customer_id) as u, customer_id from complaint_versions',
      'select description, upper(description) as u from complaint_versions',
      'select raw_value, raw_line from rejects',
      'select customer_name as name, customer_phone as team from complaint_versions',
    ];
    for (const sql of expressions) {
      const out = pledgeOk(['query', '--format', 'json', ...common, sql]);
      expect(leaks(out), sql).toEqual([]);
    }
  });

  it('stores customer ids as their keyed pseudonyms, computed as Node computes HMAC-SHA256', () => {
    const rows = JSON.parse(pledgeOk(['query', '--format', 'json', ...common,
      'select complaint_id, customer_id, customer_key, customer_name, customer_phone from complaint_versions order by complaint_id']));
    expect(rows).toEqual([
      { complaint_id: 'P1', customer_id: pseudonym('cust-001'), customer_key: pseudonym('cust-001'), customer_name: '张**', customer_phone: '138****5678' },
      { complaint_id: 'P2', customer_id: pseudonym('cust-002'), customer_key: pseudonym('cust-002'), customer_name: 'A*** L**', customer_phone: '139****1111' },
      { complaint_id: 'P3', customer_id: pseudonym('cust-003'), customer_key: pseudonym('cust-003'), customer_name: '欧**', customer_phone: '150****2222' },
    ]);
  });

  it('gives the values as read only with --reveal-pii', () => {
    const r = pledge(['query', '--format', 'json', '--reveal-pii', ...common, "select customer_id, customer_name, description from stg_complaints where complaint_id = 'P1'"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ customer_id: 'cust-001', customer_name: '张三丰', description: '张三丰来电，身份证11010519491231002X' }]);
  });
});

describe('the pseudonym key is not in SQL', () => {
  it('is in no variable, function, setting or database a session lists', () => {
    const { inner, outer } = hmacPads(Buffer.from(KEY, 'utf8'));
    const secrets = [KEY, Buffer.from(KEY).toString('hex'), inner, outer];
    for (const sql of [
      'select * from duckdb_variables()', 'select * from duckdb_functions()', 'select * from duckdb_settings()',
      'select * from duckdb_databases()', "select getvariable('pledge_key_inner') as k, getvariable('pledge_key_outer') as o",
    ]) {
      const out = pledgeOk(['query', '--format', 'csv', ...common, sql]);
      for (const s of secrets) expect(out.includes(s), `${sql} shows the key`).toBe(false);
    }
    const none = JSON.parse(pledgeOk(['query', '--format', 'json', ...common, "select getvariable('pledge_key_inner') as k"]));
    expect(none).toEqual([{ k: null }]);
  });
});

describe('masking by meaning', () => {
  it('never stars a table name or a team called "name"', () => {
    const rows = JSON.parse(pledgeOk(['query', '--format', 'json', ...common, "select team as name from complaint_versions where complaint_id = 'P1'"]));
    expect(rows).toEqual([{ name: '客服一组' }]);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'sql', ...common], { input: '.tables\n.quit\n', encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } });
    expect(r.status, r.stderr).toBe(0);
    for (const t of ['complaint_versions', 'commitment_status', 'kpi_timeliness_monthly']) expect(r.stdout).toContain(t);
    expect(r.stdout).not.toMatch(/\b[a-z]\*{4,}/);
  });
});

describe('the Parquet export', () => {
  const out = join(dir, 'parquet');

  it('holds no personal value, and every file and folder in it is owner-only, in a folder that existed', async () => {
    mkdirSync(out, { mode: 0o755 });
    pledgeOk(['export', '--parquet', out, ...common]);
    const files: string[] = [];
    const walk = (d: string) => {
      expect(statSync(d).mode & 0o777, d).toBe(0o700);
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p); else { files.push(p); expect(statSync(p).mode & 0o777, p).toBe(0o600); }
      }
    };
    walk(out);
    expect(files.some((f) => f.endsWith('.parquet'))).toBe(true);
    // Read back with DuckDB, every column as text.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    for (const f of files) {
      const text = JSON.stringify((await c.runAndReadAll(`select to_json(t)::varchar as j from read_parquet('${f}') t`)).getRows());
      expect(leaks(text), f).toEqual([]);
    }
    const names = (await c.runAndReadAll(`select customer_name from read_parquet('${out}/complaint_versions/*/*/*.parquet') order by complaint_id`)).getRows().map((r) => r[0]);
    expect(names).toEqual(['张**', 'A*** L**', '欧**']);
    c.closeSync();
    db.closeSync();
  });

  it('writes the values as read only with --reveal-pii, and records it', () => {
    const revealed = join(dir, 'parquet-revealed');
    const r = pledge(['export', '--parquet', revealed, '--reveal-pii', ...common]);
    expect(r.code, r.stderr).toBe(0);
    const log = readFileSync(`${warehouse}.reveal.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({ command: 'export' });
  });
});

describe('files around the data', () => {
  it('refuses to record a reveal through a symbolic link, and shows nothing', () => {
    const d = tempDir('pledge-privacy-link-');
    const wh = join(d, 'w.duckdb');
    pledgeOk(['ingest', csv, '--warehouse', wh, '--policy', policy]);
    symlinkSync('/dev/null', `${wh}.reveal.log`);
    const r = pledge(['query', '--format', 'json', '--reveal-pii', '--warehouse', wh, '--policy', policy, 'select customer_name from stg_complaints']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a symbolic link');
    expect(r.stdout).not.toContain('张三丰');
    expect(lstatSync(`${wh}.reveal.log`).isSymbolicLink()).toBe(true);
  });

  it('leaves no file behind when a run finds no warehouse', () => {
    const d = tempDir('pledge-privacy-none-');
    const env = { ...process.env };
    delete env.PLEDGE_PSEUDONYM_KEY;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'run', '--month', '2025-10', '--warehouse', join(d, 'missing.duckdb'), '--policy', policy, '--out', join(d, 'out')],
      { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no warehouse here yet');
    expect(readdirSync(d)).toEqual([]);
  });

  it('writes an assessment pack whose every file (its SQL too) is owner-only', () => {
    const pack = join(dir, 'pack');
    pledgeOk(['assess', '--quarter', '2025Q4', '--out', pack, ...common]);
    const modes: string[] = [];
    const walk = (d: string) => {
      modes.push(`${d}:${(statSync(d).mode & 0o777).toString(8)}`);
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p); else modes.push(`${p}:${(statSync(p).mode & 0o777).toString(8)}`);
      }
    };
    walk(pack);
    expect(modes.some((m) => /sql\/.*\.sql:/.test(m))).toBe(true);
    expect(modes.filter((m) => !/:(600|700)$/.test(m))).toEqual([]);
  }, 120_000);
});

describe('an existing warehouse from before', () => {
  it('is upgraded in place on first use: personal values move out, pseudonyms in, figures unchanged', async () => {
    const d = tempDir('pledge-privacy-old-');
    const old = join(d, 'old.duckdb');
    // What an earlier Pledge left: the same tables, no customer_key, personal values as exported.
    const db = await DuckDBInstance.create(old);
    const c = await db.connect();
    await c.run(WAREHOUSE_DDL);
    await c.run('alter table complaint_versions drop column customer_key');
    await c.run(`insert into imports (import_id, kind, file_name, file_path, sha256, bytes, encoding, rows_read, rows_loaded, rows_rejected, imported_at)
      values (nextval('import_id_seq'), 'complaints', 'old.csv', '/old.csv', 'abc', 1, 'utf-8', 3, 2, 1, now())`);
    await c.run(`insert into complaint_versions (import_id, line_no, complaint_id, channel, customer_id, customer_name, customer_phone, received_at, description)
      values (1, 2, 'O1', 'phone', 'cust-001', '张三丰', '13812345678', '2025-10-13 09:00:00+08', '张三丰来电'),
             (1, 3, 'O2', 'app', null, 'Anna Lee', '13900001111', '2025-10-13 10:00:00+08', null)`);
    await c.run(`insert into rejects values (1, 'old.csv', 4, 'received_at', 'soon', 'unparsable received_at', '["O3","欧阳娜娜","15011112222","soon"]')`);
    c.closeSync();
    db.closeSync();

    const r = pledge(['query', '--format', 'json', '--warehouse', old, '--policy', policy,
      'select complaint_id, customer_id, customer_key, customer_name, customer_phone, description from stg_complaints order by complaint_id']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('upgrading');
    expect(JSON.parse(r.stdout)).toEqual([
      { complaint_id: 'O1', customer_id: pseudonym('cust-001'), customer_key: pseudonym('cust-001'), customer_name: '张**', customer_phone: '138****5678', description: '张**来电' },
      // No id: the customer is the mobile number's last 11 digits.
      { complaint_id: 'O2', customer_id: null, customer_key: pseudonym('tel:13900001111'), customer_name: 'A*** L**', customer_phone: '139****1111', description: null },
    ]);
    // The file was written anew: none of the old values is left in it, even in freed blocks.
    expect(leaks(readFileSync(old).toString('utf8'))).toEqual([]);
    expect(existsSync(`${old}.wal`)).toBe(false);
    const revealed = JSON.parse(pledgeOk(['query', '--format', 'json', '--reveal-pii', '--warehouse', old, '--policy', policy,
      'select (select list(customer_name order by complaint_id) from stg_complaints) as names, (select any_value(raw_line) from rejects) as line']));
    expect(revealed).toEqual([{ names: ['张三丰', 'Anna Lee'], line: '["O3","欧阳娜娜","15011112222","soon"]' }]);
    // A second use finds nothing to upgrade.
    expect(pledge(['query', '--warehouse', old, '--policy', policy, 'select 1']).stderr).not.toContain('upgrading');
  }, 120_000);
});

describe('the preview', () => {
  it('answers 421 to a foreign Host, and the dashboard only to loopback names', async () => {
    const preview = await startPreview({ month: '2025-10', policy, warehouse, lang: 'zh', port: 0, host: '127.0.0.1' });
    try {
      const port = Number(new URL(preview.url).port);
      const get = (host: string) => new Promise<number>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
          req.on('error', reject);
          req.end();
        }, reject);
      });
      expect(await get('evil.example.com')).toBe(421);
      expect(await get(`evil.example.com:${port}`)).toBe(421);
      expect(await get(`127.0.0.1:${port}`)).toBe(200);
      expect(await get(`localhost:${port}`)).toBe(200);
    } finally {
      await preview.close();
    }
  }, 120_000);

  it('will not listen on every interface without --allow-remote', () => {
    const r = pledge(['preview', '--month', '2025-10', '--host', '0.0.0.0', ...common]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--allow-remote');
  });
});

// `pledge query` as an analyst uses it: parameters bound by DuckDB (an
// injection attempt is data), every export format read back and compared
// value by value and type by type, and SQL errors that point at the file,
// line and column. A real warehouse built from test/fixtures/statuses.csv.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, DataType, TimeUnit } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import { Warehouse } from '../../src/warehouse/db.ts';
import { FIXTURES, pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const policy = join(FIXTURES, 'policy-clocks.yaml');
const dir = tempDir('pledge-query-');
const warehouse = join(dir, 'w.duckdb');
const base = ['--warehouse', warehouse, '--policy', policy];

// A query file with one parameter, declared with a default in its header.
const byDepartment = join(dir, 'by_department.sql');

beforeAll(() => {
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), ...base]);
  writeFileSync(byDepartment, `-- by_department: the complaints of one department.
-- One row: the department asked for and how many complaints it has.
-- Parameters:
--   $department  VARCHAR = 客服中心   the department
-- Columns:
--   department  VARCHAR          the department asked for, as given
--   complaints  BIGINT [count]   its complaints
select $department as department, count(*) as complaints
from stg_complaints
where department = $department
`);
});

describe('parameters are bound by DuckDB', () => {
  it('takes the header default, a policy value, or --param, in that order of precedence', () => {
    // statuses.csv: 客服中心 has S1, S2, S6; 网络运维部 has S3, S4, S5.
    expect(pledgeJson(['query', ...base, '--file', byDepartment])).toEqual([{ department: '客服中心', complaints: 3 }]);
    const withParameter = join(dir, 'policy-with-parameter.yaml');
    writeFileSync(withParameter, readFileSync(policy, 'utf8') + '\nparameters:\n  department: 网络运维部\n');
    expect(pledgeJson(['query', '--warehouse', warehouse, '--policy', withParameter, '--file', byDepartment]))
      .toEqual([{ department: '网络运维部', complaints: 3 }]);
    expect(pledgeJson(['query', '--warehouse', warehouse, '--policy', withParameter, '--file', byDepartment, '--param', 'department=no such department']))
      .toEqual([{ department: 'no such department', complaints: 0 }]);
  });

  it('treats an injection attempt as data: it matches nothing and drops nothing', () => {
    const attack = "客服中心' or '1'='1"; 
    expect(pledgeJson(['query', ...base, '--file', byDepartment, '--param', `department=${attack}`])).toEqual([{ department: attack, complaints: 0 }]);
    const drop = "x'; drop table complaint_versions; --";
    expect(pledgeJson(['query', ...base, '--file', byDepartment, '--param', `department=${drop}`])).toEqual([{ department: drop, complaints: 0 }]);
    expect(pledgeJson(['query', ...base, 'select count(*) as n from complaint_versions'])).toEqual([{ n: 6 }]);
  });

  it('accepts --param month=2025-10 for a MONTH parameter and evaluates as of the end of that month', () => {
    // S3's first response was due 2025-10-13 14:00 and never came: as of 2025-11-01 00:00 it is
    // 18 days (432 h) + 10 h = 442 h late, the worst of October (the resolve clocks of S2/S3,
    // due 2025-10-16 18:00, are 366 h late).
    const rows = pledgeJson<{ complaint_id: string; commitment: string; late_hours: number; status: string }>(
      ['query', ...base, '--file', 'queries/report/worst_breaches.sql', '--param', 'month=2025-10']);
    expect(rows[0]).toMatchObject({ complaint_id: 'S3', commitment: 'first_response', status: 'overdue', late_hours: 442 });
    expect(pledgeJson(['query', ...base, '--file', 'queries/report/worst_breaches.sql', '--month', '2025-10'])).toEqual(rows);
  });

  it('rejects a value that is not of the declared type, and a parameter the file does not have', () => {
    const notMonth = pledge(['query', ...base, '--file', 'queries/report/worst_breaches.sql', '--param', "month=2025-10'; drop table x"]);
    expect(notMonth.code).toBe(1);
    expect(notMonth.stderr).toContain(`queries/report/worst_breaches.sql: $month MONTH: "2025-10'; drop table x" (from --param month) is not a month (try "2025-10")`);
    const typo = pledge(['query', ...base, '--file', 'queries/report/worst_breaches.sql', '--month', '2025-10', '--param', 'monht=2025-10']);
    expect(typo.stderr).toContain('--param monht: queries/report/worst_breaches.sql has no $monht (it uses $month)');
  });

  it('describes a query file from its header without running it', () => {
    const out = pledgeOk(['query', '--describe', '--file', byDepartment]);
    expect(out).toContain('$department  VARCHAR = 客服中心  the department');
    expect(out).toContain('complaints  BIGINT [count]  its complaints');
  });
});

describe('exports round-trip', () => {
  // Every type an analyst meets, with values worked out by hand:
  //   big     2^53 + 1 = 9007199254740993, which a JavaScript number cannot hold;
  //   amount  12345.67 as DECIMAL(10,2): unscaled 1234567; neg -0.050 as DECIMAL(18,3): unscaled -50;
  //   at      2025-10-13 09:00 in Shanghai (+08) = 2025-10-13 01:00 UTC;
  //   local   2025-10-13 09:00:00.123456 without zone; day 2025-10-01.
  const sql = `select 1::integer as i, 9007199254740993::bigint as big, 12345.67::decimal(10,2) as amount,
      (-0.05)::decimal(18,3) as neg, 0.1::double as d, 'é中"x,y' as s, date '2025-10-01' as day,
      timestamptz '2025-10-13 09:00:00+08' as at, timestamp '2025-10-13 09:00:00.123456' as local, true as ok
    union all select null, null, null, null, null, null, null, null, null, null`;
  const atMicros = BigInt(Date.UTC(2025, 9, 13, 1, 0, 0)) * 1000n;
  const localMicros = BigInt(Date.UTC(2025, 9, 13, 9, 0, 0)) * 1000n + 123456n;
  const dayNumber = Date.UTC(2025, 9, 1) / 86_400_000;

  it('arrow: apache-arrow reads back every value and type, 64-bit integers, decimals and zoned timestamps exactly', () => {
    const file = join(dir, 'types.arrow');
    pledgeOk(['query', ...base, '--format', 'arrow', '--output', file, sql]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const table = tableFromIPC(readFileSync(file));
    expect(table.numRows).toBe(2);
    const type = (n: string) => table.schema.fields.find((f) => f.name === n)!.type;
    expect(DataType.isInt(type('i')) && type('i').bitWidth).toBe(32);
    expect(DataType.isInt(type('big')) && type('big').bitWidth).toBe(64);
    expect(DataType.isDecimal(type('amount')) && [type('amount').precision, type('amount').scale]).toEqual([10, 2]);
    expect(DataType.isDecimal(type('neg')) && [type('neg').precision, type('neg').scale]).toEqual([18, 3]);
    expect(DataType.isFloat(type('d'))).toBe(true);
    expect(DataType.isUtf8(type('s'))).toBe(true);
    expect(DataType.isDate(type('day'))).toBe(true);
    expect(DataType.isTimestamp(type('at')) && [type('at').unit, type('at').timezone]).toEqual([TimeUnit.MICROSECOND, 'Asia/Shanghai']);
    expect(DataType.isTimestamp(type('local')) && [type('local').unit, type('local').timezone]).toEqual([TimeUnit.MICROSECOND, null]);
    expect(DataType.isBool(type('ok'))).toBe(true);

    const col = (n: string) => table.getChild(n)!;
    const int128 = (n: string, row: number) => {
      const w = col(n).data[0].values as Uint32Array;
      const u = [0, 1, 2, 3].reduce((acc, k) => acc | (BigInt(w[row * 4 + k]) << BigInt(32 * k)), 0n);
      return BigInt.asIntN(128, u);
    };
    expect(col('i').get(0)).toBe(1);
    expect(col('big').get(0)).toBe(9007199254740993n);
    expect(int128('amount', 0)).toBe(1234567n);
    expect(int128('neg', 0)).toBe(-50n);
    expect(col('d').get(0)).toBe(0.1);
    expect(col('s').get(0)).toBe('é中"x,y');
    expect((col('day').data[0].values as Int32Array)[0]).toBe(dayNumber);
    expect((col('at').data[0].values as BigInt64Array)[0]).toBe(atMicros);
    expect((col('local').data[0].values as BigInt64Array)[0]).toBe(localMicros);
    expect(col('ok').get(0)).toBe(true);
    for (const f of table.schema.fields) expect(col(f.name).get(1), `${f.name} null`).toBeNull();
  });

  it('arrow: a HUGEINT becomes a whole-number DECIMAL(38,0), exactly', () => {
    // 10^30 needs 100 bits: beyond BIGINT, within 38 decimal digits.
    const file = join(dir, 'huge.arrow');
    pledgeOk(['query', ...base, '--format', 'arrow', '--output', file, 'select 1000000000000000000000000000000::hugeint as huge']);
    const table = tableFromIPC(readFileSync(file));
    const type = table.schema.fields[0].type;
    expect(DataType.isDecimal(type) && [type.precision, type.scale]).toEqual([38, 0]);
    const w = table.getChild('huge')!.data[0].values as Uint32Array;
    expect([0, 1, 2, 3].reduce((acc, k) => acc | (BigInt(w[k]) << BigInt(32 * k)), 0n)).toBe(10n ** 30n);
  });

  it('arrow: a real result, commitment_status, with its zoned due instants', () => {
    const file = join(dir, 'status.arrow');
    pledgeOk(['query', ...base, '--as-of', '2025-10-20 00:00', '--format', 'arrow', '--output', file,
      "select complaint_id, due_at, late_minutes from commitment_status where commitment = 'first_response' order by complaint_id"]);
    const table = tableFromIPC(readFileSync(file));
    // S2: due 2025-10-13 14:00 Shanghai = 06:00 UTC, answered 90 minutes late (test/models/status.test.ts).
    expect(table.getChild('complaint_id')!.get(1)).toBe('S2');
    expect((table.getChild('due_at')!.data[0].values as BigInt64Array)[1]).toBe(BigInt(Date.UTC(2025, 9, 13, 6, 0, 0)) * 1000n);
    expect(table.getChild('late_minutes')!.get(1)).toBe(90);
    expect(table.numRows).toBe(6);
  });

  it('parquet: DuckDB reads back the same types and values', async () => {
    const file = join(dir, 'types.parquet');
    pledgeOk(['query', ...base, '--format', 'parquet', '--output', file, sql]);
    const wh = await Warehouse.open(':memory:', { timezone: 'Asia/Shanghai' });
    try {
      const types = await wh.rows('select column_name, column_type from (describe select * from read_parquet($f))', { f: file });
      expect(types.map((t) => `${t.column_name} ${t.column_type}`)).toEqual([
        'i INTEGER', 'big BIGINT', 'amount DECIMAL(10,2)', 'neg DECIMAL(18,3)', 'd DOUBLE', 's VARCHAR', 'day DATE',
        'at TIMESTAMP WITH TIME ZONE', 'local TIMESTAMP', 'ok BOOLEAN']);
      const [row] = await wh.rows(`select big::varchar as big, amount::varchar as amount, neg::varchar as neg, epoch_us("at") as at_us,
        epoch_us(local) as local_us, day::varchar as day, s, ok from read_parquet($f) where i = 1`, { f: file });
      expect(row).toEqual({ big: '9007199254740993', amount: '12345.67', neg: '-0.050', at_us: Number(atMicros), local_us: Number(localMicros), day: '2025-10-01', s: 'é中"x,y', ok: true });
    } finally {
      wh.close();
    }
  });

  it('csv and json: instants in the policy zone, text quoted, nulls empty', () => {
    const csvFile = join(dir, 'types.csv');
    pledgeOk(['query', ...base, '--format', 'csv', '--output', csvFile, sql]);
    const records = parseCsv(readFileSync(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records[0]).toEqual({ i: '1', big: '9007199254740993', amount: '12345.67', neg: '-0.05', d: '0.1', s: 'é中"x,y', day: '2025-10-01',
      at: '2025-10-13 09:00:00', local: '2025-10-13 09:00:00.123456', ok: 'true' });
    expect(Object.values(records[1]).every((v) => v === '')).toBe(true);
    const json = JSON.parse(pledgeOk(['query', ...base, '--format', 'json', sql]));
    expect(json[0]).toMatchObject({ i: 1, s: 'é中"x,y', day: '2025-10-01', at: '2025-10-13 09:00:00', ok: true });
  });

  it('needs --output for the binary formats', () => {
    const r = pledge(['query', ...base, '--format', 'parquet', 'select 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--format parquet writes a binary file: give it with --output FILE');
  });
});

describe('SQL errors point at the problem', () => {
  it('names the file, line and column of an unknown column, and the columns of the tables it reads', () => {
    const broken = join(dir, 'broken.sql');
    writeFileSync(broken, `-- broken: met commitments per channel, with a typo.
-- One row per channel.
select channel,
       count(*) filter (where stauts = 'met') as met
from commitment_status
group by channel
`);
    const r = pledge(['query', ...base, '--file', broken]);
    expect(r.code).toBe(1);
    // Line 4; "stauts" starts after 7 spaces and "count(*) filter (where " (23 characters): column 31.
    expect(r.stderr).toMatch(/broken\.sql:4:31: Binder Error: Referenced column "stauts" not found/);
    expect(r.stderr).toMatch(/commitment_status has: complaint_id, commitment, .*\bstatus\b/);
  });

  it('lists the tables and views when a table name is unknown', () => {
    const r = pledge(['query', ...base, 'select count(*)\nfrom comitment_status']);
    expect(r.stderr).toMatch(/query:2:6: Catalog Error: Table with name comitment_status does not exist!/);
    expect(r.stderr).toMatch(/tables and views: .*commitment_status.*kpi_timeliness_monthly/);
  });
});

// Issue 18, cases 6 and 7: bounded resources, and values never silently dropped
// or wrong. Every bad file is generated here and goes through the real CLI in a
// child process; counts are worked out by hand in the comments.
//
// Sizes: the line, field and profile-value limits are tested at their real
// defaults (4 MiB line, 2 MiB field, 4 KiB profile value: files of a few MB,
// seconds). The workbook limits are lowered through their environment variables
// (PLEDGE_MAX_WORKBOOK_BYTES, PLEDGE_MAX_WORKBOOK_ROWS): a workbook of 200 MB of
// XML or a million rows takes minutes to build with exceljs.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type ExcelJSType from 'exceljs';
import { ROOT, tempDir } from '../support/cli.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;
const dir = tempDir('pledge-limits-');

interface Run { code: number; stdout: string; stderr: string; peakKb: number; seconds: number }

/** The real CLI, with extra environment, its peak RSS measured by GNU time (%M, in KB). */
function pledge(args: string[], env: Record<string, string> = {}): Run {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, join(ROOT, 'bin', 'pledge.mjs'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env },
  });
  const m = /peak-rss-kb (\d+)\s*$/.exec(r.stderr);
  return {
    code: r.status ?? -1, stdout: r.stdout, stderr: m ? r.stderr.slice(0, m.index) : r.stderr,
    peakKb: m ? Number(m[1]) : NaN, seconds: (performance.now() - start) / 1000,
  };
}

function query<T = Record<string, unknown>>(warehouse: string, sql: string): T[] {
  const r = pledge(['query', '--warehouse', warehouse, '--format', 'json', sql]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T[];
}

const HEADER = 'complaint_id,received_at,department,category,customer_phone,description';
const row = (id: string, description = 'text') => `${id},2025-10-09 09:00:00,客服部,账单,13800000001,${description}`;
const MiB = 1024 * 1024;

describe('a line past the limit (4 MiB characters, the real default)', () => {
  it('a file with no line break at all is an error naming the file, line 1 and the limit, in one short message and seconds', () => {
    // The original case was 50 MB (370 s, 3 GB, a 157 MB message); 5 MB is past the limit as surely.
    const file = join(dir, 'one-line.csv');
    writeFileSync(file, 'x'.repeat(5 * MiB));
    const r = pledge(['ingest', file, '--warehouse', join(dir, 'one-line.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: line 1: a record over the limit of 4,194,304 characters on a line (PLEDGE_MAX_LINE_CHARS raises it): no line break`);
    expect(r.stderr.length).toBeLessThan(600);
    expect(r.seconds).toBeLessThan(30);
    // Reading stops at the limit: the file is never held whole, let alone several times.
    expect(r.peakKb).toBeLessThan(600 * 1024);
  });

  it('a quote left open on line 3 is an error naming line 3, not one reject swallowing the rest of the file', () => {
    // Lines 4 … are 100-character rows; 45,000 of them (4.5 M characters) run past the limit inside the open quote.
    const file = join(dir, 'open-quote.csv');
    const filler = Array.from({ length: 45_000 }, (_, i) => row(`F${i}`, 'y'.repeat(60))).join('\n');
    writeFileSync(file, [HEADER, row('A1'), `A2,2025-10-09 09:00:00,客服部,账单,13800000001,"an unclosed quote`, filler].join('\n'));
    const warehouse = join(dir, 'open-quote.duckdb');
    const r = pledge(['ingest', file, '--warehouse', warehouse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}: line 3: a record over the limit of 4,194,304 characters on a line .*a quoted field is still open`));
    expect(r.stderr.length).toBeLessThan(600);
    // Nothing was imported: an error, not a partial load.
    expect(query(warehouse, 'select count(*) as n from imports')).toEqual([{ n: 0 }]);
  });

  it('raising PLEDGE_MAX_LINE_CHARS lets a longer line through', () => {
    const file = join(dir, 'long-ok.csv');
    // One 4.5 M-character description: over 4 MiB (4,194,304) on a line and over 2 MiB on a field,
    // so both limits are raised; the row then loads whole.
    writeFileSync(file, [HEADER, row('L1', 'z'.repeat(4_500_000))].join('\n'));
    const warehouse = join(dir, 'long-ok.duckdb');
    const r = pledge(['ingest', file, '--warehouse', warehouse], { PLEDGE_MAX_LINE_CHARS: '5000000', PLEDGE_MAX_FIELD_CHARS: '5000000' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/read 1 · loaded 1 · rejected 0/);
    expect(query(warehouse, 'select length(description) as n from complaint_versions')).toEqual([{ n: 4_500_000 }]);
  });
});

describe('a field past the limit (2 MiB characters, the real default)', () => {
  const file = join(dir, 'long-field.csv');
  const warehouse = join(dir, 'long-field.duckdb');
  let out: Run;
  beforeAll(() => {
    // F1: a description of exactly 2,097,152 characters (the limit: loads); F2: one more (rejected); F3: short.
    writeFileSync(file, [HEADER, row('F1', 'a'.repeat(2 * MiB)), row('F2', 'b'.repeat(2 * MiB + 1)), row('F3')].join('\n') + '\n');
    out = pledge(['ingest', file, '--warehouse', warehouse]);
  });

  it('the row is a reject naming the field, its length and the limit; the others load', () => {
    expect(out.stdout).toMatch(/read 3 · loaded 2 · rejected 1/);
    expect(query(warehouse, 'select line_no, column_name, reason, length(raw_line) as raw_length from rejects')).toEqual([{
      line_no: 3, column_name: 'description',
      reason: 'field 6 ("description") is 2,097,153 characters, over the limit of 2,097,152 characters on a field (PLEDGE_MAX_FIELD_CHARS raises it)',
      // The reject keeps the record as read, masked in the warehouse: "F2,2025-10-09 09:00:00,客**,账**,138****0001,"
      // (labels masked like names, length hidden) is 3 + 20 + 4 + 4 + 12 = 43 characters, then the description.
      raw_length: 43 + 2 * MiB + 1,
    }]);
    expect(query(warehouse, 'select complaint_id, length(description) as n from complaint_versions order by 1')).toEqual([
      { complaint_id: 'F1', n: 2 * MiB }, { complaint_id: 'F3', n: 4 },
    ]);
  });
});

describe('a profile value past the limit (4 KiB characters, the real default)', () => {
  const csv = join(dir, 'profiled.csv');
  beforeAll(() => writeFileSync(csv, [HEADER, row('P1'), row('P2')].join('\n') + '\n'));

  it('the 15 MB constant of the report is an error naming the key, in seconds', () => {
    const profile = join(dir, 'huge-constant.yaml');
    writeFileSync(profile, `constants:\n  team: "${'T'.repeat(15 * MiB)}"\n`);
    const r = pledge(['ingest', csv, '--profile', profile, '--warehouse', join(dir, 'huge.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${profile}: constants.team: a value of 15,728,640 characters, over the limit of 4,096 characters on a profile value (PLEDGE_MAX_PROFILE_VALUE_CHARS raises it): "${'T'.repeat(80)}… (15,728,640 characters)"`);
    expect(r.stderr.length).toBeLessThan(600);
    expect(r.seconds).toBeLessThan(60);
  });

  it('a value-map key one past the limit is an error; a constant at the limit loads into every row', () => {
    const tooLong = join(dir, 'long-key.yaml');
    // An explicit key ("? key : value"): YAML refuses implicit keys past 1,024 characters by itself.
    writeFileSync(tooLong, `values:\n  category:\n    ? "${'k'.repeat(4097)}"\n    : 账单\n`);
    const r = pledge(['ingest', csv, '--profile', tooLong, '--warehouse', join(dir, 'long-key.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/long-key\.yaml: values\.category: a name of 4,097 characters, over the limit of 4,096 characters on a profile value/);

    const atLimit = join(dir, 'at-limit.yaml');
    writeFileSync(atLimit, `constants:\n  team: "${'t'.repeat(4096)}"\n`);
    const warehouse = join(dir, 'at-limit.duckdb');
    const ok = pledge(['ingest', csv, '--profile', atLimit, '--warehouse', warehouse]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(query(warehouse, 'select count(*) as n, min(length(team)) as len from complaint_versions')).toEqual([{ n: 2, len: 4096 }]);
  });
});

describe('error messages are capped', () => {
  it('a header of two 1.5 M-character names and no required column: the message clips them and gives their length', () => {
    // 3 M characters on the line (under 4 MiB), each name under the 2 MiB field limit.
    const file = join(dir, 'huge-header.csv');
    writeFileSync(file, `${'h'.repeat(1_500_000)},${'i'.repeat(1_500_000)}\n1,2\n`);
    const r = pledge(['ingest', file, '--warehouse', join(dir, 'huge-header.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('required columns not found: complaint_id');
    expect(r.stderr).toContain(`"${'h'.repeat(80)}… (1,500,000 characters)"`);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.seconds).toBeLessThan(30);
  });
});

describe('duplicate header names', () => {
  // Columns 5 and 7 are both "联系电话" (customer_phone's synonym): the real one was renamed
  // in the source system and the old, empty one kept. Column 6 "备注" twice is read by nothing.
  const header = 'complaint_id,received_at,department,category,联系电话,备注,联系电话,备注';
  const file = join(dir, 'duplicate.csv');
  beforeAll(() => writeFileSync(file, [header,
    'D1,2025-10-09 09:00:00,客服部,账单,,x,13912345678,y',
    'D2,2025-10-09 10:00:00,客服部,账单,,x,13700001111,y'].join('\n') + '\n'));

  it('are an error naming both columns and their positions, and the profile fix', () => {
    const r = pledge(['ingest', file, '--warehouse', join(dir, 'dup.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: line 1: the header has "联系电话" twice, column 5 and column 7: customer_phone would read column 5 and column 7 would be dropped.`);
    expect(r.stderr).toContain('columns: { customer_phone: "#7" }');
  });

  it('a profile choosing one by position loads it; the other is listed as not used', () => {
    const profile = join(dir, 'dup.yaml');
    writeFileSync(profile, 'columns:\n  customer_phone: "#7"\n');
    const warehouse = join(dir, 'dup-chosen.duckdb');
    const r = pledge(['ingest', file, '--profile', profile, '--warehouse', warehouse]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/read 2 · loaded 2 · rejected 0/);
    // Stored masked: 139****5678 and 137****1111 are column 7's numbers (column 5 is empty).
    expect(query(warehouse, 'select complaint_id, customer_phone from complaint_versions order by 1')).toEqual([
      { complaint_id: 'D1', customer_phone: '139****5678' }, { complaint_id: 'D2', customer_phone: '137****1111' },
    ]);
    const v = pledge(['validate', file, '--profile', profile]);
    expect(v.stdout).toContain('not used: "联系电话", "备注", "备注"');
  });
});

describe('workbook cells that hold no value', () => {
  const book = join(dir, 'cells.xlsx');
  const warehouse = join(dir, 'cells.duckdb');
  let out: Run;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('投诉');
    ws.addRow(['投诉编号', '受理时间', '部门', '类别', '备注']);
    const at = new Date(Date.UTC(2025, 9, 9, 9, 0));
    ws.addRow(['W1', at, '客服部', '账单', 'ok']); // row 2: loads
    ws.addRow(['W2', at, { formula: 'VLOOKUP(A3,部门表!A:B,2,FALSE)' }, '账单', '']); // row 3: formula, no cached value
    ws.addRow(['W3', at, '客服部', { error: '#REF!' }, '']); // row 4: error value
    ws.addRow(['W4', at, { formula: '1/0', result: { error: '#DIV/0!' } }, '账单', '']); // row 5: formula whose value is an error
    ws.addRow(['W5', at, '客服部', '账单', { error: '#N/A' }]); // row 6: error in a column nothing reads: loads
    await wb.xlsx.writeFile(book);
    out = pledge(['ingest', book, '--warehouse', warehouse]);
  });

  it('rows 3, 4 and 5 are rejects naming the cell and the reason; rows 2 and 6 load', () => {
    expect(out.stdout).toMatch(/read 5 · loaded 2 · rejected 3/);
    expect(query(warehouse, 'select line_no, column_name, raw_value, reason from rejects order by line_no')).toEqual([
      { line_no: 3, column_name: 'department', raw_value: '=VLOOKUP(A3,部门表!A:B,2,FALSE)',
        reason: 'cell C3 (部门): formula =VLOOKUP(A3,部门表!A:B,2,FALSE) was saved without its value (the program that wrote the workbook did not calculate it): open it in Excel and save it again' },
      { line_no: 4, column_name: 'category', raw_value: '#REF!', reason: 'cell D4 (类别): Excel error value #REF!' },
      { line_no: 5, column_name: 'department', raw_value: '#DIV/0!', reason: 'cell C5 (部门): formula =1/0: Excel error value #DIV/0!' },
    ]);
    expect(query(warehouse, 'select complaint_id, department, category from complaint_versions order by 1')).toEqual([
      { complaint_id: 'W1', department: '客服部', category: '账单' }, { complaint_id: 'W5', department: '客服部', category: '账单' },
    ]);
  });
});

describe('workbook size limits (lowered: a real-size workbook takes minutes to build)', () => {
  const book = join(dir, 'big.xlsx');
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('投诉');
    ws.addRow(['投诉编号', '受理时间']);
    for (let i = 1; i <= 4; i++) ws.addRow([`B${i}`, '2025-10-09 09:00:00']);
    await wb.xlsx.writeFile(book);
  });

  it('uncompressed XML past PLEDGE_MAX_WORKBOOK_BYTES is refused before reading, suggesting CSV', () => {
    // The sum of the entries' uncompressed sizes, as Python's zipfile reads the zip directory.
    const py = spawnSync('python3', ['-c', 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))', book], { encoding: 'utf8' });
    const bytes = Number(py.stdout.trim());
    expect(bytes).toBeGreaterThan(1000);
    const r = pledge(['ingest', book, '--warehouse', join(dir, 'big1.duckdb')], { PLEDGE_MAX_WORKBOOK_BYTES: String(bytes - 1) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${book}: the workbook holds ${bytes.toLocaleString('en-US')} bytes of XML uncompressed, over the limit of ${(bytes - 1).toLocaleString('en-US')} bytes on a workbook's uncompressed size (PLEDGE_MAX_WORKBOOK_BYTES raises it): save the sheet as CSV UTF-8`);
    // At exactly its size it is read.
    const ok = pledge(['ingest', book, '--warehouse', join(dir, 'big2.duckdb')], { PLEDGE_MAX_WORKBOOK_BYTES: String(bytes) });
    expect(ok.stdout).toMatch(/read 4 · loaded 4 · rejected 0/);
  });

  it('a sheet past PLEDGE_MAX_WORKBOOK_ROWS is refused, suggesting CSV', () => {
    // 5 rows with values: the header and B1 … B4.
    const r = pledge(['ingest', book, '--warehouse', join(dir, 'big3.duckdb')], { PLEDGE_MAX_WORKBOOK_ROWS: '4' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${book}: sheet "投诉" has 5 rows, over the limit of 4 rows on a workbook sheet's rows (PLEDGE_MAX_WORKBOOK_ROWS raises it): save the sheet as CSV UTF-8`);
  });
});

describe('ingest memory is flat in the number of rejects', () => {
  it('200,000 field-count rejects load with Node held to a 96 MB heap and DuckDB to 128 MB; every reject is kept', () => {
    // Each bad line has one field too many (7 for the header's 6): a field-count reject.
    const file = join(dir, 'rejects-200k.csv');
    const lines = [HEADER, row('G1')];
    for (let i = 0; i < 200_000; i++) lines.push(`${row(`R${i}`)},extra`);
    writeFileSync(file, lines.join('\n') + '\n');
    const warehouse = join(dir, 'r200k.duckdb');
    // Measured: the code before this change (rejects held in an array, bound as one JSON value)
    // dies of Node heap exhaustion under these caps after 8-17 s (3.1 GB at a million rejects uncapped);
    // streamed to a file DuckDB reads once, it finishes, at a peak RSS of about 370 MB.
    const r = pledge(['ingest', file, '--warehouse', warehouse],
      { NODE_OPTIONS: '--max-old-space-size=96', PLEDGE_MEMORY_LIMIT: '128MB', PLEDGE_TEMP_DIR: join(dir, 'spill') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/read 200,001 · loaded 1 · rejected 200,000/);
    expect(r.peakKb).toBeLessThan(600 * 1024);
    // Lines 3 … 200,002 (the header is line 1, G1 line 2), each with the reader's reason.
    expect(query(warehouse, `select count(*) as n, count(distinct line_no) as lines, min(line_no) as first, max(line_no) as last,
        count(*) filter (where reason = 'wrong field count: 7 fields, the header has 6') as field_count from rejects`))
      .toEqual([{ n: 200_000, lines: 200_000, first: 3, last: 200_002, field_count: 200_000 }]);
  });
});

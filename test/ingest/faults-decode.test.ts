// Issue 18, case 3 and part of 9: decoding is checked over the whole file, not
// decided from its first 64 KiB and then trusted. Each bad file is made here
// byte by byte; every count below is worked out from how the file was made
// (rows written, rows damaged), never taken from what Pledge printed.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-faults-decode-');

const HEADER = 'complaint_id,channel,severity,category,department,received_at,resolved_at';
// Four characters each: in UTF-8 twelve bytes, an even number, so UTF-8 text read as GB18030
// pairs up into valid GBK characters and shows no error there. Detection must not count on
// GB18030's errors to recognise UTF-8.
const DEPARTMENTS = ['客服中心', '网络运维', '计费中心'];
const CATEGORIES = ['话费争议', '网络质量', '服务态度'];

/** Data row i (1-based, on physical line i + 1): complaint C<i>, received and resolved on a day of October. */
function row(i: number, category: string, department: string): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  return `C${i},phone,general,${category},${department},2025-10-${day} 09:00:00,2025-10-${day} 17:00:00\n`;
}
const chineseRow = (i: number) => row(i, CATEGORIES[i % 3], DEPARTMENTS[i % 3]);
const asciiRow = (i: number) => row(i, 'Fees', 'Billing');

/** Rows 1..n as UTF-8 bytes, with `damage` replacing the department of some rows by raw bytes. */
function utf8File(n: number, damage: Record<number, Buffer> = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`${HEADER}\n`)];
  for (let i = 1; i <= n; i++) {
    if (!damage[i]) { parts.push(Buffer.from(chineseRow(i))); continue; }
    const [before, after] = chineseRow(i).split(DEPARTMENTS[i % 3]);
    parts.push(Buffer.from(before), damage[i], Buffer.from(after));
  }
  return Buffer.concat(parts);
}

const firstNonAscii = (buf: Buffer) => buf.findIndex((b) => b >= 0x80);
/** Where row i starts in the file (its first byte, 0-based): the header and rows before it, as written. */
const offsetOfRow = (buf: Buffer, i: number) => buf.indexOf(Buffer.from(`\nC${i},`)) + 1;

function ingest(name: string, bytes: Buffer, extra: string[] = []) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const warehouse = join(dir, `${name}.duckdb`);
  return { file, warehouse, run: pledge(['ingest', file, '--warehouse', warehouse, ...extra]) };
}

const query = (warehouse: string, sql: string) => pledgeJson(['query', '--reveal-pii', '--warehouse', warehouse, sql]);

describe('GB18030 text after 80 KB of ASCII is detected as GB18030', () => {
  // 1,200 ASCII rows (department Billing, about 72 bytes each), then 200 rows of Chinese text in GB18030.
  const ascii = Buffer.from(HEADER + '\n' + Array.from({ length: 1200 }, (_, k) => asciiRow(k + 1)).join(''));
  const gb = iconv.encode(Array.from({ length: 200 }, (_, k) => chineseRow(1201 + k)).join(''), 'gb18030');
  const bytes = Buffer.concat([ascii, gb]);
  let r: ReturnType<typeof ingest>;
  beforeAll(() => { r = ingest('gb-after-ascii.csv', bytes); }, 120_000);

  it('the file is as the case says: 80 KB of ASCII first, and not UTF-8', () => {
    expect(ascii.length).toBeGreaterThan(80_000);
    expect(firstNonAscii(bytes)).toBeGreaterThan(80_000);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
  });

  it('loads all 1,400 rows as GB18030, none rejected', () => {
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stdout).toMatch(/\(gb18030\): read 1,400 · loaded 1,400 · rejected 0/);
  });

  it('reads the Chinese departments as written: 1,200 Billing, then 66 + 67 + 67 by i mod 3', () => {
    // Rows 1201..1400: i mod 3 = 0 for 1203, 1206, … 1398 (66 rows), 1 for 1201 … 1399 (67), 2 for 1202 … 1400 (67).
    expect(query(r.warehouse, 'select department, count(*) as n from complaint_versions group by all order by department')).toEqual([
      { department: 'Billing', n: 1200 },
      { department: '客服中心', n: 66 },
      { department: '网络运维', n: 67 },
      { department: '计费中心', n: 67 },
    ].sort((a, b) => (a.department < b.department ? -1 : 1)));
  });

  it('validate says it decided at the first byte above 0x7F, and why', () => {
    const out = pledgeOk(['validate', r.file]);
    const at = (firstNonAscii(bytes) + 1).toLocaleString('en-US');
    // The file ends less than 64 KiB after that byte: detection weighed all the rest of it.
    const weighed = (bytes.length - firstNonAscii(bytes)).toLocaleString('en-US');
    expect(out).toContain(`gb18030 (not UTF-8: read as GB18030 (GBK): the ${weighed} bytes from byte ${at} (the first above 0x7F) hold 0 invalid sequences as GB18030`);
    expect(out).toMatch(/the whole file checked: no invalid byte sequence\)/);
  });
});

describe('invalid UTF-8 after the first 64 KiB rejects those rows, naming the bytes', () => {
  // 1,500 rows; row 1000's department is 客服 FF 中心 (FF is never UTF-8), row 1200's is C0 AF
  // (an overlong "/": C0 is never a UTF-8 lead byte, AF then a stray continuation byte).
  const bytes = utf8File(1500, {
    1000: Buffer.concat([Buffer.from('客服'), Buffer.from([0xff]), Buffer.from('中心')]),
    1200: Buffer.from([0xc0, 0xaf]),
  });
  let r: ReturnType<typeof ingest>;
  beforeAll(() => { r = ingest('utf8-bad-late.csv', bytes); }, 120_000);

  it('both damaged rows lie past the first 64 KiB', () => {
    expect(offsetOfRow(bytes, 1000)).toBeGreaterThan(65_536);
  });

  it('loads 1,498 rows and rejects rows 1000 and 1200 (lines 1001 and 1201): read = loaded + rejected', () => {
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stdout).toMatch(/\(utf-8\): read 1,500 · loaded 1,498 · rejected 2/);
    expect(query(r.warehouse, 'select line_no, column_name, reason from rejects order by line_no')).toEqual([
      // 客服 is two characters before the bad byte: it is the field's third.
      { line_no: 1001, column_name: null, reason: 'not valid UTF-8: byte FF in column "department" (field 5, character 3): try --encoding gb18030' },
      { line_no: 1201, column_name: null, reason: 'not valid UTF-8: bytes C0 AF in column "department" (field 5, character 1): try --encoding gb18030' },
    ]);
    expect(query(r.warehouse, 'select rows_read, rows_loaded, rows_rejected from imports')).toEqual([{ rows_read: 1500, rows_loaded: 1498, rows_rejected: 2 }]);
  });

  it('keeps the rejected lines with the bad bytes marked, and loads no U+FFFD anywhere', () => {
    expect(query(r.warehouse, 'select raw_line from rejects where line_no = 1001')).toEqual([{ raw_line: chineseRow(1000).trim().replace(DEPARTMENTS[1000 % 3], '客服\ufffd中心') }]);
    expect(query(r.warehouse, `select count(*) as n from complaint_versions where department like '%\ufffd%' or complaint_id in ('C1000', 'C1200')`)).toEqual([{ n: 0 }]);
  });

  it('validate says the whole file was checked: 3 invalid sequences (FF; C0; AF)', () => {
    expect(pledgeOk(['validate', r.file])).toMatch(/utf-8 \(valid UTF-8: the 65,536 bytes from byte \d+ \(the first above 0x7F\) hold [\d,]+ multi-byte characters, none invalid; the whole file checked: 3 invalid byte sequences, the rows holding them rejected\)/);
  });
});

describe('three bad bytes near the start of a UTF-8 file do not make it GB18030', () => {
  const bytes = utf8File(1500, { 2: Buffer.concat([Buffer.from('客服'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('中心')]) });
  let r: ReturnType<typeof ingest>;
  beforeAll(() => { r = ingest('utf8-three-bad.csv', bytes); }, 120_000);

  it('the bad bytes are in the first 200 bytes', () => {
    expect(bytes.indexOf(Buffer.from([0xff, 0xfe, 0xfd]))).toBeLessThan(200);
  });

  it('stays UTF-8: 1,499 loaded, row 2 (line 3) rejected naming its three bytes', () => {
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stdout).toMatch(/\(utf-8\): read 1,500 · loaded 1,499 · rejected 1/);
    expect(query(r.warehouse, 'select line_no, reason from rejects')).toEqual([
      { line_no: 3, reason: 'not valid UTF-8: bytes FF FE FD in column "department" (field 5, character 3): try --encoding gb18030' },
    ]);
  });

  it('departments and categories are not garbled: exactly the three of each that were written', () => {
    // Rows 1..1500 but row 2: i mod 3 = 0, 1, 2 for 500, 500, 500 rows; row 2 (mod 3 = 2) is gone.
    expect(query(r.warehouse, 'select department, category, count(*) as n from complaint_versions group by all order by n, department')).toEqual([
      { department: DEPARTMENTS[2], category: CATEGORIES[2], n: 499 },
      ...[DEPARTMENTS[0], DEPARTMENTS[1]].sort().map((d) => ({ department: d, category: CATEGORIES[DEPARTMENTS.indexOf(d)], n: 500 })),
    ]);
  });

  it('validate says what it weighed: the 3 invalid sequences against the valid ones', () => {
    const at = (firstNonAscii(bytes) + 1).toLocaleString('en-US');
    expect(pledgeOk(['validate', r.file])).toMatch(new RegExp(`utf-8 \\(UTF-8: the 65,536 bytes from byte ${at} \\(the first above 0x7F\\) hold [\\d,]+ multi-byte characters and 3 invalid sequences \\(as GB18030: \\d+ invalid\\)`));
  });

  it('a header with bytes its encoding cannot read is an error naming line 1 and the field', () => {
    const bad = Buffer.concat([Buffer.from('complaint_id,channel,severity,category,depart'), Buffer.from([0xff]), Buffer.from('ment,received_at\n')]);
    const h = ingest('bad-header.csv', Buffer.concat([bad, utf8File(10).subarray(HEADER.length + 1)]));
    expect(h.run.code).toBe(1);
    expect(h.run.stderr).toContain('bad-header.csv: line 1 (the header): not valid UTF-8: byte FF in field 5, character 7: try --encoding gb18030');
  });
});

describe('a byte GB18030 cannot read in a GB18030 file rejects that row only', () => {
  // 300 rows in GB18030; row 5's department is the single byte 81: a lead byte, but the comma
  // after it is no trail byte (0x40–0x7E, 0x80–0xFE) nor the 0x30–0x39 of a four-byte code.
  const rows = Array.from({ length: 300 }, (_, k) => chineseRow(k + 1));
  const [before, after] = rows[4].split(DEPARTMENTS[5 % 3]);
  const bytes = Buffer.concat([iconv.encode(`${HEADER}\n${rows.slice(0, 4).join('')}${before}`, 'gb18030'), Buffer.from([0x81]),
    iconv.encode(`${after}${rows.slice(5).join('')}`, 'gb18030')]);

  it('is still read as GB18030: 299 loaded, line 6 rejected naming byte 81', () => {
    const r = ingest('gb-one-bad.csv', bytes);
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stdout).toMatch(/\(gb18030\): read 300 · loaded 299 · rejected 1/);
    expect(query(r.warehouse, 'select line_no, reason from rejects')).toEqual([
      { line_no: 6, reason: 'not valid GB18030: byte 81 in column "department" (field 5, character 1): try --encoding utf-8' },
    ]);
  });
});

describe('UTF-16LE without a byte-order mark', () => {
  const bytes = iconv.encode(`${HEADER}\n${Array.from({ length: 300 }, (_, k) => chineseRow(k + 1)).join('')}`, 'utf-16le');

  it('is refused with the --encoding that reads it', () => {
    expect(bytes[0]).not.toBe(0xff);
    const r = ingest('utf16le-nobom.csv', bytes);
    expect(r.run.code).toBe(1);
    expect(r.run.stderr).toMatch(/utf16le-nobom\.csv: no byte-order mark, but [\d,]+ of the first [\d,]+ byte pairs end in a NUL byte, as UTF-16LE text does: try --encoding utf-16le/);
  });

  it('with --encoding utf-16le, loads all 300 rows', () => {
    const r = ingest('utf16le-nobom-given.csv', bytes, ['--encoding', 'utf-16le']);
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stdout).toMatch(/\(utf-16le\): read 300 · loaded 300 · rejected 0/);
    expect(query(r.warehouse, `select department from complaint_versions where complaint_id = 'C1'`)).toEqual([{ department: DEPARTMENTS[1] }]);
  });
});

// The corpus of broken and awkward exports (test/fixtures/corpus/, described in
// its README.md), each ingested into a real DuckDB file through the real
// ingest path. Every expected count and reason below was worked out by reading
// the fixture by hand; the comments say how.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '../../src/warehouse/db.ts';
import { ensureWarehouse, ingestFile, type ImportSummary, type IngestOptions } from '../../src/ingest/ingest.ts';
import { checkProfileAgainstKind, loadProfile } from '../../src/ingest/profiles.ts';
import { COMPLAINTS } from '../../src/ingest/kinds.ts';
import { FIXTURES, pledge, tempDir } from '../support/cli.ts';

const CORPUS = join(FIXTURES, 'corpus');
const dir = tempDir('pledge-corpus-');
const opened: Warehouse[] = [];
afterAll(() => { for (const wh of opened) wh.close(); });

let n = 0;
async function load(file: string, opts: IngestOptions = {}): Promise<{ wh: Warehouse; r: ImportSummary }> {
  const wh = await Warehouse.open(join(dir, `w${n++}.duckdb`), { timezone: 'Asia/Shanghai' });
  opened.push(wh);
  await ensureWarehouse(wh);
  const r = await ingestFile(wh, join(CORPUS, file), opts);
  return { wh, r };
}

const rejects = (wh: Warehouse) => wh.rows('select line_no, column_name, raw_value, reason from rejects order by line_no, column_name');

describe('encodings: the same three complaints in four encodings and three header styles', () => {
  // Each file holds C1, C2, C3 (see make-up in corpus/README.md); C2's description holds a comma.
  const cases: [string, string][] = [
    ['utf8-bom.csv', 'utf-8'],
    ['utf8-nobom.csv', 'utf-8'],
    ['gb18030-chinese-headers.csv', 'gb18030'],
    ['utf16le-unicode-text.txt', 'utf-16le'],
  ];
  for (const [file, encoding] of cases) {
    it(`reads ${file} as ${encoding}: 3 read, 3 loaded, text intact`, async () => {
      const { wh, r } = await load(file);
      expect(r.encoding).toBe(encoding);
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([3, 3, 0]);
      const rows = await wh.rows('select complaint_id, channel, severity, received_at, resolved_at, satisfaction, description from complaint_versions order by complaint_id');
      expect(rows[0]).toEqual({ complaint_id: 'C1', channel: 'phone', severity: 'general', received_at: '2025-10-09 14:05:00', resolved_at: '2025-10-10 09:00:00', satisfaction: 90, description: '话费多扣' });
      expect(rows[1].description).toBe('网络卡顿, 晚上尤其');
      expect(rows[2].received_at).toBe('2025-10-10 08:30:00');
    });
  }

  it('keeps a 4-byte GB18030 character (U+20000 𠀀) whole', async () => {
    const { wh } = await load('gb18030-chinese-headers.csv');
    expect(await wh.value("select description from complaint_versions where complaint_id = 'C3'")).toBe('用户姓名含生僻字𠀀');
  });

  it('maps the Chinese headers by built-in synonyms (投诉编号 → complaint_id, 受理时间 → received_at …)', async () => {
    const { r } = await load('gb18030-chinese-headers.csv');
    const m = Object.fromEntries(r.mapping!.sources.map((s) => [s.column, s.header]));
    expect(m).toEqual({ complaint_id: '投诉编号', channel: '诉求渠道', severity: '严重程度', received_at: '受理时间', resolved_at: '办结时间', satisfaction: '满意度', description: '投诉内容' });
  });

  it('honours --encoding over detection', async () => {
    const { r } = await load('utf8-nobom.csv', { encoding: 'gbk' });
    // Read as GBK, the UTF-8 Chinese text decodes to other characters, but every row still loads.
    expect(r.encoding).toBe('gbk');
    expect(r.rowsLoaded).toBe(3);
  });
});

describe('the temp-file route gives the same result as the named pipe', () => {
  it('malformed.csv via a streamed temp file: 12 read, 3 loaded, 9 rejected, same lines', async () => {
    process.env.PLEDGE_INGEST_VIA = 'file';
    try {
      const { wh, r } = await load('malformed.csv');
      expect(r.via).toBe('file');
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([12, 3, 9]);
      expect((await rejects(wh)).map((x) => x.line_no)).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 13]);
    } finally {
      delete process.env.PLEDGE_INGEST_VIA;
    }
  });

  it('an --exported-at that is not an instant is an error naming the option', async () => {
    await expect(load('utf8-bom.csv', { exportedAt: 'yesterday' })).rejects.toThrow(/--exported-at: "yesterday" is not an instant/);
  });

  it('an unknown --encoding is an error naming the option', async () => {
    await expect(load('utf8-bom.csv', { encoding: 'klingon' })).rejects.toThrow(/--encoding: unknown encoding "klingon" \(try utf-8, gb18030, gbk or utf-16le\)/);
  });
});

describe('dates', () => {
  it('reads every unambiguous format as the same instant and rejects the ambiguous and the impossible', async () => {
    const { wh, r } = await load('dates.csv');
    // 9 data lines: D1–D6 and D9 parse; D7 (10/09/2025 …, day/month order unknown) and D8 (month 13) do not.
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([9, 7, 2]);
    const times = Object.fromEntries((await wh.rows('select complaint_id, received_at from complaint_versions')).map((x) => [x.complaint_id, x.received_at]));
    // D5 = Excel serial 45939.5868055556: 45,939 days after 1899-12-30 is 2025-10-09, and
    // 0.5868055556 × 24 h = 14.0833 h = 14:05. D9 = 06:05 UTC = 14:05 in Asia/Shanghai. D6 is date only: 00:00.
    expect(times).toEqual({
      D1: '2025-10-09 14:05:00', D2: '2025-10-09 14:05:00', D3: '2025-10-09 14:05:00', D4: '2025-10-09 14:05:00',
      D5: '2025-10-09 14:05:00', D6: '2025-10-09 00:00:00', D9: '2025-10-09 14:05:00',
    });
    const rej = await rejects(wh);
    expect(rej).toEqual([
      { line_no: 8, column_name: 'received_at', raw_value: '10/09/2025 02:05:00 PM', reason: expect.stringMatching(/^ambiguous date .*name the format in the profile/) },
      { line_no: 9, column_name: 'received_at', raw_value: '2025-13-45', reason: 'cannot read timestamp value' },
    ]);
  });

  it('stores instants: the ISO value with +08:00 and the UTC one are the same instant as the local wall time', async () => {
    const { wh } = await load('dates.csv');
    // 2025-10-09 14:05 in Asia/Shanghai (UTC+8, no DST) = 06:05 UTC; with GNU date:
    //   TZ=Asia/Shanghai date -d '2025-10-09 14:05:00' +%s  →  1759989900
    const epochs = await wh.rows("select distinct epoch(received_at)::bigint as e from complaint_versions where complaint_id in ('D1','D3','D9')");
    expect(epochs).toEqual([{ e: 1759989900 }]);
  });

  it('reads US dates when the profile names the format, date-only values too', async () => {
    const { wh, r } = await load('us-dates.csv', { profile: loadProfile(join(CORPUS, 'us-dates.yaml')) });
    // U1 10/09/2025 02:05:00 PM = 9 October 14:05; U2 date only; U3 ISO still reads; U4 has month 13.
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 3, 1]);
    const times = Object.fromEntries((await wh.rows('select complaint_id, received_at from complaint_versions')).map((x) => [x.complaint_id, x.received_at]));
    expect(times).toEqual({ U1: '2025-10-09 14:05:00', U2: '2025-10-09 00:00:00', U3: '2025-10-09 14:05:00' });
    expect((await rejects(wh))[0]).toMatchObject({ line_no: 5, reason: "does not match the profile's date format %m/%d/%Y %I:%M:%S %p" });
  });
});

describe('malformed rows: every one kept in rejects with line, column, raw value and reason', () => {
  it('malformed.csv: 12 read, 3 loaded, 9 rejected', async () => {
    const { wh, r } = await load('malformed.csv');
    // Lines 2–13. Loaded: M1 (2), M7 (10, its exact copy on 11 is dropped), M8 (12).
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([12, 3, 9]);
    expect(await rejects(wh)).toEqual([
      { line_no: 3, column_name: null, raw_value: null, reason: 'wrong field count: 8 fields, the header has 7' },
      { line_no: 4, column_name: null, raw_value: null, reason: 'wrong field count: 3 fields, the header has 7' },
      { line_no: 5, column_name: 'received_at', raw_value: 'yesterday', reason: 'cannot read timestamp value' },
      { line_no: 6, column_name: 'satisfaction', raw_value: 'very', reason: 'cannot read double value' },
      { line_no: 7, column_name: 'complaint_id', raw_value: null, reason: 'missing complaint_id' },
      { line_no: 8, column_name: 'complaint_id', raw_value: 'M6', reason: 'complaint_id appears on several lines with different content' },
      { line_no: 9, column_name: 'complaint_id', raw_value: 'M6', reason: 'complaint_id appears on several lines with different content' },
      { line_no: 11, column_name: 'complaint_id', raw_value: 'M7', reason: 'exact duplicate of line 10' },
      // "…"x: text after a closing quote, caught by DuckDB's own reader.
      { line_no: 13, column_name: null, raw_value: null, reason: expect.stringMatching(/unterminated quote|unquoted value/i) },
    ]);
  });

  it('truncated.csv: the last line cut off inside quotes is rejected, not lost', async () => {
    const { wh, r } = await load('truncated.csv');
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([2, 1, 1]);
    expect(await rejects(wh)).toEqual([{ line_no: 3, column_name: null, raw_value: null, reason: 'the file ends inside a quoted field (truncated export?)' }]);
  });

  it('multiline.csv: free text with line breaks and doubled quotes loads intact, and later line numbers stay physical', async () => {
    const { wh, r } = await load('multiline.csv');
    // L1 spans lines 2–3, L2 is line 4, L3 spans 5–7 (CRLF inside quotes), L4 is line 8 (bad date), L5 line 9.
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([5, 4, 1]);
    expect(await rejects(wh)).toEqual([{ line_no: 8, column_name: 'received_at', raw_value: 'not-a-date', reason: 'cannot read timestamp value' }]);
    const d = Object.fromEntries((await wh.rows('select complaint_id, line_no, description from complaint_versions')).map((x) => [x.complaint_id, x]));
    expect(d.L1).toEqual({ complaint_id: 'L1', line_no: 2, description: '第一行\n第二行' });
    expect(d.L2.description).toBe('He said "no", then left');
    expect(d.L3.description).toBe('a\r\nb\r\nc');
    expect(d.L5).toEqual({ complaint_id: 'L5', line_no: 9, description: '"quoted" at the start' });
  });

  it('stray-quote.csv: a quote inside an unquoted field is a character, not the start of a quoted field', async () => {
    const { wh, r } = await load('stray-quote.csv');
    // S1 holds 他说"不行 unquoted; had the quote opened a field, S2 and S3 would have vanished into it.
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([3, 3, 0]);
    expect((await wh.rows('select description from complaint_versions order by line_no')).map((x) => x.description))
      .toEqual(['他说"不行，then left', 'a "quoted" word, and a comma', 'ok']);
  });

  it('mixed-endings.csv: \\r\\n, \\n and \\r in one file are all line breaks', async () => {
    const { wh, r } = await load('mixed-endings.csv');
    // X1 (line 2, LF), X2 (3, CR), X3 (4, CRLF, month 99), X4 (5, no final break).
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 3, 1]);
    expect((await rejects(wh)).map((x) => [x.line_no, x.raw_value])).toEqual([[4, '2025-99-09 14:05:00']]);
  });

  it('header-only.csv: 0 read, 0 loaded, recorded as an import', async () => {
    const { wh, r } = await load('header-only.csv');
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([0, 0, 0]);
    expect(await wh.value('select count(*) from imports')).toBe(1);
  });

  it('a 0-byte file, a binary file and an unmapped required column are errors naming the file, and load nothing', () => {
    const w = join(dir, 'errors.duckdb');
    const empty = pledge(['ingest', join(CORPUS, 'empty.csv'), '--warehouse', w]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty\.csv: the file is empty \(0 bytes\)/);
    const binary = pledge(['ingest', join(CORPUS, 'binary.csv'), '--warehouse', w]);
    expect(binary.code).toBe(1);
    // The PNG signature's 9th byte is the first NUL.
    expect(binary.stderr).toMatch(/binary\.csv: byte 9: a NUL byte: this is a binary file/);
    const missing = pledge(['ingest', join(CORPUS, 'missing-required.csv'), '--warehouse', w]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing-required\.csv: line 1: required columns not found: complaint_id \(closest: /);
    expect(missing.stderr).toMatch(/received_at \(closest: "Date Recieved"/);
    expect(missing.stderr).toMatch(/Header has: "Case Ref", "Chanel", "Date Recieved", "Status"/);
    const count = pledge(['query', '--warehouse', w, '--format', 'csv', 'select count(*) as n from imports']);
    expect(count.stdout.trim().split('\n').at(-1)).toBe('0');
  });
});

describe('profiles: header names, value mappings and constants from a YAML file', () => {
  it('profile-mapping.csv: 5 read, 4 loaded, one satisfaction value no mapping covers is rejected', async () => {
    const { wh, r } = await load('profile-mapping.csv', { profile: loadProfile(join(CORPUS, 'profile-mapping.yaml')) });
    expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([5, 4, 1]);
    expect(await wh.rows('select complaint_id, channel, severity, department, received_at, satisfaction from complaint_versions order by 1')).toEqual([
      { complaint_id: 'P1', channel: 'phone', severity: 'general', department: '客服中心', received_at: '2025-10-09 14:05:00', satisfaction: 100 },
      { complaint_id: 'P2', channel: 'phone', severity: 'urgent', department: '客服中心', received_at: '2025-10-09 15:00:00', satisfaction: null },
      { complaint_id: 'P3', channel: 'web', severity: 'major', department: '客服中心', received_at: '2025-10-10 08:30:00', satisfaction: 40 },
      // 微信 has no mapping: kept as exported.
      { complaint_id: 'P4', channel: '微信', severity: 'general', department: '客服中心', received_at: '2025-10-10 09:00:00', satisfaction: 80 },
    ]);
    expect(await rejects(wh)).toEqual([{ line_no: 6, column_name: 'satisfaction', raw_value: '很好', reason: 'value "很好" of satisfaction has no mapping: add it under values.satisfaction of the profile' }]);
  });

  it('a profile naming a column the kind does not have is an error naming the file and key', () => {
    const bad = join(dir, 'bad-profile.yaml');
    writeFileSync(bad, 'columns:\n  recieved_at: 受理时间\n');
    expect(() => loadProfileAndCheck(bad)).toThrow(/bad-profile\.yaml: columns\.recieved_at: "recieved_at" is not a complaints column/);
  });
});

function loadProfileAndCheck(path: string) {
  checkProfileAgainstKind(loadProfile(path), COMPLAINTS);
}

describe('row accounting holds on every corpus file that loads: read = loaded + rejected', () => {
  const files: [string, IngestOptions?][] = [
    ['utf8-bom.csv'], ['utf8-nobom.csv'], ['gb18030-chinese-headers.csv'], ['utf16le-unicode-text.txt'], ['dates.csv'],
    ['malformed.csv'], ['truncated.csv'], ['multiline.csv'], ['stray-quote.csv'], ['mixed-endings.csv'], ['header-only.csv'],
    ['contradictions.csv'], ['reexport-2025-09.csv'], ['reexport-2025-10.csv'],
  ];
  for (const [file, opts] of files) {
    it(file, async () => {
      const { wh, r } = await load(file, opts);
      expect(r.rowsRead).toBe(r.rowsLoaded + r.rowsRejected);
      const [row] = await wh.rows('select rows_read, rows_loaded, rows_rejected, (select count(distinct line_no) from rejects) as reject_lines, (select count(*) from complaint_versions) as versions from imports');
      expect(row.rows_loaded).toBe(row.versions);
      expect(row.rows_rejected).toBe(row.reject_lines);
    });
  }
});

// Excel workbooks (.xlsx) go through the same mapping, typing and rejects as
// CSV. The workbook is written here with exceljs, as Excel would save it:
// real date cells, numbers, a notes sheet before the data sheet.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type ExcelJSType from 'exceljs';
import { pledge, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;
const dir = tempDir('pledge-xlsx-');
const book = join(dir, '投诉导出.xlsx');
const warehouse = join(dir, 'w.duckdb');
let out: string;

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['本表由投诉系统导出']);
  const ws = wb.addWorksheet('十月投诉');
  ws.addRow(['投诉编号', '诉求渠道', '严重程度', '受理时间', '办结时间', '满意度', '投诉内容']);
  // Excel keeps wall-clock times without a zone; exceljs writes a Date's UTC fields as that wall clock.
  const at = (d: number, h: number, m: number) => new Date(Date.UTC(2025, 9, d, h, m));
  ws.addRow(['X1', 'phone', 'general', at(9, 14, 5), at(10, 9, 0), 90, '话费多扣']);
  ws.addRow(['X2', 'app', 'urgent', at(9, 15, 0), null, null, '网络卡顿, "晚上"尤其']);
  ws.addRow(['X3', 'web', 'major', '昨天下午', null, null, 'a date typed as text']);
  ws.addRow([]);
  ws.addRow(['X4', 'web', 'general', '2025年10月11日 10时00分', null, 75, '']);
  await wb.xlsx.writeFile(book);
  out = pledgeOk(['ingest', book, '--sheet', '十月投诉', '--warehouse', warehouse]);
});

describe('xlsx workbooks', () => {
  it('reads the named sheet: 4 data rows (the empty row 5 is no row), 3 loaded, 1 rejected', () => {
    expect(out).toMatch(/\(sheet 十月投诉\): read 4 · loaded 3 · rejected 1/);
  });

  it('reads date cells as local wall times, text dates and numbers as in CSV', () => {
    expect(pledgeJson(['query', '--warehouse', warehouse, 'select complaint_id, received_at, resolved_at, satisfaction, description from complaint_versions order by 1'])).toEqual([
      { complaint_id: 'X1', received_at: '2025-10-09 14:05:00', resolved_at: '2025-10-10 09:00:00', satisfaction: 90, description: '话费多扣' },
      { complaint_id: 'X2', received_at: '2025-10-09 15:00:00', resolved_at: null, satisfaction: null, description: '网络卡顿, "晚上"尤其' },
      { complaint_id: 'X4', received_at: '2025-10-11 10:00:00', resolved_at: null, satisfaction: 75, description: null },
    ]);
  });

  it('rejects with the sheet row number as the line', () => {
    expect(pledgeJson(['query', '--warehouse', warehouse, 'select line_no, column_name, raw_value, reason from rejects'])).toEqual([
      { line_no: 4, column_name: 'received_at', raw_value: '昨天下午', reason: 'cannot read timestamp value' },
    ]);
  });

  it('names the sheets when the one asked for is not there', () => {
    const r = pledge(['ingest', book, '--sheet', '九月', '--warehouse', join(dir, 'x.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/投诉导出\.xlsx: no sheet named "九月" \(sheets: "说明", "十月投诉"\)/);
  });
});

// Rows of an Excel workbook (.xlsx) as CSV records, so a workbook goes through
// the same header mapping, typing and rejects as a CSV export. The line number
// of a record is the sheet's row number, as Excel shows it.
//
// exceljs reads the whole workbook (its streaming reader does not reliably know
// a sheet's name before its rows): fine for workbooks, which Excel caps at
// 1,048,576 rows; exports larger than memory come as CSV and are streamed.
import { createRequire } from 'node:module';
import type ExcelJSType from 'exceljs';
import { PledgeError } from './errors.ts';
import { joinFields, type CsvRecord } from './csv-records.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;

export async function workbookRecords(path: string, sheetName?: string): Promise<{ sheet: string; records: AsyncIterable<CsvRecord> }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    throw new PledgeError(`${path}: cannot read the workbook: ${(e as Error).message.split('\n')[0]}`);
  }
  const names = wb.worksheets.map((w) => w.name);
  const ws = sheetName === undefined ? wb.worksheets[0] : wb.getWorksheet(sheetName);
  if (!ws) {
    throw new PledgeError(sheetName === undefined
      ? `${path}: the workbook has no sheets`
      : `${path}: no sheet named "${sheetName}" (sheets: ${names.map((n) => `"${n}"`).join(', ')})`);
  }
  const rows: CsvRecord[] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as unknown[];
    const fields = values.slice(1).map(cellText);
    if (rows.length === 0) width = fields.length;
    while (fields.length < width) fields.push('');
    rows.push({ line: row.number, text: joinFields(fields), closed: true });
  });
  async function* records() { yield* rows; }
  return { sheet: ws.name, records: records() };
}

/** A cell as the text a CSV export of it would hold. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // Excel stores wall-clock times with no zone; exceljs hands them over as if UTC.
    return v.toISOString().slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: string; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return String(o.text);
    if (o.error) return o.error;
  }
  return String(v);
}

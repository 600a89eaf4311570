// Rows of an Excel workbook (.xlsx) as CSV records, so a workbook goes through
// the same header mapping, typing and rejects as a CSV export. The line number
// of a record is the sheet's row number, as Excel shows it.
//
// exceljs reads the whole workbook (its streaming reader does not reliably know
// a sheet's name before its rows), which costs about 40 times the workbook's
// XML in memory (limits.ts). So the XML's size is read from the zip's directory first, and
// a workbook past LIMITS.workbookXml is refused before exceljs opens it, with
// the way out: save the sheet as CSV, which is streamed.
//
// A cell that holds no value is never turned into text that looks like one: an
// Excel error value (#REF!, #N/A …) or a formula saved without its result
// (a workbook written by a program that does not calculate) makes the row a
// reject, with the cell and the reason (raw-rows.ts; only when the column is used).
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import type ExcelJSType from 'exceljs';
import { PledgeError } from '../core/errors.ts';
import { joinFields, type CsvRecord, type FieldProblem } from './csv-records.ts';
import { clip, count, LIMITS, limit, overLimit } from './limits.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;

const SAVE_AS_CSV = 'save the sheet as CSV UTF-8 (File → Save As → "CSV UTF-8") and ingest that: CSV is read as a stream, at any size';

export async function workbookRecords(path: string, sheetName?: string): Promise<{ sheet: string; records: AsyncIterable<CsvRecord> }> {
  const xml = await uncompressedBytes(path);
  if (xml > limit(LIMITS.workbookXml)) {
    throw new PledgeError(`${path}: the workbook holds ${count(xml)} bytes of XML uncompressed, ${overLimit(LIMITS.workbookXml)}: ${SAVE_AS_CSV}`);
  }
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
  const rowCount = ws.actualRowCount;
  if (rowCount > limit(LIMITS.workbookRows)) {
    throw new PledgeError(`${path}: sheet "${ws.name}" has ${count(rowCount)} rows, ${overLimit(LIMITS.workbookRows)}: ${SAVE_AS_CSV}`);
  }
  // Rows are turned into records one at a time as they are read, not all at once beside the workbook.
  async function* records(): AsyncGenerator<CsvRecord> {
    let width = 0;
    let header: string[] = [];
    for (let n = 1; n <= ws!.rowCount; n++) {
      const row = ws!.findRow(n);
      if (!row || !row.hasValues) continue;
      const cells = (row.values as unknown[]).slice(1).map(cellValue);
      const fields = cells.map((c) => c.text);
      if (width === 0) { width = fields.length; header = fields; }
      while (fields.length < width) fields.push('');
      const problems: FieldProblem[] = [];
      cells.forEach((c, i) => {
        if (c.problem) problems.push({ field: i, value: c.raw ?? c.text, reason: `cell ${columnLetters(i)}${n}${header[i] ? ` (${header[i]})` : ''}: ${c.problem}` });
      });
      yield { line: n, text: joinFields(fields), closed: true, ...(problems.length ? { problems } : {}) };
    }
  }
  return { sheet: ws.name, records: records() };
}

interface Cell {
  text: string;
  problem?: string;
  /** What the reject keeps as the raw value, when not the text (a formula with no value: the formula). */
  raw?: string;
}

/** A cell as the text a CSV export of it would hold, or what is wrong with it when it holds no value. */
function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return { text: '' };
  if (v instanceof Date) {
    // Excel stores wall-clock times with no zone; exceljs hands them over as if UTC.
    return { text: v.toISOString().slice(0, 19).replace('T', ' ') };
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; formula?: string; sharedFormula?: string; text?: unknown; error?: string };
    if (o.richText) return { text: o.richText.map((r) => r.text).join('') };
    if (o.formula !== undefined || o.sharedFormula !== undefined) {
      if (o.result === undefined || o.result === null) {
        return { text: '', raw: `=${o.formula ?? o.sharedFormula}`, problem: `formula =${clip(String(o.formula ?? o.sharedFormula))} was saved without its value (the program that wrote the workbook did not calculate it): open it in Excel and save it again` };
      }
      const result = cellValue(o.result);
      return result.problem ? { text: result.text, problem: `formula =${clip(String(o.formula ?? o.sharedFormula))}: ${result.problem}` } : result;
    }
    if (o.error !== undefined) return { text: String(o.error), problem: `Excel error value ${o.error}` };
    // A hyperlink cell: its text.
    if (o.text !== undefined) return cellValue(o.text);
    return { text: '', problem: `a cell exceljs reads as ${JSON.stringify(v).slice(0, 80)}, no value Pledge can read` };
  }
  return { text: String(v) };
}

/** 0 → A, 25 → Z, 26 → AA: the column as Excel names it. */
function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The sum of the uncompressed sizes the zip's central directory records for its entries,
 * read from the end of the file without inflating anything. An entry whose size does not
 * fit 32 bits (0xFFFFFFFF: a Zip64 size) counts as 4 GiB, which is over any limit here.
 */
export async function uncompressedBytes(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw new PledgeError(`${path}: not a workbook: no zip directory at its end (a cut-off download?)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset === 0xffffffff || dirOffset + dirSize > size) return Number.MAX_SAFE_INTEGER;
    const dir = Buffer.alloc(dirSize);
    await fh.read(dir, 0, dirSize, dirOffset);
    let total = 0;
    for (let p = 0, e = 0; e < entries && p + 46 <= dir.length; e++) {
      if (dir.readUInt32LE(p) !== 0x02014b50) throw new PledgeError(`${path}: not a workbook: its zip directory is damaged`);
      const bytes = dir.readUInt32LE(p + 24);
      total += bytes === 0xffffffff ? 2 ** 32 : bytes;
      p += 46 + dir.readUInt16LE(p + 28) + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    }
    return total;
  } finally {
    await fh.close();
  }
}

// The workbook's cells (pledge run --xlsx): numbers as number cells with a format, instants as
// date cells showing the policy zone's wall-clock time, export text as string cells (which Excel
// never evaluates), and a sheet with a frozen, filtered header row. Shared by src/apps/workbook.ts
// and the points and appeals sheets (src/apps/workbook-points.ts).
import type ExcelJSType from 'exceljs';
import { visibleControls } from '../core/escape.ts';

export const PERCENT = '0.0%';
export const POINTS = '0.0';
export const COUNT = '#,##0';
export const INSTANT = 'yyyy-mm-dd hh:mm';

export type Cell = string | number | boolean | Date | null;
export interface Column { header: string; width: number; format?: string }

/** Text from an export as a string cell: control and bidi characters shown, not obeyed (as on the pages). */
export const text = (v: unknown): string | null => (v === null || v === undefined ? null : visibleControls(String(v)));
export const number = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

/** A local "YYYY-MM-DD HH:MM:SS" instant as the date cell Excel shows with those digits. */
export function instant(v: unknown): Date | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?/.exec(String(v ?? ''));
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

export function addSheet(wb: ExcelJSType.Workbook, name: string, columns: Column[], rows: { cells: Cell[]; formats?: (string | undefined)[] }[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow([]);
    r.cells.forEach((v, i) => {
      if (v === null) return;
      const cell = row.getCell(i + 1);
      // A plain value, never { formula }: exceljs writes strings as string cells, which Excel does not evaluate.
      cell.value = v;
      const format = r.formats?.[i] ?? columns[i].format;
      if (format) cell.numFmt = format;
    });
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}


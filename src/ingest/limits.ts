// How big an input Pledge reads before it calls the input broken, all in one
// place. Without limits a bad file costs minutes and gigabytes before it fails
// (a 50 MB line with no line break took 370 s and 3 GB; a 15 MB profile
// constant, copied into every row, 20 GB), or never fails but prints a 157 MB
// error. Each limit is generous for real exports, is named in the error it
// raises, and can be raised by its environment variable for the rare file that
// is big and right.
//
// Lengths are counted in characters of the decoded text (UTF-16 code units, as
// JavaScript counts them): 1 for ASCII, 1 for a Chinese character.
import { PledgeError } from '../core/errors.ts';

export interface Limit {
  /** What is limited, as an error message names it: "a line", "a field" … */
  what: string;
  unit: 'characters' | 'bytes' | 'rows';
  env: string;
  default: number;
}

// Defaults. A line and a field hold free text (a complaint description of a few
// thousand characters is common; the hostile-input test carries a 1 MB one, which
// must load). A profile value is a name, a label or a constant: 4 KiB is pages of it.
// A workbook is read whole by exceljs, which needs about 40 times its XML in memory,
// per cell (measured: 19.4 MB of XML, 100,000 rows of 5 cells, peaked at 1.1 GB RSS;
// 520 MB of XML ran Node out of its 4 GB heap): 50 MiB keeps it near 2 GB. Excel
// itself stops at 1,048,576 rows.
export const LIMITS = {
  line: { what: 'a line', unit: 'characters', env: 'PLEDGE_MAX_LINE_CHARS', default: 4 * 1024 * 1024 },
  field: { what: 'a field', unit: 'characters', env: 'PLEDGE_MAX_FIELD_CHARS', default: 2 * 1024 * 1024 },
  profileValue: { what: 'a profile value', unit: 'characters', env: 'PLEDGE_MAX_PROFILE_VALUE_CHARS', default: 4 * 1024 },
  workbookXml: { what: "a workbook's uncompressed size", unit: 'bytes', env: 'PLEDGE_MAX_WORKBOOK_BYTES', default: 50 * 1024 * 1024 },
  workbookRows: { what: "a workbook sheet's rows", unit: 'rows', env: 'PLEDGE_MAX_WORKBOOK_ROWS', default: 1_000_000 },
} as const satisfies Record<string, Limit>;

/** The limit in force: its environment variable when set to a positive whole number, else the default. */
export function limit(l: Limit): number {
  const raw = process.env[l.env];
  if (raw === undefined || raw.trim() === '') return l.default;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new PledgeError(`${l.env}: "${clip(raw)}" is not a positive whole number of ${l.unit}`);
  return n;
}

/** "over the limit of 4,194,304 characters on a line (PLEDGE_MAX_LINE_CHARS)": the words every limit error uses. */
export function overLimit(l: Limit): string {
  return `over the limit of ${count(limit(l))} ${l.unit} on ${l.what} (${l.env} raises it)`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

const CLIP = 80;

/**
 * A value as an error message shows it: whole when short, else its first 80 characters
 * and its length, so a message about a 50 MB line is one line, not 50 MB.
 */
export function clip(value: string, keep = CLIP): string {
  if (value.length <= keep) return value;
  return `${value.slice(0, keep)}… (${count(value.length)} characters)`;
}

/**
 * An error about the input that the code raising it cannot name the file of (the
 * record splitter sees only text): whoever opened the file puts its path in front.
 */
export class InputLimitError extends PledgeError {
  constructor(message: string, readonly file?: string) {
    super(file ? `${file}: ${message}` : message);
  }
}

/** The error with the file named, when it is an InputLimitError that does not name one yet. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputLimitError && e.file === undefined) return new InputLimitError(e.message, file);
  return e;
}

// Splits decoded CSV text into records, keeping the physical line each one
// starts on. Done here rather than left to DuckDB's reader because exports do
// things that reader loses rows over or cannot report: mixed \r\n, \n and \r
// line endings in one file, a last line cut off inside quotes, and multi-line
// free text that shifts every later line number. A record is only split off,
// never parsed: DuckDB still splits the fields. A record holding bytes its
// encoding cannot read (escaped by decode.ts) is marked with the reason it is
// rejected: which bytes, in which column.
import { encodingHint, ESCAPED, escapedRuns, hexBytes, withoutEscapes, type Detected } from './decode.ts';

import { InputLimitError, LIMITS, limit, overLimit } from './limits.ts';

export interface CsvRecord {
  /** 1-based physical line the record starts on (the header is line 1). */
  line: number;
  /** The record's text without its line break; embedded line breaks inside quotes kept. */
  text: string;
  /** False when the file ends inside a quoted field (a truncated export). */
  closed: boolean;
  /**
   * Why the record cannot be read: bytes not valid in the file's encoding (the text then
   * shows each of them as U+FFFD, and this reason names them).
   */
  invalid?: string;
  /** Cells that hold no value to load (a workbook's error values): the row is a reject if a mapped column is among them. */
  problems?: FieldProblem[];
}

export interface FieldProblem { field: number; value: string; reason: string }

const SPECIAL = /["\r\n]/g;
const LINE_BREAKS = /\r\n|\r|\n/g;

export class RecordSplitter {
  private buf = '';
  private start = 0;
  private pos = 0;
  private quoted = false;
  private line = 1;
  /** Guessed from the first record (the header); until then any quote opens a quoted field. */
  private delimiter: string | undefined;
  private header: string[] | undefined;

  /** decoding: the file's encoding and its count of invalid sequences so far (decode.ts). */
  constructor(private readonly decoding?: Detected) {}
  /** The longest record kept in memory: past it the file is not CSV (or a quote is left open), and reading stops. */
  private readonly maxLine = limit(LIMITS.line);

  push(chunk: string, out: CsvRecord[]): void {
    if (this.start > 0) {
      this.buf = this.buf.slice(this.start);
      this.pos -= this.start;
      this.start = 0;
    }
    this.buf += chunk;
    this.scan(out, false);
  }

  end(out: CsvRecord[]): void {
    this.scan(out, true);
    if (this.start < this.buf.length) this.emit(this.buf.slice(this.start), !this.quoted, out);
    this.buf = '';
    this.start = this.pos = 0;
  }

  private scan(out: CsvRecord[], eof: boolean): void {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < buf.length) {
      if (this.quoted) {
        const q = buf.indexOf('"', pos);
        if (q < 0) { pos = buf.length; break; }
        // A quote at the very end of a chunk may be the first half of "" (an escaped quote).
        if (q + 1 === buf.length && !eof) { pos = q; break; }
        if (buf.charCodeAt(q + 1) === 34) { pos = q + 2; continue; }
        this.quoted = false;
        pos = q + 1;
        continue;
      }
      SPECIAL.lastIndex = pos;
      const m = SPECIAL.exec(buf);
      if (!m) { pos = buf.length; break; }
      const i = m.index;
      const ch = buf.charCodeAt(i);
      if (ch === 34) {
        // A quote opens a quoted field only at the start of a field; elsewhere it is a
        // literal character (他说"不行), so a stray one cannot swallow the lines after it.
        if (i === this.start || buf[i - 1] === this.delimiter || this.delimiter === undefined) this.quoted = true;
        pos = i + 1;
        continue;
      }
      // A \r at the very end of a chunk may be the first half of \r\n: wait for the next chunk.
      if (ch === 13 && i + 1 === buf.length && !eof) { pos = i; break; }
      const next = ch === 13 && buf.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      this.emit(buf.slice(this.start, i), true, out);
      this.start = pos = next;
    }
    this.pos = pos;
    if (buf.length - this.start > this.maxLine) this.tooLong(this.line, buf.slice(this.start, this.start + 80));
  }

  private tooLong(line: number, head: string): never {
    const why = this.quoted
      ? 'a quoted field is still open (a quote left unclosed swallows the lines after it)'
      : 'no line break (not a CSV export, or its line breaks are not \\n, \\r\\n or \\r)';
    throw new InputLimitError(`line ${line}: a record ${overLimit(LIMITS.line)}: ${why}; it starts "${head}…"`);
  }

  private emit(text: string, closed: boolean, out: CsvRecord[]): void {
    const line = this.line;
    if (text.length > this.maxLine) this.tooLong(line, text.slice(0, 80));
    const inner = text.includes('\n') || text.includes('\r') ? text.match(LINE_BREAKS)!.length : 0;
    this.line += inner + 1;
    // Blank lines hold no record (Excel leaves them at the end of files).
    if (text.length === 0) return;
    if (this.delimiter === undefined) this.delimiter = guessDelimiter(text);
    const record: CsvRecord = { line, text, closed };
    // Only once the decoder has met an invalid sequence is any record searched for one.
    if (this.decoding?.invalid && ESCAPED.test(text)) {
      record.invalid = describeInvalid(text, this.delimiter, this.header, this.decoding.encoding);
      record.text = withoutEscapes(text);
    }
    if (this.header === undefined) this.header = splitFields(record.text, this.delimiter).map((h) => h.trim());
    out.push(record);
  }
}

/** Escaped runs named in a reason; a record with more says how many more. */
const SHOWN_RUNS = 3;
const SHOWN_BYTES = 8;

/**
 * "not valid UTF-8: bytes B0 A1 in column "department" (field 5, character 3): try --encoding
 * gb18030". Fields are counted as countFields counts them; characters from the field's start.
 */
function describeInvalid(text: string, delimiter: string, header: string[] | undefined, encoding: string): string {
  const runs = escapedRuns(text);
  const d = delimiter.charCodeAt(0);
  const spots: string[] = [];
  let field = 0;
  let fieldStart = 0;
  let quoted = false;
  let i = 0;
  for (const run of runs.slice(0, SHOWN_RUNS)) {
    for (; i < run.index; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34) { if (text.charCodeAt(i + 1) === 34) i++; else quoted = false; }
      } else if (c === 34) {
        if (i === fieldStart) quoted = true;
      } else if (c === d) { field++; fieldStart = i + 1; }
    }
    const bytes = run.bytes.length > SHOWN_BYTES ? `${hexBytes(run.bytes.slice(0, SHOWN_BYTES))} … (${run.bytes.length} bytes)` : hexBytes(run.bytes);
    const name = header?.[field];
    const where = name ? `column "${name}" (field ${field + 1}, character ${[...text.slice(fieldStart, run.index)].length + 1})`
      : `field ${field + 1}, character ${[...text.slice(fieldStart, run.index)].length + 1}`;
    spots.push(`${run.bytes.length === 1 ? 'byte' : 'bytes'} ${bytes} in ${where}`);
  }
  const more = runs.length > SHOWN_RUNS ? `; and ${runs.length - SHOWN_RUNS} more` : '';
  return `not valid ${encoding.toUpperCase()}: ${spots.join('; ')}${more}${encodingHint(encoding)}`;
}

export async function* csvRecords(chunks: AsyncIterable<string>, decoding?: Detected): AsyncGenerator<CsvRecord> {
  const splitter = new RecordSplitter(decoding);
  const out: CsvRecord[] = [];
  for await (const chunk of chunks) {
    splitter.push(chunk, out);
    if (out.length) { yield* out; out.length = 0; }
  }
  splitter.end(out);
  yield* out;
}

/** Number of fields in one record: delimiters outside quotes, plus one. */
export function countFields(text: string, delimiter: string): number {
  return fieldShape(text, delimiter).count;
}

/** Number of fields in one record, and the longest (0-based index, characters as written, quotes included). */
export function fieldShape(text: string, delimiter: string): { count: number; longest: number; longestLength: number } {
  const d = delimiter.charCodeAt(0);
  let n = 1;
  let quoted = false;
  let start = 0, longest = 0, longestLength = 0;
  const endField = (end: number) => {
    if (end - start > longestLength) { longestLength = end - start; longest = n - 1; }
    start = end + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Same rules as the splitter: "" inside quotes is a quote; a quote opens only at the start of a field.
    if (quoted) {
      if (c === 34) { if (text.charCodeAt(i + 1) === 34) i++; else quoted = false; }
    } else if (c === 34) {
      if (i === 0 || text.charCodeAt(i - 1) === d) quoted = true;
    } else if (c === d) { endField(i); n++; }
  }
  endField(text.length);
  return { count: n, longest, longestLength };
}

/** The fields of one record (the header), unquoted. */
export function splitFields(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === delimiter) { fields.push(cur); cur = ''; }
    else cur += ch;
  }
  fields.push(cur);
  return fields;
}

/** A record written back as CSV text, every field quoted (for workbook rows). */
export function joinFields(fields: string[], delimiter = ','): string {
  return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(delimiter);
}

/** Excel's "Unicode text" is tab-separated; everything else here is comma-separated. */
export function guessDelimiter(headerText: string): string {
  return countFields(headerText, '\t') > countFields(headerText, ',') ? '\t' : ',';
}

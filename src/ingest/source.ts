// An export file opened for reading: what it is (format, encoding), its header
// and the stream of its data records with their line numbers. CSV text of any
// encoding and .xlsx workbooks look the same from here on.
import { statSync } from 'node:fs';
import { PledgeError } from '../core/errors.ts';
import { decodedText, detectEncoding, readSample, type Detected } from './decode.ts';
import { csvRecords, guessDelimiter, splitFields, type CsvRecord } from './csv-records.ts';
import { workbookRecords } from './xlsx-records.ts';

export interface ExportSource {
  detected: Detected;
  header: string[];
  delimiter: string;
  /** For workbooks: the sheet read. */
  sheet?: string;
  records: AsyncIterable<CsvRecord>;
  /** Stops reading early (closes the file). */
  close(): Promise<void>;
}

export interface OpenOptions { encoding?: string; sheet?: string }

export async function openExport(path: string, opts: OpenOptions = {}): Promise<ExportSource> {
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch {
    throw new PledgeError(`${path}: no such file`);
  }
  if (bytes === 0) throw new PledgeError(`${path}: the file is empty (0 bytes): no header, nothing to load`);
  const detected = detectEncoding(await readSample(path), path, opts.encoding);
  if (detected.format === 'xlsx') {
    const wb = await workbookRecords(path, opts.sheet);
    return withHeader(path, detected, wb.records, ',', wb.sheet);
  }
  return withHeader(path, detected, csvRecords(decodedText(path, detected), detected));
}

async function withHeader(path: string, detected: Detected, records: AsyncIterable<CsvRecord>, delimiter?: string, sheet?: string): Promise<ExportSource> {
  const it = records[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new PledgeError(`${path}: no header line (the file holds only blank lines)`);
  // Header names with unreadable bytes would map wrongly or not at all: nothing can load.
  if (first.value.invalid) {
    await it.return?.(undefined);
    throw new PledgeError(`${path}: line ${first.value.line} (the header): ${first.value.invalid}`);
  }
  const delim = delimiter ?? guessDelimiter(first.value.text);
  const header = splitFields(first.value.text, delim).map((h) => h.trim());
  return {
    detected, header, delimiter: delim, sheet,
    records: { [Symbol.asyncIterator]: () => it },
    close: async () => { await it.return?.(undefined); },
  };
}

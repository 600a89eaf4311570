// Hands an export's records to DuckDB's CSV reader as clean UTF-8 text, each
// record prefixed with the physical line it started on, into the temp table
// raw_rows(line_no, c0, c1, …) of text. Records that cannot be rows (wrong
// field count, cut off inside quotes, bytes not valid in the file's encoding, a
// field over LIMITS.field, a workbook cell with no value in a used column) never
// reach DuckDB's row table: they go to the temp table scan_rejects with their
// line and reason.
//
// The rejects are written to a file as they are found and DuckDB reads that
// file once, so memory stays flat however many there are (a million
// field-count rejects, held in an array and bound as one JSON value, peaked at
// 3.1 GB).
//
// The text goes through a named pipe (FIFO): DuckDB reads while Node decodes,
// and no copy of the file is written. Where mkfifo is not available (or with
// PLEDGE_INGEST_VIA=file) it goes through a temp file instead; the benchmark
// compares the two.
import { sqlLiteral } from '../core/sql-text.ts';
import { execFileSync } from 'node:child_process';
import { createWriteStream, constants, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/db.ts';
import { fieldShape, type CsvRecord } from './csv-records.ts';
import { clip, count, LIMITS, limit, overLimit } from './limits.ts';

export interface RawLoad {
  via: 'fifo' | 'file';
  /** Records kept in scan_rejects (one record may have several rows there, one per cell). */
  scanRejected: number;
  rowsPassed: number;
}

/** The export's columns, to name them in rejects: its header, and the canonical column each feeds (if any). */
export interface RawColumns { header: string[]; feeds: (string | undefined)[] }

interface ScanReject { line_no: number; column_name: string | null; raw_value: string | null; reason: string; raw_line: string }

export async function loadRawRows(wh: Warehouse, records: AsyncIterable<CsvRecord>, columns: RawColumns, delimiter: string): Promise<RawLoad> {
  const width = columns.header.length;
  const dir = mkdtempSync(join(tmpdir(), 'pledge-ingest-'));
  const path = join(dir, 'rows.csv');
  const rejectsPath = join(dir, 'rejects.ndjson');
  const via = process.env.PLEDGE_INGEST_VIA === 'file' ? 'file' : makeFifo(path) ? 'fifo' : 'file';
  const maxField = limit(LIMITS.field);
  const named = (i: number) => `field ${i + 1}${columns.header[i] ? ` ("${clip(columns.header[i])}")` : ''}`;
  let scanRejected = 0;
  let longestReject = 0;
  let rowsPassed = 0;
  let writerDone = false;
  const rejectsOut = createWriteStream(rejectsPath, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const reject = async (rows: ScanReject[]) => {
    scanRejected++;
    let ok = true;
    for (const row of rows) {
      const json = JSON.stringify(row);
      if (json.length > longestReject) longestReject = json.length;
      ok = rejectsOut.write(`${json}\n`) && ok;
    }
    if (!ok) await once(rejectsOut, 'drain');
  };
  const whole = (line: number, text: string, reason: string): ScanReject[] => [{ line_no: line, column_name: null, raw_value: null, reason, raw_line: text }];
  const writer = (async () => {
    const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      const cols = Array.from({ length: width }, (_, i) => `c${i}`);
      out.write(`line_no${delimiter}${cols.join(delimiter)}\n`);
      for await (const r of records) {
        // Bytes the encoding cannot read come first: they can also be what broke the quoting.
        if (r.invalid) {
          await reject(whole(r.line, r.text, r.invalid));
          continue;
        }
        if (!r.closed) {
          await reject(whole(r.line, r.text, 'the file ends inside a quoted field (truncated export?)'));
          continue;
        }
        const shape = fieldShape(r.text, delimiter);
        const n = shape.count;
        if (n !== width) {
          await reject(whole(r.line, r.text, `wrong field count: ${n} field${n === 1 ? '' : 's'}, the header has ${width}`));
          continue;
        }
        if (shape.longestLength > maxField) {
          await reject([{ line_no: r.line, column_name: columns.feeds[shape.longest] ?? null, raw_value: null, raw_line: r.text,
            reason: `${named(shape.longest)} is ${count(shape.longestLength)} characters, ${overLimit(LIMITS.field)}` }]);
          continue;
        }
        // A workbook cell with no value: a reject when a canonical column reads it (one the
        // mapping leaves unused is never loaded, so its #REF! loses nothing).
        const problems = (r.problems ?? []).filter((p) => columns.feeds[p.field] !== undefined);
        if (problems.length) {
          await reject(problems.map((p) => ({ line_no: r.line, column_name: columns.feeds[p.field]!, raw_value: p.value, reason: p.reason, raw_line: r.text })));
          continue;
        }
        rowsPassed++;
        if (!out.write(`${r.line}${delimiter}${r.text}\n`)) await once(out, 'drain');
      }
    } finally {
      out.end();
      rejectsOut.end();
      await Promise.all([once(out, 'close'), once(rejectsOut, 'close')]).catch(() => undefined);
      writerDone = true;
    }
  })();

  const types = `{'line_no': 'BIGINT', ${Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
  // DuckDB limits a line in bytes: a character of the line limit is at most 3 bytes of UTF-8.
  const maxLineBytes = limit(LIMITS.line) * 3 + 64;
  const read = () => wh.run(`drop table if exists raw_reader_rejects; drop table if exists raw_reader_scans;
    create or replace temp table raw_rows as
    select * from read_csv(${sqlLiteral(path)}, header = true, columns = ${types}, delim = ${sqlLiteral(delimiter)}, quote = '"', escape = '"',
      new_line = '\\n', auto_detect = false, store_rejects = true, rejects_table = 'raw_reader_rejects',
      rejects_scan = 'raw_reader_scans', null_padding = false, strict_mode = true, parallel = false,
      max_line_size = ${maxLineBytes}, buffer_size = ${2 * maxLineBytes})`);
  try {
    if (via === 'file') {
      await writer;
      await read();
    } else {
      const [w, r] = await Promise.allSettled([writer, read().finally(() => { if (!writerDone) unblockWriter(path); })]);
      // When DuckDB fails, the writer's broken pipe is only a consequence: report DuckDB's error.
      if (r.status === 'rejected') throw r.reason;
      if (w.status === 'rejected') throw w.reason;
    }
    // One JSON object a line. DuckDB's JSON reader takes buffers of twice its largest object, so
    // that is sized to the longest one written (UTF-8: at most 3 bytes a character), not the line limit.
    await wh.run(`create or replace temp table scan_rejects as
      select * from read_json(${sqlLiteral(rejectsPath)}, format = 'newline_delimited', maximum_object_size = ${Math.max(longestReject * 3 + 1024, 1 << 20)},
        columns = {'line_no': 'BIGINT', 'column_name': 'VARCHAR', 'raw_value': 'VARCHAR', 'reason': 'VARCHAR', 'raw_line': 'VARCHAR'})`);
  } finally {
    rejectsOut.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  return { via, scanRejected, rowsPassed };
}

function makeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The reader stopped early (an error): open and close the pipe's read end so the writer's open returns, then fails on write. */
function unblockWriter(path: string): void {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch { /* already gone */ }
}

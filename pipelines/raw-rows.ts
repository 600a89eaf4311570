// Hands an export's records to DuckDB's CSV reader as clean UTF-8 text, each
// record prefixed with the physical line it started on, into the temp table
// raw_rows(line_no, c0, c1, …) of text. Records that cannot be rows (wrong
// field count, cut off inside quotes, bytes not valid in the file's encoding)
// never reach DuckDB: they are returned as rejects with their line and reason.
//
// The text goes through a named pipe (FIFO): DuckDB reads while Node decodes,
// and no copy of the file is written. Where mkfifo is not available (or with
// PLEDGE_INGEST_VIA=file) it goes through a temp file instead; the benchmark
// compares the two.
import { sqlLiteral } from './sql-text.ts';
import { execFileSync } from 'node:child_process';
import { createWriteStream, constants, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from './db.ts';
import { countFields, type CsvRecord } from './csv-records.ts';

export interface ScanReject { line: number; reason: string; raw: string }
export interface RawLoad { via: 'fifo' | 'file'; scanRejects: ScanReject[]; rowsPassed: number }


export async function loadRawRows(wh: Warehouse, records: AsyncIterable<CsvRecord>, width: number, delimiter: string): Promise<RawLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'pledge-ingest-'));
  const path = join(dir, 'rows.csv');
  const via = process.env.PLEDGE_INGEST_VIA === 'file' ? 'file' : makeFifo(path) ? 'fifo' : 'file';
  const scanRejects: ScanReject[] = [];
  let rowsPassed = 0;
  let writerDone = false;
  const writer = (async () => {
    const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      const cols = Array.from({ length: width }, (_, i) => `c${i}`);
      out.write(`line_no${delimiter}${cols.join(delimiter)}\n`);
      for await (const r of records) {
        // Bytes the encoding cannot read come first: they can also be what broke the quoting.
        if (r.invalid) {
          scanRejects.push({ line: r.line, raw: r.text, reason: r.invalid });
          continue;
        }
        if (!r.closed) {
          scanRejects.push({ line: r.line, raw: r.text, reason: 'the file ends inside a quoted field (truncated export?)' });
          continue;
        }
        const n = countFields(r.text, delimiter);
        if (n !== width) {
          scanRejects.push({ line: r.line, raw: r.text, reason: `wrong field count: ${n} field${n === 1 ? '' : 's'}, the header has ${width}` });
          continue;
        }
        rowsPassed++;
        if (!out.write(`${r.line}${delimiter}${r.text}\n`)) await once(out, 'drain');
      }
    } finally {
      out.end();
      await once(out, 'close').catch(() => undefined);
      writerDone = true;
    }
  })();

  const columns = `{'line_no': 'BIGINT', ${Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
  const read = () => wh.run(`drop table if exists raw_reader_rejects; drop table if exists raw_reader_scans;
    create or replace temp table raw_rows as
    select * from read_csv(${sqlLiteral(path)}, header = true, columns = ${columns}, delim = ${sqlLiteral(delimiter)}, quote = '"', escape = '"',
      new_line = '\\n', auto_detect = false, store_rejects = true, rejects_table = 'raw_reader_rejects',
      rejects_scan = 'raw_reader_scans', null_padding = false, strict_mode = true, parallel = false)`);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { via, scanRejects, rowsPassed };
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

// Loads one complaint export into the warehouse with DuckDB's own CSV reader.
// Nothing is lost: every data row is either loaded as a new version of its
// complaint or kept in `rejects` with its line, column, raw value and reason,
// and the import row records that read = loaded + rejected.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Warehouse } from './db.ts';
import { PledgeError, } from './errors.ts';
import { COMPLAINT_COLUMNS, REQUIRED_COLUMNS, WAREHOUSE_DDL, type ComplaintColumn } from './schema.ts';
import { readHeader } from './csv-header.ts';

export interface ImportSummary {
  file: string;
  importId: number;
  alreadyLoaded: boolean;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
}

export async function ensureWarehouse(wh: Warehouse): Promise<void> {
  await wh.run(WAREHOUSE_DDL);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Text → local timestamp, trying the formats real exports use; null when none fits. */
export const PARSE_LOCAL_TIMESTAMP_MACRO = `
create or replace temp macro pledge_local_ts(v) as coalesce(
  try_strptime(v, '%Y-%m-%d %H:%M:%S'),
  try_strptime(v, '%Y-%m-%d %H:%M'),
  try_strptime(v, '%Y/%m/%d %H:%M:%S'),
  try_strptime(v, '%Y/%m/%d %H:%M'),
  try_strptime(v, '%Y-%m-%d'),
  try_strptime(v, '%Y/%m/%d')
);`;

/** The SQL expression turning raw text column `c` into its canonical type, null when it does not parse. */
function typedExpr(column: ComplaintColumn, raw: string): string {
  const type = COMPLAINT_COLUMNS[column];
  const v = `nullif(trim(${raw}), '')`;
  switch (type) {
    // A local wall time in the policy's zone (the session zone) becomes an instant.
    case 'TIMESTAMPTZ': return `coalesce(pledge_local_ts(${v})::timestamptz, try_cast(${v} as timestamptz))`;
    case 'BOOLEAN': return `case lower(${v}) when 'true' then true when '1' then true when 'yes' then true when 'y' then true when '是' then true
      when 'false' then false when '0' then false when 'no' then false when 'n' then false when '否' then false end`;
    case 'INTEGER': return `try_cast(${v} as integer)`;
    case 'DOUBLE': return `try_cast(${v} as double)`;
    default: return v;
  }
}

export async function ingestFile(wh: Warehouse, path: string): Promise<ImportSummary> {
  const file = resolve(path);
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    throw new PledgeError(`${path}: no such file`);
  }
  const sha = await sha256File(file);
  const seen = await wh.rows('select import_id from imports where sha256 = $sha', { sha });
  if (seen.length) {
    const importId = Number(seen[0].import_id);
    const [r] = await wh.rows('select rows_read, rows_loaded, rows_rejected from imports where import_id = $importId', { importId });
    return { file: path, importId, alreadyLoaded: true, rowsRead: Number(r.rows_read), rowsLoaded: Number(r.rows_loaded), rowsRejected: Number(r.rows_rejected) };
  }

  const header = await readHeader(file);
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new PledgeError(`${path}: line 1: required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found (header has: ${header.slice(0, 30).join(', ') || 'nothing'})`);
  }
  const known = (Object.keys(COMPLAINT_COLUMNS) as ComplaintColumn[]).filter((c) => header.includes(c));

  // Read outside the transaction: temp tables are private to this session anyway, and
  // rowid only follows file order for committed rows.
  await readRaw(wh, file, header);
  await wh.run(PARSE_LOCAL_TIMESTAMP_MACRO);
  await wh.run('begin transaction');
  try {
    const importId = Number(await wh.value('select nextval(\'import_id_seq\')'));
    const summary = await loadRaw(wh, { importId, file, path, bytes, sha, known });
    await wh.run('commit');
    return summary;
  } catch (e) {
    await wh.run('rollback');
    throw e;
  }
}

/** DuckDB reads the file as text; rows it cannot split into the header's fields land in raw_reader_rejects. */
export async function readRaw(wh: Warehouse, file: string, header: string[]): Promise<void> {
  const columns = `{${header.map((h) => `${q(h)}: 'VARCHAR'`).join(', ')}}`;
  await wh.run('drop table if exists raw_reader_rejects; drop table if exists raw_reader_scans;');
  await wh.run(`create or replace temp table raw_rows as
    select * from read_csv(${q(file)}, header = true, columns = ${columns}, delim = ',', quote = '"', escape = '"',
      auto_detect = false, store_rejects = true, rejects_table = 'raw_reader_rejects', rejects_scan = 'raw_reader_scans',
      null_padding = false, strict_mode = true, parallel = false)`);
}

/** raw_rows → raw_numbered with each row's line in the file (line_no). */
export async function numberRawRows(wh: Warehouse): Promise<void> {
  // Line numbers: the reader keeps file order (rowid) but skips the rows it rejected,
  // so the n-th accepted row sits on the n-th line that is neither the header nor rejected.
  await wh.run(`create or replace temp table raw_numbered as
    with rejected_lines as (select distinct line from raw_reader_rejects),
    free_lines as (
      select line, row_number() over (order by line) - 1 as ordinal
      from range(2, (select count(*) from raw_rows) + (select count(*) from rejected_lines) + 2) t(line)
      where line not in (select line from rejected_lines)
    )
    select f.line as line_no, r.*
    from (select rowid as ordinal, * from raw_rows) r join free_lines f using (ordinal)`);
}

/** Rows DuckDB's reader could not split into the header's fields, kept in rejects (one per line). */
export async function insertReaderRejects(wh: Warehouse, importId: number, fileName: string): Promise<void> {
  await wh.run(`insert into rejects
    select ${importId}, ${q(fileName)}, line, column_name, null, lower(error_type) || ': ' || error_message, csv_line
    from raw_reader_rejects
    qualify row_number() over (partition by line order by column_idx) = 1`);
}

interface LoadContext { importId: number; file: string; path: string; bytes: number; sha: string; known: ComplaintColumn[] }

async function loadRaw(wh: Warehouse, ctx: LoadContext): Promise<ImportSummary> {
  const { importId, known } = ctx;
  const fileName = basename(ctx.file);
  await numberRawRows(wh);

  const typedSelect = known.map((c) => `${typedExpr(c, ident(c))} as ${c}`).join(',\n      ');
  const unparsable = known.filter((c) => c !== 'complaint_id' && !['VARCHAR'].includes(COMPLAINT_COLUMNS[c]))
    .map((c) => `select line_no, ${q(c)} as column_name, ${ident(c)} as raw_value,
        'cannot read ' || ${q(COMPLAINT_COLUMNS[c].toLowerCase())} || ' value' as reason
      from typed where ${ident(c)} is not null and trim(${ident(c)}) <> '' and typed_${c} is null`);

  await wh.run(`create or replace temp table typed as
    select r.*, ${known.map((c) => `${typedExpr(c, `r.${ident(c)}`)} as typed_${c}`).join(', ')}
    from raw_numbered r`);

  await wh.run(`create or replace temp table row_problems as
    select line_no, 'complaint_id' as column_name, complaint_id as raw_value, 'missing complaint_id' as reason
      from typed where typed_complaint_id is null
    ${unparsable.map((s) => `union all ${s}`).join('\n    ')}`);

  // A complaint_id twice in one export: identical rows are one record; different content is a conflict
  // nobody can settle from the file alone, so every copy is kept aside.
  await wh.run(`create or replace temp table duplicate_problems as
    with ok as (select * from typed where line_no not in (select line_no from row_problems)),
    content as (select line_no, typed_complaint_id as id, md5(to_json([${known.map((c) => `typed_${c}::varchar`).join(', ')}])::varchar) as h from ok),
    groups as (
      select id, count(distinct h) as versions, min(line_no) as first_line from content group by id having count(*) > 1
    )
    select c.line_no, 'complaint_id' as column_name, c.id as raw_value,
           case when g.versions > 1 then 'complaint_id appears on several lines with different content'
                else 'exact duplicate of line ' || g.first_line end as reason
    from content c join groups g using (id)
    where g.versions > 1 or c.line_no <> g.first_line`);

  await wh.run(`insert into complaint_versions (import_id, line_no, ${known.join(', ')})
    select ${importId}, line_no, ${known.map((c) => `typed_${c}`).join(', ')}
    from typed
    where line_no not in (select line_no from row_problems union all select line_no from duplicate_problems)
    order by line_no`);

  await wh.run(`insert into rejects
    select ${importId}, ${q(fileName)}, line_no, column_name, raw_value, reason,
           (select to_json(n)::varchar from raw_numbered n where n.line_no = p.line_no)
    from (from row_problems union all from duplicate_problems) p`);
  await insertReaderRejects(wh, importId, fileName);

  const [counts] = await wh.rows(`select
      (select count(*) from raw_rows) + (select count(distinct line) from raw_reader_rejects) as rows_read,
      (select count(*) from complaint_versions where import_id = ${importId}) as rows_loaded,
      (select count(distinct line_no) from rejects where import_id = ${importId}) as rows_rejected`);
  const rowsRead = Number(counts.rows_read), rowsLoaded = Number(counts.rows_loaded), rowsRejected = Number(counts.rows_rejected);
  if (rowsRead !== rowsLoaded + rowsRejected) {
    throw new PledgeError(`${ctx.path}: row accounting does not add up (read ${rowsRead}, loaded ${rowsLoaded}, rejected ${rowsRejected}); nothing was imported`);
  }
  await wh.run(`insert into imports values ($importId, 'complaints', $name, $path, $sha, $bytes, 'utf-8', $read, $loaded, $rejected, now())`, {
    importId, name: fileName, path: ctx.file, sha: ctx.sha, bytes: ctx.bytes, read: rowsRead, loaded: rowsLoaded, rejected: rowsRejected,
  });
  return { file: ctx.path, importId, alreadyLoaded: false, rowsRead, rowsLoaded, rowsRejected };
}

// Loads one flow log (工单流转记录: complaint_id, at, event, actor, team, detail) into
// event_versions, with the same accounting as complaint exports: every data row is
// either loaded or kept in `rejects` with its line, column, raw value and reason,
// and the import row records that read = loaded + rejected.
// Event names (English or as Chinese systems write them) are mapped in one place,
// EVENT_NAMES below, loaded as a small table so the mapping itself is set-based SQL.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Warehouse } from './db.ts';
import { PledgeError } from './errors.ts';
import { readHeader } from './csv-header.ts';
import { EVENT_VERSIONS_DDL } from './schema.ts';
import {
  PARSE_LOCAL_TIMESTAMP_MACRO, type ImportSummary, ident, ingestFile, insertReaderRejects, numberRawRows, q, readRaw, sha256File,
} from './ingest.ts';

/** Canonical event log columns and the header names real exports use for them. */
export const EVENT_COLUMNS = {
  complaint_id: ['complaint_id', '工单编号', '投诉编号'],
  at: ['at', '时间', '操作时间'],
  event: ['event', '事件', '操作'],
  actor: ['actor', '操作人'],
  team: ['team', '处理部门', '接收部门'],
  detail: ['detail', '说明', '备注'],
} as const;
type EventColumn = keyof typeof EVENT_COLUMNS;
const REQUIRED_EVENT_COLUMNS: EventColumn[] = ['complaint_id', 'at', 'event'];

/**
 * Canonical event → the names exports write for it. Clock events first, then stage
 * events (named for the stage column without `_at`), which fill or confirm stage times.
 */
export const EVENT_NAMES: Record<string, string[]> = {
  paused: ['paused', '挂起', '中止'],
  resumed: ['resumed', '恢复'],
  extension_approved: ['extension_approved', '延期'],
  transferred: ['transferred', '转办'],
  returned: ['returned', '退回'],
  reopened: ['reopened', '重办'],
  received: ['received', '受理'],
  registered: ['registered', '登记'],
  first_response: ['first_response', '首次响应'],
  escalated: ['escalated', '上报'],
  plan: ['plan', '初步方案'],
  resolved: ['resolved', '办结'],
  feedback: ['feedback', '反馈'],
  survey: ['survey', '回访'],
  archived: ['archived', '归档'],
};

/** The column of each canonical name present in the header (first synonym found wins). */
function mapHeader(header: string[]): Partial<Record<EventColumn, string>> {
  const found: Partial<Record<EventColumn, string>> = {};
  for (const [col, names] of Object.entries(EVENT_COLUMNS) as [EventColumn, readonly string[]][]) {
    const hit = names.find((n) => header.includes(n));
    if (hit) found[col] = hit;
  }
  return found;
}

/** A flow log is recognised by its header: complaint_id, at and event, and no received_at. */
export function isEventLogHeader(header: string[]): boolean {
  const m = mapHeader(header);
  return REQUIRED_EVENT_COLUMNS.every((c) => m[c]) && !header.includes('received_at');
}

export async function ingestEventFile(wh: Warehouse, path: string): Promise<ImportSummary> {
  const file = resolve(path);
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    throw new PledgeError(`${path}: no such file`);
  }
  const sha = await sha256File(file);
  const seen = await wh.rows('select import_id, rows_read, rows_loaded, rows_rejected from imports where sha256 = $sha', { sha });
  if (seen.length) {
    const r = seen[0];
    return { file: path, importId: Number(r.import_id), alreadyLoaded: true, rowsRead: Number(r.rows_read), rowsLoaded: Number(r.rows_loaded), rowsRejected: Number(r.rows_rejected) };
  }
  const header = await readHeader(file);
  const columns = mapHeader(header);
  const missing = REQUIRED_EVENT_COLUMNS.filter((c) => !columns[c]);
  if (missing.length) throw new PledgeError(`${path}: line 1: event log column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`);

  await readRaw(wh, file, header);
  await wh.run(PARSE_LOCAL_TIMESTAMP_MACRO);
  await loadEventNames(wh);
  await wh.run('begin transaction');
  try {
    const importId = Number(await wh.value('select nextval(\'import_id_seq\')'));
    const summary = await loadEvents(wh, { importId, file, path, bytes, sha, columns });
    await wh.run('commit');
    return summary;
  } catch (e) {
    await wh.run('rollback');
    throw e;
  }
}

async function loadEventNames(wh: Warehouse): Promise<void> {
  const rows = Object.entries(EVENT_NAMES).flatMap(([event, names]) => names.map((name) => ({ event, name })));
  await wh.run(`create or replace temp table event_name_map as
    select unnest(from_json($data, '[{"event":"VARCHAR","name":"VARCHAR"}]'), recursive := true)`, { data: JSON.stringify(rows) });
}

interface EventLoad {
  importId: number; file: string; path: string; bytes: number; sha: string;
  columns: Partial<Record<EventColumn, string>>;
}

async function loadEvents(wh: Warehouse, ctx: EventLoad): Promise<ImportSummary> {
  const { importId, columns } = ctx;
  const fileName = basename(ctx.file);
  await numberRawRows(wh);
  const col = (c: EventColumn) => (columns[c] ? `nullif(trim(r.${ident(columns[c]!)}), '')` : 'null::varchar');

  await wh.run(`create or replace temp table typed_events as
    select r.line_no, ${col('complaint_id')} as complaint_id, ${col('at')} as at_raw, ${col('event')} as event_raw,
           ${col('actor')} as actor, ${col('team')} as team, ${col('detail')} as detail,
           coalesce(pledge_local_ts(${col('at')})::timestamptz, try_cast(${col('at')} as timestamptz)) as event_at,
           m.event
    from raw_numbered r
    left join event_name_map m on lower(m.name) = lower(${col('event')})`);

  // One reason per problem; a row with several problems is one rejected row with several reasons.
  await wh.run(`create or replace temp table event_problems as
    select line_no, ${q(columns.complaint_id!)} as column_name, complaint_id as raw_value, 'missing complaint_id' as reason
      from typed_events where complaint_id is null
    union all
    select line_no, ${q(columns.at!)}, at_raw, case when at_raw is null then 'missing time' else 'cannot read timestamptz value' end
      from typed_events where event_at is null
    union all
    select line_no, ${q(columns.event!)}, event_raw, 'unknown event (known: ' || (select string_agg(distinct event, ', ' order by event) from event_name_map) || ')'
      from typed_events where event is null
    union all
    select line_no, ${q(columns.detail ?? 'detail')}, detail, 'extension_approved needs a duration in detail (e.g. 5wd; units m, h, d, wh, wd)'
      from typed_events where event = 'extension_approved' and not regexp_full_match(coalesce(trim(detail), ''), '[0-9]+(m|h|d|wh|wd)')`);

  // The same event twice in one file is one record; later copies are kept aside.
  await wh.run(`create or replace temp table event_duplicates as
    with ok as (select * from typed_events where line_no not in (select line_no from event_problems)),
    copies as (
      select line_no, complaint_id,
             min(line_no) over (partition by complaint_id, event_at, event, actor, team, detail) as first_line
      from ok
    )
    select line_no, ${q(columns.complaint_id!)} as column_name, complaint_id as raw_value,
           'exact duplicate of line ' || first_line as reason
    from copies where line_no <> first_line`);

  await wh.run(`insert into event_versions
    select ${importId}, line_no, complaint_id, event_at, event, event_raw, actor, team, detail
    from typed_events
    where line_no not in (select line_no from event_problems union all select line_no from event_duplicates)
    order by line_no`);
  await wh.run(`insert into rejects
    select ${importId}, ${q(fileName)}, line_no, column_name, raw_value, reason,
           (select to_json(n)::varchar from raw_numbered n where n.line_no = p.line_no)
    from (from event_problems union all from event_duplicates) p`);
  await insertReaderRejects(wh, importId, fileName);

  const [counts] = await wh.rows(`select
      (select count(*) from raw_rows) + (select count(distinct line) from raw_reader_rejects) as rows_read,
      (select count(*) from event_versions where import_id = ${importId}) as rows_loaded,
      (select count(distinct line_no) from rejects where import_id = ${importId}) as rows_rejected`);
  const rowsRead = Number(counts.rows_read), rowsLoaded = Number(counts.rows_loaded), rowsRejected = Number(counts.rows_rejected);
  if (rowsRead !== rowsLoaded + rowsRejected) {
    throw new PledgeError(`${ctx.path}: row accounting does not add up (read ${rowsRead}, loaded ${rowsLoaded}, rejected ${rowsRejected}); nothing was imported`);
  }
  await wh.run(`insert into imports values ($importId, 'events', $name, $path, $sha, $bytes, 'utf-8', $read, $loaded, $rejected, now())`, {
    importId, name: fileName, path: ctx.file, sha: ctx.sha, bytes: ctx.bytes, read: rowsRead, loaded: rowsLoaded, rejected: rowsRejected,
  });
  return { file: ctx.path, importId, alreadyLoaded: false, rowsRead, rowsLoaded, rowsRejected };
}

/**
 * A warehouse made before flow logs existed has no event_versions table; a report
 * session (read-only) then sees an empty temporary one, so every view still works.
 */
export async function ensureEventVersions(wh: Warehouse): Promise<void> {
  const found = await wh.value(`select count(*) from duckdb_tables() where table_name = 'event_versions'`);
  if (!Number(found)) await wh.run(EVENT_VERSIONS_DDL.replace('create table', 'create temp table'));
}

/** Ingests a complaint export or a flow log, told apart by the header. */
export async function ingestExport(wh: Warehouse, path: string): Promise<ImportSummary> {
  let header: string[] = [];
  try {
    header = await readHeader(resolve(path));
  } catch {
    throw new PledgeError(`${path}: no such file`);
  }
  return isEventLogHeader(header) ? ingestEventFile(wh, path) : ingestFile(wh, path);
}

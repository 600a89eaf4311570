// Loads one export into the warehouse. Nothing is lost: every data record is
// either loaded as a new version of its record or kept in `rejects` with its
// line, column, raw value and reason, and the import row records that
// read = loaded + rejected.
//
//   file ─► decode (any encoding, or a workbook) ─► split records with line numbers
//        ─► header → canonical columns (synonyms + profile) ─► DuckDB raw_rows (text)
//        ─► typed values, row problems, duplicates (SQL) ─► <kind table> + rejects + imports
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { paramsFor, type Params, type Warehouse } from '../warehouse/db.ts';
import { sqlLiteral } from '../core/sql-text.ts';
import { PledgeError } from '../core/errors.ts';
import { exportKind, kindForHeader, kindsFor, type ExportKind } from './kinds.ts';
import type { Stage } from '../warehouse/stages.ts';
import { checkProfileAgainstKind, dateFormat, EMPTY_PROFILE, mapHeader, type HeaderMapping, type Profile } from './profiles.ts';
import { openExport } from './source.ts';
import { loadRawRows } from './raw-rows.ts';
import { inFile } from './limits.ts';
import { mappedText, PARSE_LOCAL_TIMESTAMP_MACRO, typedExpr, unparsableReason, unparsableWhere, type ValueSpec } from './typed-values.ts';
import { timed } from '../core/timings.ts';
import { attachPersonalForWrite, forgetPersonal, recordPersonalImport, keyParams, maskedSelect, PERSONAL_COLUMNS, writePersonal, type PersonalTable } from '../privacy/personal.ts';
import { installMasking, loadPseudonymKey } from '../privacy/keys.ts';

export { PARSE_LOCAL_TIMESTAMP_MACRO } from './typed-values.ts';

export interface IngestOptions {
  profile?: Profile;
  /** Overrides detection (and the profile's encoding). */
  encoding?: string;
  /** Workbook sheet (default: the profile's, else the first). */
  sheet?: string;
  /** When the export was made, local to the policy zone; default: the file's modification time. */
  exportedAt?: string;
  /**
   * Whether exportedAt is the export's own time (default: it was given). Only a given time says
   * where the data ends (queries/staging/stg_data_horizon.sql); pledge verify passes the
   * recorded file time back with false.
   */
  exportedAtGiven?: boolean;
  /** The export lists every record (default: the profile's full_export). */
  full?: boolean;
  /**
   * The pseudonym key customer ids are stored under (default: the warehouse's own key file,
   * or a throwaway key for an in-memory warehouse, whose pseudonyms nobody links to later).
   */
  key?: Buffer;
  /**
   * The policy's own stages (policy.customStages): their columns and event names are read
   * from the export like the built-in ones (the warehouse has their columns: ensureWarehouse).
   */
  stages?: readonly Stage[];
}

export interface ImportSummary {
  file: string;
  importId: number;
  alreadyLoaded: boolean;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  kind?: string;
  encoding?: string;
  encodingHow?: string;
  sheet?: string;
  via?: 'fifo' | 'file';
  mapping?: HeaderMapping;
  header?: string[];
}

// The warehouse's tables are made in schema.ts (report sessions read them without the ingest code).
export { ensureWarehouse, ensureEventVersions } from '../warehouse/schema.ts';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


export async function ingestFile(wh: Warehouse, path: string, opts: IngestOptions = {}): Promise<ImportSummary> {
  const file = resolve(path);
  let bytes: number;
  let mtime: Date;
  try {
    const st = statSync(file);
    bytes = st.size;
    mtime = st.mtime;
  } catch {
    throw new PledgeError(`${path}: no such file`);
  }
  const sha = await timed('ingest.hash', () => sha256File(file));
  const seen = await wh.rows('select import_id, rows_read, rows_loaded, rows_rejected, kind from imports where sha256 = $sha', { sha });
  if (seen.length) {
    const r = seen[0];
    return { file: path, importId: Number(r.import_id), alreadyLoaded: true, kind: String(r.kind), rowsRead: Number(r.rows_read), rowsLoaded: Number(r.rows_loaded), rowsRejected: Number(r.rows_rejected) };
  }

  const profile = opts.profile ?? EMPTY_PROFILE;
  const kinds = kindsFor(opts.stages);
  const named = profile.kind === undefined ? undefined : exportKind(profile.kind, kinds);
  if (profile.kind !== undefined && !named) throw new PledgeError(`${profile.path ?? 'profile'}: kind: "${profile.kind}" is not a kind of export Pledge reads`);
  if (named) checkProfileAgainstKind(profile, named);
  const exportedAt = opts.exportedAt ?? mtime.toISOString();
  if (!(await wh.value('select try_cast($v as timestamptz) is not null', { v: exportedAt.replace('T', ' ') }))) {
    throw new PledgeError(`--exported-at: "${exportedAt}" is not an instant (try "2025-11-01 00:00")`);
  }
  // A limit met while reading (a line past LIMITS.line) is found where the file's path is not known: named here.
  const source = await openExport(path, { encoding: opts.encoding ?? profile.encoding, sheet: opts.sheet ?? profile.sheet }).catch((e) => { throw inFile(e, path); });
  let mapping: HeaderMapping;
  // Without a profile naming it, the header tells a flow log from a complaint export.
  const kind = named ?? kindForHeader(source.header, kinds);
  try {
    if (!named) checkProfileAgainstKind(profile, kind);
    mapping = mapHeader(source.header, kind, profile, path);
  } catch (e) {
    await source.close();
    throw e;
  }

  await wh.run(PARSE_LOCAL_TIMESTAMP_MACRO);
  await installMasking(wh);
  await attachPersonalForWrite(wh);
  const key = opts.key ?? loadPseudonymKey(wh.path);
  await loadValueMap(wh, kind, profile);
  // Read outside the transaction: the temp tables are private to this session anyway.
  const feeds = source.header.map((_, i) => mapping.sources.find((s) => s.index === i)?.column);
  const raw = await timed('ingest.parse', () => loadRawRows(wh, source.records, { header: source.header, feeds }, source.delimiter))
    .catch((e) => { throw inFile(e, path); });
  const specs = valueSpecs(kind, mapping, profile);
  const params = parameters(specs, mapping, profile);
  await timed('ingest.validate', () => typeRows(wh, kind, mapping, specs, params));

  // The values as read go to the personal file first, in its own transaction (one DuckDB
  // transaction writes one database); if the warehouse's transaction then fails, they are
  // removed again (and a kill in between leaves rows no import names, forgotten on the next ingest).
  const importId = Number(await wh.value('select nextval(\'import_id_seq\')'));
  await timed('ingest.rejects', () => collectRejects(wh, source.header.length));
  await timed('ingest.personal', async () => {
    await recordPersonalImport(wh, importId, sha);
    await loadPersonal(wh, kind, importId);
  });
  try {
    // The transaction helper reports a failed commit as itself (a full disk), never as the rollback after it.
    return await wh.transaction(`the import of ${path}`, async () => {
      const counts = await timed('ingest.version_and_rejects', () => loadRows(wh, kind, importId, basename(file), keyParams(key)));
      const rowsRead = raw.scanRejected + raw.rowsPassed;
      if (counts.readByDuckdb !== raw.rowsPassed || rowsRead !== counts.loaded + counts.rejected) {
        throw new PledgeError(`${path}: row accounting does not add up (read ${rowsRead}, DuckDB read ${counts.readByDuckdb} of ${raw.rowsPassed}, loaded ${counts.loaded}, rejected ${counts.rejected}); nothing was imported`);
      }
      await wh.run(`insert into imports (import_id, kind, file_name, file_path, sha256, bytes, encoding, rows_read, rows_loaded, rows_rejected, imported_at,
          exported_at, exported_at_given, full_export, profile, profile_sha256, profile_text, sheet)
        values ($importId, $kind, $name, $path, $sha, $bytes, $encoding, $read, $loaded, $rejected, now(), $exportedAt::timestamptz, $given, $full, $profile,
          $profileSha, $profileText, $sheet)`, {
        given: opts.exportedAtGiven ?? opts.exportedAt !== undefined,
        importId, kind: kind.name, name: basename(file), path: file, sha, bytes, encoding: source.detected.encoding,
        read: rowsRead, loaded: counts.loaded, rejected: counts.rejected, exportedAt: exportedAt.replace('T', ' '),
        full: opts.full ?? profile.full_export, profile: profile.path ?? null,
        profileSha: profile.text === undefined ? null : createHash('sha256').update(profile.text, 'utf8').digest('hex'),
        profileText: profile.text ?? null, sheet: source.sheet ?? null,
      });
      return {
        file: path, importId, alreadyLoaded: false, rowsRead, rowsLoaded: counts.loaded, rowsRejected: counts.rejected,
        kind: kind.name, encoding: source.detected.encoding, encodingHow: source.detected.how, sheet: source.sheet, via: raw.via,
        mapping, header: source.header,
      };
    });
  } catch (e) {
    // The personal rows go again; if even that fails (the disk still full), the next ingest
    // forgets rows no import names. Either way the first cause is what is reported.
    await forgetPersonal(wh, importId).catch(() => undefined);
    throw e;
  }
}

/** The kind's built-in value mappings, then the profile's (which win for the same export value). */
async function loadValueMap(wh: Warehouse, kind: ExportKind, profile: Profile): Promise<void> {
  const rows: { column_name: string; from_key: string; to_value: string }[] = [];
  for (const source of [kind.values ?? {}, profile.values]) {
    for (const [column, map] of Object.entries(source)) {
      for (const [from, to] of Object.entries(map)) rows.push({ column_name: column, from_key: from.trim().toLowerCase(), to_value: to });
    }
  }
  await wh.run(`create or replace temp table ingest_value_map as
    select column_name, from_key, last(to_value order by ord) as to_value
    from (select unnest(from_json($rows, '[{"column_name":"VARCHAR","from_key":"VARCHAR","to_value":"VARCHAR"}]'), recursive := true),
                 generate_subscripts(from_json($rows, '["JSON"]'), 1) as ord)
    group by all`, { rows: JSON.stringify(rows) });
}

function valueSpecs(kind: ExportKind, mapping: HeaderMapping, profile: Profile): ValueSpec[] {
  const where = profile.path ?? 'profile';
  return mapping.sources.map((s) => {
    const type = kind.columns[s.column];
    const fmt = profile.date_formats[s.column] ?? (type === 'TIMESTAMPTZ' ? profile.date_format : undefined);
    return { column: s.column, type, mapped: s.column in profile.values || s.column in (kind.values ?? {}), dateFormat: fmt ? dateFormat(fmt, `${where}: date_format`) : undefined };
  });
}

function parameters(specs: ValueSpec[], mapping: HeaderMapping, profile: Profile): Params {
  const params: Params = {};
  for (const s of specs) {
    if (!s.dateFormat || s.dateFormat === 'excel') continue;
    params[`fmt_${s.column}`] = s.dateFormat;
    params[`fmtd_${s.column}`] = s.dateFormat.split(/[ T]/)[0];
  }
  for (const s of mapping.sources) if (s.constant !== undefined) params[`const_${s.column}`] = profile.constants[s.column];
  return params;
}

/** typed: one row per data row DuckDB read, with each column's text (src_) and typed value (typed_). */
async function typeRows(wh: Warehouse, kind: ExportKind, mapping: HeaderMapping, specs: ValueSpec[], params: Params): Promise<void> {
  const cols = mapping.sources.map((s, i) => {
    const src = s.index === null ? `$const_${s.column}::varchar` : `r.c${s.index}`;
    return `${src} as src_${s.column}, ${typedExpr(specs[i], mappedText(specs[i], src))} as typed_${s.column}`;
  });
  // Columns the export does not have are null, so a kind's table columns can always name them.
  const absent = Object.entries(kind.columns).filter(([c]) => !mapping.sources.some((s) => s.column === c))
    .map(([c, type]) => `null::varchar as src_${c}, null::${type} as typed_${c}`);
  const sql = `create or replace temp table typed as
    select r.line_no, ${[...cols, ...absent].join(',\n      ')}
    from raw_rows r`;
  await wh.run(sql, paramsFor(sql, params));

  const id = kind.idColumn;
  const unparsable = specs.filter((s) => s.column !== id && s.type !== 'VARCHAR')
    .map((s) => `select line_no, '${s.column}' as column_name, src_${s.column} as raw_value,
        ${unparsableReason(s, `trim(src_${s.column})`)} as reason
      from typed where ${unparsableWhere(s, `src_${s.column}`, `typed_${s.column}`)}`);
  const closedLists = Object.entries(kind.allowed ?? {}).filter(([c]) => specs.some((s) => s.column === c))
    .map(([c, list]) => `select line_no, '${c}' as column_name, src_${c} as raw_value,
        'unknown ${c} "' || typed_${c} || '" (known: ${list.join(', ')})' as reason
      from typed where typed_${c} is not null and typed_${c} not in (${list.map((v) => `'${v}'`).join(', ')})`);
  const checks = [...unparsable, ...closedLists, ...(kind.rowChecks ?? [])];
  const problems = `create or replace temp table row_problems as
    select line_no, '${id}' as column_name, src_${id} as raw_value, 'missing ${id}' as reason
      from typed where typed_${id} is null
    ${checks.map((s) => `union all ${s}`).join('\n    ')}`;
  await wh.run(problems, paramsFor(problems, params));

  // A record twice in one export: identical rows are one record; for a one-row-per-record
  // export, different content is a conflict nobody can settle from the file alone, so
  // every copy is kept aside.
  const content = `md5(to_json([${mapping.sources.map((s) => `typed_${s.column}::varchar`).join(', ')}])::varchar)`;
  const key = kind.oneRowPerRecord ? `typed_${id}` : content;
  await wh.run(`create or replace temp table duplicate_problems as
    with ok as (select * from typed where line_no not in (select line_no from row_problems)),
    -- Only rows whose id occurs more than once need their content hashed.
    repeated as (select * from ok ${kind.oneRowPerRecord ? `where typed_${id} in (select typed_${id} from ok group by all having count(*) > 1)` : ''}),
    content as (select line_no, typed_${id} as id, ${key} as k, ${content} as h from repeated),
    groups as (
      select k, count(distinct h) as versions, min(line_no) as first_line from content group by k having count(*) > 1
    )
    select c.line_no, '${id}' as column_name, c.id as raw_value,
           case when g.versions > 1 then '${id} appears on several lines with different content'
                else 'exact duplicate of line ' || g.first_line end as reason
    from content c join groups g using (k)
    where g.versions > 1 or c.line_no <> g.first_line`);
}

interface LoadCounts { readByDuckdb: number; loaded: number; rejected: number }

const LOADED = 'line_no not in (select line_no from row_problems union all select line_no from duplicate_problems)';

/** The kind's table columns as SQL over `typed`: every canonical column, null where the export has none. */
function tableColumns(kind: ExportKind): Record<string, string> {
  return kind.tableColumns ?? Object.fromEntries(Object.keys(kind.columns).map((c) => [c, `typed_${c}`]));
}

/** Every rejected row of this file with its values as read: the warehouse gets them masked, the personal file as they are. */
async function collectRejects(wh: Warehouse, width: number): Promise<void> {
  await wh.run(`create or replace temp table ingest_rejects (line_no bigint, column_name varchar, raw_value varchar, reason varchar, raw_line varchar)`);
  // A rejected row's raw_line: its fields as a JSON list, in the export's column order.
  await wh.run(`insert into ingest_rejects
    select p.line_no, p.column_name, p.raw_value, p.reason,
           (select to_json([${Array.from({ length: width }, (_, i) => `r.c${i}`).join(', ')}])::varchar from raw_rows r where r.line_no = p.line_no)
    from (from row_problems union all from duplicate_problems) p`);
  // DuckDB's reader is the last line of defence (e.g. text after a closing quote):
  // its csv_line carries the line number Pledge put in front of each record.
  await wh.run(`insert into ingest_rejects
    select try_cast(regexp_extract(csv_line, '^([0-9]+)', 1) as bigint), null, null,
           lower(error_type) || ': ' || error_message, regexp_replace(csv_line, '^[0-9]+.', '')
    from raw_reader_rejects
    qualify row_number() over (partition by line order by column_idx) = 1`);
  // The records that never became rows (raw-rows.ts), as DuckDB read them from the file they were streamed to.
  await wh.run(`insert into ingest_rejects select line_no, column_name, raw_value, reason, raw_line from scan_rejects`);
}

/** The personal values of the loaded rows and of the rejects, as read, into the personal file. */
async function loadPersonal(wh: Warehouse, kind: ExportKind, importId: number): Promise<void> {
  const table = kind.table as PersonalTable;
  const target = tableColumns(kind);
  const personal = Object.keys(PERSONAL_COLUMNS[table].columns);
  await writePersonal(wh, table, `select ${importId} as import_id, line_no, ${personal.map((c) => `${target[c] ?? 'null'} as ${c}`).join(', ')}
    from typed where ${LOADED}`);
  await writePersonal(wh, 'rejects', `select ${importId} as import_id, line_no, column_name, raw_value, raw_line from ingest_rejects`);
}

async function loadRows(wh: Warehouse, kind: ExportKind, importId: number, fileName: string, key: Params): Promise<LoadCounts> {
  const table = kind.table as PersonalTable;
  const target = tableColumns(kind);
  const rows = `select ${importId} as import_id, line_no, ${Object.entries(target).map(([c, e]) => `${e} as ${c}`).join(', ')}
    from typed where ${LOADED}`;
  const insertRows = `insert into ${kind.table} by name ${maskedSelect(table, rows)} order by line_no`;
  await wh.run(insertRows, paramsFor(insertRows, key));
  const rejects = `select ${importId} as import_id, ${sqlLiteral(fileName)} as file_name, line_no, column_name, raw_value, reason, raw_line from ingest_rejects`;
  const insertRejects = `insert into rejects by name ${maskedSelect('rejects', rejects)}`;
  await wh.run(insertRejects, paramsFor(insertRejects, key));
  const [counts] = await wh.rows(`select
      (select count(*) from raw_rows) + (select count(distinct line) from raw_reader_rejects) as read_by_duckdb,
      (select count(*) from ${kind.table} where import_id = ${importId}) as loaded,
      (select count(distinct line_no) from rejects where import_id = ${importId}) as rejected`);
  return { readByDuckdb: Number(counts.read_by_duckdb), loaded: Number(counts.loaded), rejected: Number(counts.rejected) };
}

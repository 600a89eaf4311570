import type { Warehouse } from './db.ts';
import { STAGE_LIST, type Stage, type StageColumn } from './stages.ts';
// The warehouse's own tables: what was imported, every version of every record,
// and every row that could not be loaded. Created once, never rewritten:
// ingesting adds rows, it does not update or delete them (禁止篡改).

/** Every stage column as TIMESTAMPTZ, in stage order, with `extra` columns placed right after the stage `after`. */
function stageColumnTypes<E extends Record<string, string>>(after: StageColumn, extra: E): Record<StageColumn, 'TIMESTAMPTZ'> & E {
  return Object.fromEntries(STAGE_LIST.flatMap((s) => [[s.column, 'TIMESTAMPTZ'], ...(s.column === after ? Object.entries(extra) : [])])) as Record<StageColumn, 'TIMESTAMPTZ'> & E;
}

/** Canonical complaint columns, in export order, with their warehouse types. */
export const COMPLAINT_COLUMNS = {
  complaint_id: 'VARCHAR',
  channel: 'VARCHAR',
  severity: 'VARCHAR',
  category: 'VARCHAR',
  department: 'VARCHAR',
  team: 'VARCHAR',
  handler: 'VARCHAR',
  first_handler: 'VARCHAR',
  customer_id: 'VARCHAR',
  customer_name: 'VARCHAR',
  customer_phone: 'VARCHAR',
  customer_segment: 'VARCHAR',
  is_valid: 'BOOLEAN',
  reopened_count: 'INTEGER',
  // The stage times (stages.ts), with the satisfaction score after the follow-up that
  // asked for it: the column order of exports and of every warehouse made so far.
  ...stageColumnTypes('survey_at', { satisfaction: 'DOUBLE' } as const),
  description: 'VARCHAR',
  // The export's own status or outcome text (处理状态, "Closed with explanation"):
  // kept as evidence beside the stage times, never used instead of them.
  outcome: 'VARCHAR',
} as const;

export type ComplaintColumn = keyof typeof COMPLAINT_COLUMNS;
export const REQUIRED_COLUMNS: ComplaintColumn[] = ['complaint_id', 'received_at'];

const complaintColumnsDdl = Object.entries(COMPLAINT_COLUMNS).map(([c, t]) => `  ${c} ${t}`).join(',\n');

/** Flow-log events (工单流转记录): one row per event row loaded; the EVENTS kind in src/ingest/kinds.ts. */
export const EVENT_VERSIONS_DDL = `-- Flow-log events (工单流转记录), one row per event row read; the EVENTS kind in src/ingest/kinds.ts.
create table if not exists event_versions (
  import_id    integer not null,
  line_no      bigint not null,
  complaint_id varchar not null,
  event_at     timestamptz not null,   -- the "at" column
  event        varchar not null,       -- canonical name (paused, resumed, extension_approved, ...)
  event_raw    varchar not null,       -- as the export wrote it (e.g. 挂起)
  actor        varchar,
  team         varchar,
  detail       varchar
);`;

/** Appeals (申诉记录): one row per appeal row loaded; the APPEALS kind in src/ingest/kinds.ts. */
export const APPEAL_VERSIONS_DDL = `-- Appeals (申诉记录), one row per appeal row read; the APPEALS kind in src/ingest/kinds.ts.
create table if not exists appeal_versions (
  import_id    integer not null,
  line_no      bigint not null,
  complaint_id varchar not null,
  commitment   varchar,                -- the commitment appealed; null: the whole complaint
  filed_at     timestamptz not null,
  decided_at   timestamptz,            -- null while pending
  decision     varchar not null,       -- approved | rejected | pending
  decision_raw varchar not null,       -- as the export wrote it (e.g. 通过)
  reason       varchar                 -- masked (the personal file keeps it as read)
);`;

/**
 * The figures of closed months as they were published (pledge close, src/models/close.ts):
 * written once per close and never updated; a --reclose adds the month again with the next
 * close_no, and queries/kpi/kpi_published_monthly.sql reads the latest close of each month.
 */
export const PUBLISHED_KPI_DDL = `-- Published figures of closed months (src/models/close.ts); a reclose adds rows, none is changed.
create table if not exists published_kpi (
  month          date not null,         -- the closed month (first day)
  close_no       integer not null,      -- 1 for the month's first close, 2 for its first --reclose, …
  level          varchar not null,      -- organisation | department | team (as kpi_unit_monthly)
  department     varchar,
  team           varchar,
  unit           varchar,
  kpi            varchar not null,
  numerator      double,
  denominator    double,
  actual         double,
  unknown        double,                -- what could not be judged, and so the verdict as published:
  judged_share   double,                --   denominator / (denominator + unknown)
  on_target      boolean,               --   null when it could not be judged (kpi_unit_monthly)
  as_of          timestamptz not null,  -- the instant the figures were computed at: the end of the month
  closed_at      timestamptz not null,  -- when the close was made (a record of the act, not an input)
  close_reason   varchar not null,      -- pledge close | settled (…) | --reclose: <why>
  policy_file    varchar not null,      -- the policy file in force
  policy_sha256  varchar not null,      -- SHA-256 of its text
  last_import_id integer,               -- the latest import the figures saw
  pledge_version varchar not null
);`;

export const WAREHOUSE_DDL = `
create sequence if not exists import_id_seq start 1;
create table if not exists imports (
  import_id     integer primary key,
  kind          varchar not null,      -- complaints | events
  file_name     varchar not null,
  file_path     varchar not null,
  sha256        varchar not null unique,
  bytes         bigint not null,
  encoding      varchar not null,
  rows_read     bigint not null,
  rows_loaded   bigint not null,
  rows_rejected bigint not null,
  imported_at   timestamptz not null
);
-- Added by the ingest of real exports; "if not exists" keeps older warehouses readable.
alter table imports add column if not exists exported_at timestamptz;  -- when the export was made (--exported-at, else file time)
alter table imports add column if not exists full_export boolean;      -- lists every record: one missing later is a finding
alter table imports add column if not exists profile varchar;          -- header profile file used, if any
-- What ingest was told, so that pledge verify can load the file again the same way.
alter table imports add column if not exists profile_sha256 varchar;   -- SHA-256 of profile_text (UTF-8)
alter table imports add column if not exists profile_text varchar;     -- the profile exactly as read
alter table imports add column if not exists sheet varchar;            -- workbook sheet read (.xlsx)
alter table imports add column if not exists exported_at_given boolean; -- exported_at came from --exported-at (else it is the file's time)
-- Personal columns hold pseudonyms and masked forms only; the values as read are in
-- "<warehouse>.personal" (src/privacy/personal.ts). A table without customer_key predates
-- that and is upgraded before use (src/privacy/upgrade.ts).
create table if not exists complaint_versions (
  import_id integer not null,
  line_no   bigint not null,
${complaintColumnsDdl},
  customer_key varchar   -- the customer's pseudonym: of customer_id, else of the mobile number
);
alter table complaint_versions add column if not exists outcome varchar;
${EVENT_VERSIONS_DDL}
${APPEAL_VERSIONS_DDL}
create table if not exists rejects (
  import_id   integer not null,
  file_name   varchar not null,
  line_no     bigint,
  column_name varchar,
  raw_value   varchar,
  reason      varchar not null,
  raw_line    varchar
);
${PUBLISHED_KPI_DDL}
`;

/**
 * `stages`: the policy's own stages (policy.customStages). Each is one more TIMESTAMPTZ column
 * of complaint_versions, added at the end the first time a policy names it and never
 * dropped: like the nine, every *_at column is a stage, so every reader of the stage
 * columns (the long stage model, findings, coverage, the clocks by position) reads it too,
 * and a warehouse whose policy adds none keeps exactly its old columns.
 */
export async function ensureWarehouse(wh: Warehouse, stages: readonly Stage[] = []): Promise<void> {
  await wh.run(WAREHOUSE_DDL);
  for (const st of stages) await wh.run(`alter table complaint_versions add column if not exists "${st.column}" timestamptz`);
}

/**
 * A warehouse made before flow logs existed has no event_versions table; a report
 * session (read-only) then sees an empty temporary one, so every view still works.
 */
export async function ensureEventVersions(wh: Warehouse): Promise<void> {
  const found = await wh.value(`select count(*) from duckdb_tables() where table_name = 'event_versions'`);
  if (!Number(found)) await wh.run(EVENT_VERSIONS_DDL.replace('create table', 'create temp table'));
}

/** A warehouse made before appeals has no appeal_versions: a read-only session sees an empty one. */
export async function ensureAppealVersions(wh: Warehouse): Promise<void> {
  const found = await wh.value(`select count(*) from duckdb_tables() where table_name = 'appeal_versions'`);
  if (!Number(found)) await wh.run(APPEAL_VERSIONS_DDL.replace('create table', 'create temp table'));
}

/** A warehouse made before months could be closed has no published_kpi: a read-only session sees an empty one. */
export async function ensurePublishedKpi(wh: Warehouse): Promise<void> {
  const found = await wh.value(`select count(*) from duckdb_tables() where table_name = 'published_kpi'`);
  if (!Number(found)) await wh.run(PUBLISHED_KPI_DDL.replace('create table', 'create temp table'));
}

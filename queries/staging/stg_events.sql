-- stg_events: every flow-log event (工单流转记录) known, once.
-- One row per distinct (complaint_id, event_at, event, actor, team, detail): the same
-- event in two overlapping exports is one event (the first import that carried it).
-- Events after the as-of instant have not happened yet as of it and are left out.
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   event_at      TIMESTAMPTZ  when it happened (the log's `at`)
--   event         VARCHAR      canonical: paused, resumed, extension_approved, transferred,
--                              returned, reopened, or a stage (registered, resolved, …)
--   event_raw     VARCHAR      as the export wrote it (e.g. 挂起)
--   actor         VARCHAR      who did it
--   team          VARCHAR      the team (for a transfer or return: the one receiving it)
--   detail        VARCHAR      free text; for extension_approved its duration ("5wd")
--   import_id     INTEGER      the import it was first read from
--   line_no       BIGINT       its line in that file
--   ext_amount    INTEGER      extension_approved: the duration's number; else null
--   ext_unit      VARCHAR      extension_approved: m | h | d | wh | wd; else null
--   seq           BIGINT       its place in the complaint's log (time, then file order)
with first_seen as (
    -- A hash aggregate rather than a window: this view is read several times per session.
    select complaint_id, event_at, event, actor, team, detail,
           arg_min(event_raw, (import_id, line_no)) as event_raw,
           min((import_id, line_no)) as first_read
    from event_versions
    where event_at < getvariable('as_of')
    group by complaint_id, event_at, event, actor, team, detail
)
select complaint_id, event_at, event, event_raw, actor, team, detail,
       first_read[1] as import_id, first_read[2] as line_no,
       case when event = 'extension_approved' then regexp_extract(trim(detail), '^([0-9]+)', 1)::int end as ext_amount,
       case when event = 'extension_approved' then regexp_extract(trim(detail), '^[0-9]+(m|h|d|wh|wd)$', 1) end as ext_unit,
       row_number() over (partition by complaint_id order by event_at, first_read) as seq
from first_seen

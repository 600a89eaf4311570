-- stg_events: every flow-log event (工单流转记录) known, once.
-- One row per distinct (complaint_id, event_at, event, actor, team, detail): the same
-- event in two overlapping exports is one event (the first import that carried it).
-- Events after the as-of instant have not happened yet as of it and are left out.
-- Columns: complaint_id, event_at TIMESTAMPTZ, event TEXT (canonical: paused, resumed,
--   extension_approved, transferred, returned, reopened, or a stage: registered, resolved, ...),
--   event_raw TEXT (as written, e.g. 挂起), actor, team, detail TEXT,
--   import_id INT, line_no BIGINT (where it was first read),
--   ext_amount INT, ext_unit TEXT (m|h|d|wh|wd: extension_approved's duration, else null),
--   seq BIGINT (the event's place in its complaint's log: time, then file order).
with first_seen as (
    select *
    from event_versions
    where event_at <= getvariable('as_of')
    qualify row_number() over (partition by complaint_id, event_at, event, actor, team, detail
                               order by import_id, line_no) = 1
)
select complaint_id, event_at, event, event_raw, actor, team, detail, import_id, line_no,
       case when event = 'extension_approved' then regexp_extract(trim(detail), '^([0-9]+)', 1)::int end as ext_amount,
       case when event = 'extension_approved' then regexp_extract(trim(detail), '^[0-9]+(m|h|d|wh|wd)$', 1) end as ext_unit,
       row_number() over (partition by complaint_id order by event_at, import_id, line_no) as seq
from first_seen

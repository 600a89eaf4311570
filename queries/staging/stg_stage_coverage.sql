-- stg_stage_coverage: which stages the warehouse's imports record at all.
-- One row per stage (every *_at column of complaint_versions: received_at … archived_at):
-- how many complaint versions carry a time for it and how many flow-log events name it.
-- A stage no import records (no export column mapped to it, or every value empty, and no
-- stage event) cannot be measured: a commitment from or to it is `unknown` with the reason
-- "no import records <stage>" (commitment_status), never overdue. Counted over every
-- import, not cut at the as-of instant: it says what the data can tell, not what happened.
-- Columns:
--   stage         VARCHAR          the stage column (registered_at, …)
--   export_times  BIGINT [count]   complaint versions with a time for it
--   event_times   BIGINT [count]   flow-log events of that stage (registered for registered_at, …)
--   recorded      BOOLEAN          some import records the stage
with export_times as (
    unpivot (select count(columns('_at$')) from complaint_versions)
    on columns(*) into name stage value export_times
),
event_times as (
    -- policy_stage says which event records which stage.
    select s.stage, count(*) as event_times
    from event_versions e
    join policy_stage s on s.event = e.event
    group by all
)
select e.stage, e.export_times::bigint as export_times, coalesce(v.event_times, 0)::bigint as event_times,
       e.export_times + coalesce(v.event_times, 0) > 0 as recorded
from export_times e
left join event_times v using (stage)

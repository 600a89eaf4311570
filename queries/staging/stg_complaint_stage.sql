-- stg_complaint_stage: every stage time of every complaint in stg_complaints, one row each.
-- One row per complaint x stage with a time: the time the current version of the export
-- records (source `export`), or, for a stage the export leaves empty, the flow log's first
-- event for that stage before any reopening and before the as-of instant (source `event`;
-- policy_stage says which event records which stage). Where both have a time the export's
-- stands (a disagreement is listed in event_findings). An export time is kept as recorded,
-- even when it is later than the as-of: readers cut it (a clock has not stopped yet).
-- The stages are the rows of policy_stage (src/warehouse/stages.ts), the *_at columns of
-- complaint_versions; no file spells them out. Same complaints as stg_complaints: the
-- current version of each received by the as-of, or with no receipt time.
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   stage         VARCHAR      the stage column (received_at, …: policy_stage.stage)
--   instant       TIMESTAMPTZ  when the stage happened
--   source        VARCHAR      export | event (filled from the flow log)
with latest as (
    select complaint_id, import_id, line_no, columns('_at$')
    from complaint_versions
    qualify row_number() over (partition by complaint_id order by import_id desc, line_no desc) = 1
),
exported as (
    -- unpivot leaves out the empty stages; received_at is also kept whole to filter on.
    unpivot (select complaint_id, columns('_at$') from latest
             where received_at is null or received_at < getvariable('as_of'))
    on columns(* exclude (complaint_id)) into name stage value instant
),
first_reopening as (
    -- Read from event_versions, not stg_events: a minimum needs no de-duplication.
    select complaint_id, min(event_at) as reopened_at from event_versions
    where event = 'reopened' and event_at < getvariable('as_of')
    group by all
),
logged as (
    -- A stage event after a reopening records the second round (resolved again), not the stage.
    select e.complaint_id, s.stage, min(e.event_at) as instant
    from event_versions e
    join policy_stage s on s.event = e.event
    left join first_reopening r using (complaint_id)
    where e.event_at < getvariable('as_of')
      and (r.reopened_at is null or e.event_at < r.reopened_at)
    group by all
)
select complaint_id, stage, instant, 'export' as source from exported
union all
select l.complaint_id, l.stage, l.instant, 'event' as source
from logged l
-- Only complaints in stg_complaints: received by the as-of, or with no receipt time at all
-- (a receipt filled from the log is before the as-of by construction).
semi join latest c on c.complaint_id = l.complaint_id
                  and (c.received_at is null or c.received_at < getvariable('as_of'))
anti join exported x on x.complaint_id = l.complaint_id and x.stage = l.stage

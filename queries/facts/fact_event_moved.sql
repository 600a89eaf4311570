-- fact_event_moved: complaints whose clocks the flow log can move, left out of the stored facts.
-- One row per complaint with a flow-log event other than a stage event for a stage its
-- current version already records: a pause, an extension, a transfer or return, a
-- reopening, or a stage event that fills a stage the export left empty. Each of those counts
-- only up to the as-of instant, so such a complaint is worked out in every session (live_*).
-- A stage event for a recorded stage changes nothing at any as-of (the export's time stands,
-- stg_complaints.sql), so a complaint whose log holds only those keeps its stored facts.
-- policy_stage says which event records which stage: `registered` for registered_at.
-- Columns:
--   complaint_id  VARCHAR  the complaint
with latest as (
    select complaint_id, columns('^[a-z_]+_at$')
    from complaint_versions
    qualify row_number() over (partition by complaint_id order by import_id desc, line_no desc) = 1
),
recorded as (
    -- One row per recorded stage (unpivot leaves out the empty ones).
    unpivot latest on columns(* exclude (complaint_id)) into name stage value stage_at
)
select distinct e.complaint_id
from event_versions e
where e.complaint_id in (select complaint_id from complaint_versions)
  and not exists (select 1 from recorded r join policy_stage s using (stage)
                  where r.complaint_id = e.complaint_id and s.event = e.event)

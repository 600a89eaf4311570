-- stg_complaints: the current version of every complaint received by the as-of instant.
-- One row per complaint_id received by then (or with no receipt time, which makes every
-- clock of it unknown): the version from the latest import that carried it
-- (older versions stay in complaint_versions: history is never overwritten).
-- A stage the export leaves empty is filled from the flow log's first event for that
-- stage (before any reopening), e.g. a `resolved` event; where both have a time, the
-- export's stands and a disagreement is listed in event_findings (the stage times are
-- those of stg_complaint_stage, one column per stage here).
-- Columns:
--   *                  every canonical export column of complaint_versions (complaint_id,
--                      channel, department, received_at … archived_at, satisfaction …), plus
--   channel_kind       VARCHAR            online | offline (policy channels) | unknown
--   counts_as_valid    BOOLEAN            is_valid, where an empty value means valid
--   satisfaction_100   DOUBLE [0..100]    satisfaction rescaled by policy satisfaction.scale_max
--   is_satisfied       BOOLEAN            satisfaction >= policy satisfaction.satisfied_at (null when not surveyed)
--   customer_key       VARCHAR            (a column of complaint_versions, made at ingest) pseudonymous
--                                         customer: keyed hash (HMAC-SHA256, key never in SQL) of
--                                         customer_id, or of the mobile number (last 11 digits) when
--                                         there is no id; links a customer's complaints without saying
--                                         who they are. customer_id, customer_name, customer_phone and
--                                         description are stored pseudonymised or masked.
with latest as (
    select *
    from complaint_versions
    qualify row_number() over (partition by complaint_id order by import_id desc, line_no desc) = 1
),
event_filled as (
    -- The few complaints with a stage only the flow log gives (stg_complaint_stage).
    select distinct complaint_id from stg_complaint_stage where source = 'event'
),
refilled as (
    -- Their stage times back to one column per stage (pledge_stage: the stages of
    -- policy_stage in order, so every stage column is there, filled or not).
    pivot (select s.complaint_id, s.stage, s.instant from stg_complaint_stage s semi join event_filled using (complaint_id))
    on stage in pledge_stage using any_value(instant) group by complaint_id
),
filled as (
    -- union by name: the columns stay in complaint_versions order.
    select * from latest anti join event_filled using (complaint_id)
    union all by name
    select * from (select columns(c -> not regexp_matches(c, '_at$')) from latest) l
    join refilled using (complaint_id)
)
select f.*,
       coalesce(c.channel_kind, 'unknown')                                   as channel_kind,
       coalesce(f.is_valid, true)                                            as counts_as_valid,
       100.0 * f.satisfaction / getvariable('satisfaction_scale_max')       as satisfaction_100,
       f.satisfaction >= getvariable('satisfied_at')                         as is_satisfied
from filled f
left join policy_channel c on c.channel = f.channel
-- A complaint received after the as-of instant had not happened yet: a run for an earlier
-- month neither judges nor counts it (every stage of it is later still), and at millions
-- of complaints that is most of the work of a run for a past month.
where f.received_at is null or f.received_at < getvariable('as_of')

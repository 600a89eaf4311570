-- stg_complaints: the current version of every complaint received by the as-of instant.
-- One row per complaint_id received by then (or with no receipt time, which makes every
-- clock of it unknown): the version from the latest import that carried it
-- (older versions stay in complaint_versions: history is never overwritten).
-- A stage the export leaves empty is filled from the flow log's first event for that
-- stage (before any reopening), e.g. a `resolved` event; where both have a time, the
-- export's stands and a disagreement is listed in event_findings.
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
first_reopening as (
    -- Read from event_versions, not stg_events: a minimum needs no de-duplication, and
    -- this view is used several times per session.
    select complaint_id, min(event_at) as reopened_at from event_versions
    where event = 'reopened' and event_at < getvariable('as_of')
    group by all
),
logged_stage as (
    select e.complaint_id,
           min(e.event_at) filter (where e.event = 'received')       as received_at,
           min(e.event_at) filter (where e.event = 'registered')     as registered_at,
           min(e.event_at) filter (where e.event = 'first_response') as first_response_at,
           min(e.event_at) filter (where e.event = 'escalated')      as escalated_at,
           min(e.event_at) filter (where e.event = 'plan')           as plan_at,
           min(e.event_at) filter (where e.event = 'resolved')       as resolved_at,
           min(e.event_at) filter (where e.event = 'feedback')       as feedback_at,
           min(e.event_at) filter (where e.event = 'survey')         as survey_at,
           min(e.event_at) filter (where e.event = 'archived')       as archived_at
    from event_versions e
    left join first_reopening r using (complaint_id)
    where e.event in ('received', 'registered', 'first_response', 'escalated', 'plan', 'resolved', 'feedback', 'survey', 'archived')
      and e.event_at < getvariable('as_of')
      and (r.reopened_at is null or e.event_at < r.reopened_at)
    group by all
),
filled as (
    select l.* replace (
               coalesce(l.received_at, s.received_at)             as received_at,
               coalesce(l.registered_at, s.registered_at)         as registered_at,
               coalesce(l.first_response_at, s.first_response_at) as first_response_at,
               coalesce(l.escalated_at, s.escalated_at)           as escalated_at,
               coalesce(l.plan_at, s.plan_at)                     as plan_at,
               coalesce(l.resolved_at, s.resolved_at)             as resolved_at,
               coalesce(l.feedback_at, s.feedback_at)             as feedback_at,
               coalesce(l.survey_at, s.survey_at)                 as survey_at,
               coalesce(l.archived_at, s.archived_at)             as archived_at)
    from latest l
    left join logged_stage s using (complaint_id)
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

-- assess_commitment_status: the status of every commitment of every complaint in the quarter.
-- One row per complaint x commitment, for complaints received in the quarter
-- (all their commitments, also pending and not applicable ones) and for every
-- commitment counted in the quarter's KPIs (due in the quarter, whenever the
-- complaint came in). No personal data: customer name, phone, ID, e-mail and the
-- free-text description are not selected; the complaint_id leads to the source record.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   complaint_id        VARCHAR                 the complaint
--   commitment          VARCHAR                 the commitment (policy key)
--   department          VARCHAR                 department owning it
--   team                VARCHAR                 team owning it
--   handler             VARCHAR                 person handling it
--   first_handler       VARCHAR                 first person to take it (首问负责)
--   category            VARCHAR                 complaint category
--   channel             VARCHAR                 channel it came in by
--   channel_kind        VARCHAR                 online | offline | unknown
--   severity            VARCHAR                 general | major | urgent
--   customer_segment    VARCHAR                 customer segment (not personal data)
--   counts_as_valid     BOOLEAN                 not judged unreasonable
--   limit_text          VARCHAR                 the limit that applied (policy text)
--   started_at          TIMESTAMPTZ             clock start
--   due_at              TIMESTAMPTZ             due instant
--   done_at             TIMESTAMPTZ             when done, by the as-of instant (null: not yet)
--   status              VARCHAR                 met | breached | overdue | pending | not_applicable | unknown
--   late_minutes        DOUBLE [minutes]        past due (breached, overdue); null otherwise
--   due_month           DATE                    first day of the month it fell due in
--   data_problem        VARCHAR                 why it cannot be judged (unknown)
--   calendar_uncovered  BOOLEAN                 Monday to Friday assumed for a year with no published calendar
--   counted_in_quarter  BOOLEAN                 due in the quarter and applicable: behind the quarter's timeliness
--   original_due_at     TIMESTAMPTZ             due instant before pauses and extensions
--   paused_minutes      DOUBLE [minutes]        pause time not counted, in the clock's own measure (working minutes for wh/wd limits)
--   extended_by         VARCHAR                 extensions honoured, as approved (e.g. 5wd)
--   owner_team          VARCHAR                 team holding the complaint at the due instant (after transfers)
--   first_team          VARCHAR                 the first handler's team (首问负责制)
--   reopened_at         TIMESTAMPTZ             reopened within the policy window after resolution: not counted as resolved
with in_quarter as (
    select s.*,
           s.due_month >= $quarter_start::date and s.due_month < $quarter_end::date as due_in_quarter,
           s.received_at::timestamp >= $quarter_start::date
             and s.received_at::timestamp < $quarter_end::date as received_in_quarter
    from (select cs.*, c.received_at from commitment_status cs join stg_complaints c using (complaint_id)) s
)
select q.complaint_id, q.commitment, q.department, q.team, q.handler, q.first_handler,
       q.category, q.channel, q.channel_kind, q.severity, q.customer_segment, q.counts_as_valid,
       q.limit_text, q.started_at, q.due_at, q.done_at, q.status, q.late_minutes, q.due_month,
       q.data_problem, q.calendar_uncovered,
       coalesce(q.due_in_quarter, false) and q.status <> 'not_applicable' as counted_in_quarter,
       q.original_due_at, q.paused_minutes, q.extended_by, q.owner_team, q.first_team, q.reopened_at
from in_quarter q
join policy_commitment p using (commitment)
where q.due_in_quarter or q.received_in_quarter
order by q.complaint_id, p.ord

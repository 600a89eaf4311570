-- commitment_status: the verdict on every complaint x commitment, as of the as-of instant.
-- One row per complaint x commitment, judged as of getvariable('as_of').
-- status: met (done by the due instant); breached (done, but after it); overdue
-- (not done and the due instant has passed: already a breach); pending (not
-- done, not yet due, or its clock has not started); not_applicable (the
-- commitment does not cover this complaint); unknown (data missing or
-- contradictory, see data_problem; never a pass). A commitment counts in the
-- month its due instant falls in (due_month, local).
-- Columns:
--   complaint_id        VARCHAR           the complaint
--   commitment          VARCHAR           the commitment (policy key)
--   department          VARCHAR           department owning the complaint
--   team                VARCHAR           team owning the complaint
--   handler             VARCHAR           person handling it
--   first_handler       VARCHAR           person who took it first
--   category            VARCHAR           complaint category
--   channel             VARCHAR           channel it came in by
--   channel_kind        VARCHAR           online | offline | unknown
--   severity            VARCHAR           general | major | urgent …
--   customer_segment    VARCHAR           customer segment
--   counts_as_valid     BOOLEAN           counts in rates (not an unreasonable complaint)
--   limit_text          VARCHAR           the limit that applied ("4wh"); null when none
--   started_at          TIMESTAMPTZ       when the clock started
--   due_at              TIMESTAMPTZ       when it fell due
--   done_at             TIMESTAMPTZ       when it was done (null: not by the as-of instant)
--   status              VARCHAR           met | breached | overdue | pending | not_applicable | unknown
--   late_minutes        DOUBLE [minutes]  wall minutes past due: done - due, or as-of - due when
--                       overdue; null otherwise
--   due_month           DATE              first day of the local month the due instant falls in
--   data_problem        VARCHAR           why it cannot be judged (status unknown)
--   calendar_uncovered  BOOLEAN           Monday-Friday was assumed for a day before the deadline
with judged as (
    select c.*, d.due_at, coalesce(d.calendar_uncovered, false) as calendar_uncovered,
           case
               when not c.applies then 'not_applicable'
               when c.data_problem is not null then 'unknown'
               when c.started_at is null then 'pending'
               when d.due_at is null then 'unknown'
               when c.done_at is not null and c.done_at <= d.due_at then 'met'
               when c.done_at is not null then 'breached'
               when getvariable('as_of') > d.due_at then 'overdue'
               else 'pending'
           end as status
    from int_commitment_clock c
    -- rowid of the clocks table: an integer join, far cheaper than (complaint_id, commitment) at millions of rows
    left join int_commitment_due d on d.clock_row = c.rowid
)
select complaint_id, commitment, department, team, handler, first_handler, category,
       channel, channel_kind, severity, customer_segment, counts_as_valid, limit_text,
       started_at, due_at, done_at, status,
       case status
           when 'breached' then epoch(done_at - due_at) / 60
           when 'overdue'  then epoch(getvariable('as_of') - due_at) / 60
       end as late_minutes,
       date_trunc('month', due_at::timestamp)::date as due_month,
       coalesce(data_problem, case when status = 'unknown' then 'due instant beyond the loaded calendar' end) as data_problem,
       calendar_uncovered
from judged

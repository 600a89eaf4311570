-- commitment_status: the verdict on every complaint x commitment, as of the
-- as-of instant (getvariable('as_of')).
-- status:
--   met             done by the due instant
--   breached        done, but after the due instant
--   overdue         not done and the due instant has passed (already a breach)
--   pending         not done, not yet due (or its clock has not started yet)
--   not_applicable  the commitment does not cover this complaint (applies_to / no rule)
--   unknown         data missing or contradictory (see data_problem); never a pass
-- A commitment counts in the month its due instant falls in (due_month, local).
-- Columns: complaint_id, commitment, department, team, handler, first_handler,
--   category, channel, channel_kind, severity, customer_segment, counts_as_valid,
--   limit_text, started_at, due_at, done_at TIMESTAMPTZ, status TEXT,
--   late_minutes DOUBLE (wall minutes past due: done - due, or as-of - due when
--   overdue; null otherwise), due_month DATE, data_problem TEXT,
--   calendar_uncovered BOOLEAN.
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
    left join int_commitment_due d using (complaint_id, commitment)
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

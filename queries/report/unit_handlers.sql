-- unit_handlers: the handlers of a department or team in the month.
-- One row per handler who held commitments of the unit due in the month:
-- commitments judged and breached while they held them, the complaints they own as
-- first handler (首问负责制: received in the month, wherever they went later), and
-- satisfaction of the complaints they own as first handler reported back in the month.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   handler            VARCHAR               the handler
--   owned              BIGINT [count]        complaints received in the month with them as first handler
--   judged             BIGINT [count]        commitments due in the month they held (met + breached + overdue)
--   breaches           BIGINT [count]        of which breached or overdue
--   timeliness_rate    DOUBLE [ratio 0..1]   (judged - breaches) / judged
--   surveyed           BIGINT [count]        complaints they own reported back in the month and surveyed
--   satisfaction_rate  DOUBLE [ratio 0..1]   satisfied / surveyed
with held as (
    select handler,
           count(*) filter (where status in ('met', 'breached', 'overdue')) as judged,
           count(*) filter (where status in ('breached', 'overdue')) as breaches
    from commitment_status
    where due_month = $month::date and (case $level when 'team' then team else department end) = $unit
      and handler is not null
    group by all
),
owned as (
    select first_handler as handler, count(*) as owned
    from stg_complaints
    where date_trunc('month', received_at::timestamp)::date = $month::date and received_at <= getvariable('as_of')
      and first_handler in (select handler from held)
    group by all
),
surveyed as (
    select first_handler as handler,
           count(*) filter (where survey_at <= getvariable('as_of') and satisfaction is not null) as surveyed,
           count(*) filter (where survey_at <= getvariable('as_of') and satisfaction is not null and is_satisfied) as satisfied
    from stg_complaints
    where date_trunc('month', feedback_at::timestamp)::date = $month::date and feedback_at <= getvariable('as_of')
      and first_handler in (select handler from held)
    group by all
)
select h.handler, coalesce(o.owned, 0) as owned, h.judged, h.breaches,
       (h.judged - h.breaches) / nullif(h.judged, 0) as timeliness_rate,
       coalesce(s.surveyed, 0) as surveyed, s.satisfied / nullif(s.surveyed, 0) as satisfaction_rate
from held h
left join owned o using (handler)
left join surveyed s using (handler)
order by h.breaches desc, h.handler

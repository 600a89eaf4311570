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
    select handler, sum(judged)::bigint as judged, sum(breaches)::bigint as breaches
    from kpi_handler_monthly
    where month = $month::date and (case $level when 'team' then team else department end) = $unit
    group by all
)
select h.handler, coalesce(f.owned, 0) as owned, h.judged, h.breaches,
       (h.judged - h.breaches) / nullif(h.judged, 0) as timeliness_rate,
       coalesce(f.surveyed, 0) as surveyed, f.satisfied / nullif(f.surveyed, 0) as satisfaction_rate
from held h
left join kpi_first_handler_monthly f on f.handler = h.handler and f.month = $month::date
order by h.breaches desc, h.handler

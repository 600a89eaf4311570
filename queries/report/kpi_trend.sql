-- kpi_trend: the headline KPIs over the twelve months up to the reporting month.
-- One row per month x KPI (fewer months where the data begin later).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   month      DATE                  first day of the month
--   kpi        VARCHAR               timeliness, resolution_rate, satisfaction_rate, survey_coverage
--   actual     DOUBLE [ratio 0..1]   the month's value
--   target     DOUBLE [ratio 0..1]   the policy's target
--   on_target  BOOLEAN               the month met the target
--   kpi_order  INTEGER               display order, as the tiles (policy_target.kpi_order)
select s.month, s.kpi, s.actual, s.target, s.on_target, t.kpi_order
from kpi_summary_monthly s
join policy_target t using (kpi)
where s.kpi in ('timeliness', 'resolution_rate', 'satisfaction_rate', 'survey_coverage')
  and s.month between $month::date - interval 11 month and $month::date
  and s.actual is not null
order by s.month, t.kpi_order

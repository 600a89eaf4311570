-- kpi_trend: the headline KPIs over the twelve months up to the reporting month
-- (fewer where the data begin later).
-- Parameters: $month DATE
-- Columns: month DATE, kpi TEXT, actual DOUBLE (0..1), target DOUBLE
select month, kpi, actual, target
from kpi_summary_monthly
where kpi in ('timeliness', 'resolution_rate', 'satisfaction_rate', 'survey_coverage')
  and month between $month::date - interval 11 month and $month::date
  and actual is not null
order by month, kpi

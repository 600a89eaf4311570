-- kpi_unit_matches_summary: the organisation's figures agree, however they are summed.
-- The tiles and the review pages show the organisation from kpi_unit_monthly
-- (kpi_summary_monthly is its organisation rows); kpi_timeliness_monthly,
-- kpi_resolution_monthly and kpi_satisfaction_monthly sum kpi_fact_monthly their own way.
-- A row is a month x KPI where the two values differ.
-- Columns:
--   month    DATE     first day of the month
--   kpi      VARCHAR  the KPI
--   summary  DOUBLE   kpi_summary_monthly.actual (kpi_unit_monthly, organisation)
--   per_kpi  DOUBLE   the same KPI from its own monthly view
with per_kpi_views as (
    select month, coalesce('timeliness:' || commitment, 'timeliness') as kpi, timeliness_rate as actual
    from kpi_timeliness_monthly where department is null
    union all
    select month, 'resolution_rate', resolution_rate from kpi_resolution_monthly where department is null
    union all
    select month, 'reopen_rate', reopen_rate from kpi_resolution_monthly where department is null
    union all
    select month, 'satisfaction_rate', satisfaction_rate from kpi_satisfaction_monthly where department is null
    union all
    select month, 'satisfaction_mean', satisfaction_mean from kpi_satisfaction_monthly where department is null
    union all
    select month, 'survey_coverage', survey_coverage from kpi_satisfaction_monthly where department is null
)
select s.month, s.kpi, s.actual as summary, v.actual as per_kpi
from kpi_summary_monthly s
join per_kpi_views v using (month, kpi)
where abs(coalesce(s.actual, -1) - coalesce(v.actual, -1)) > 1e-9

-- unit_composite: one unit's composite score and rank for the month, beside the organisation's.
-- One row (none when the unit has no weighted KPI that month).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   composite      DOUBLE [points 0..100]   the unit's weighted score
--   rank           BIGINT                   rank within its level, 1 = best
--   units_ranked   BIGINT [count]           units of the level ranked
--   org_composite  DOUBLE [points 0..100]   the organisation's score
--   kpis_scored    BIGINT [count]           weighted KPIs with a value
--   kpis_weighted  BIGINT [count]           KPIs in scorecard.weights
--   kpis_missed    BIGINT [count]           KPIs of the scorecard below target (its red rows; the dashboard's
--                  team and department rankings show the same count, unit_ranking.sql)
--   kpis_total     BIGINT [count]           KPIs on the scorecard
with missed as (
    select count(*) filter (where on_target = false) as kpis_missed, count(*) as kpis_total
    from kpi_unit_monthly
    join policy_target using (kpi)
    where month = $month::date and level = $level and unit = $unit
)
select composite, rank, units_ranked, org_composite, kpis_scored, kpis_weighted, m.kpis_missed, m.kpis_total
from kpi_composite_monthly
cross join missed m
where month = $month::date and level = $level and unit = $unit

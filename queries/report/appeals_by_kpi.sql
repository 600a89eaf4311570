-- appeals_by_kpi: what the month's applied appeals (申诉) took out of the organisation's figures.
-- One row per KPI an applied appeal changed in the month (kpi_unit_monthly.appealed > 0), in the
-- catalogue's order: the raw count the verdicts as they stand give (commitment_status), what the
-- appeals took out, and the figure the units are judged on. Each appeal and its status is in
-- kpi_appeals; an appeal filed after the window is not here (event_findings lists it).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   kpi          VARCHAR               KPI name
--   raw          DOUBLE [count]        what the figure counts over with no appeal applied
--   appealed     DOUBLE [count]        what applied appeals took out
--   denominator  DOUBLE [count]        what it is counted over: raw - appealed
--   actual       DOUBLE [ratio 0..1]   the organisation's value (satisfaction_mean: points)
--   kpi_order    INTEGER               display order (policy_target.kpi_order)
--   kpi_unit     VARCHAR               share | points
select u.kpi, u.denominator + u.appealed as raw, u.appealed, u.denominator, u.actual, t.kpi_order, t.kpi_unit
from kpi_unit_monthly u
join policy_target t using (kpi)
where u.month = $month::date and u.level = 'organisation' and u.appealed > 0
order by t.kpi_order

-- unit_scorecard: one department's or team's KPIs for the month against the target and the organisation.
-- One row per KPI, with last month and the KPI's weight in the composite score.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   kpi          VARCHAR               KPI name
--   actual       DOUBLE [ratio 0..1]   the unit's value (satisfaction_mean: points)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               the value meets the target; null when it cannot be judged
--   vs_target    DOUBLE [same unit]    actual - target
--   org_actual   DOUBLE [same unit]    the organisation's value
--   vs_org       DOUBLE [same unit]    actual - org_actual
--   previous     DOUBLE [same unit]    the unit's value last month
--   numerator    DOUBLE [count]        what the rate counts
--   denominator  DOUBLE [count]        what it is counted over
--   weight       DOUBLE [ratio 0..1]   share of the composite; null when not weighted
--   kpi_order    INTEGER               display order (policy_target.kpi_order)
--   unknown      DOUBLE [count]        what could not be judged
--   judged_share DOUBLE [ratio 0..1]   denominator / (denominator + unknown)
--   kpi_unit     VARCHAR               share | points (the KPI catalogue's, policy_target)
--   appealed     DOUBLE [count]        what applied appeals (申诉) took out of the denominator
select u.kpi, u.actual, u.target, u.direction, u.on_target, u.actual - u.target as vs_target,
       u.org_actual, u.vs_org, u.previous, u.numerator, u.denominator, w.share as weight, t.kpi_order,
       u.unknown, u.judged_share, t.kpi_unit, u.appealed
from kpi_unit_monthly u
join policy_target t using (kpi)
left join policy_scorecard_weight w using (kpi)
where u.month = $month::date and u.level = $level and u.unit = $unit
order by t.kpi_order

-- policy_kpi_changes: the month's KPIs under the policy in force and under another one, side by side.
-- One row per KPI and department (department null: the whole organisation), for
-- every KPI either policy produces in the month. Reads whatif_kpi_current and
-- whatif_kpi_other, which `--compare-policy` fills from whatif_kpi.sql.
-- Parameters:
--   $month  MONTH  reporting month (2025-10)
-- Columns:
--   kpi                VARCHAR  KPI name (timeliness, timeliness:<commitment>, resolution_rate, …)
--   department         VARCHAR  the department; null for the whole organisation
--   current_value      DOUBLE   [ratio 0..1; points for satisfaction_mean] under the policy in force
--   other_value        DOUBLE   [same unit] under the other policy
--   difference         DOUBLE   [same unit] other_value - current_value
--   current_target     DOUBLE   [same unit] target in the policy in force
--   other_target       DOUBLE   [same unit] target in the other policy
--   current_on_target  BOOLEAN  current_value meets current_target
--   other_on_target    BOOLEAN  other_value meets other_target
with current_month as (
    select * from whatif_kpi_current where month = $month::date
),
other_month as (
    select * from whatif_kpi_other where month = $month::date
)
select coalesce(c.kpi, o.kpi) as kpi, coalesce(c.department, o.department) as department,
       c.actual as current_value, o.actual as other_value, o.actual - c.actual as difference,
       c.target as current_target, o.target as other_target,
       c.on_target as current_on_target, o.on_target as other_on_target
from current_month c
full join other_month o on c.kpi = o.kpi and c.department is not distinct from o.department
order by department nulls first, kpi

-- whatif_kpi: every KPI value of every month under the policy now in force, for a policy what-if.
-- Pledge runs this once under each policy and keeps the rows as whatif_kpi_current and
-- whatif_kpi_other, which policy_kpi_changes.sql compares.
-- Columns:
--   month        DATE     first day of the month the KPI is for
--   department   VARCHAR  the department; null for the whole organisation
--   kpi          VARCHAR  KPI name (timeliness, timeliness:<commitment>, resolution_rate, …)
--   actual       DOUBLE   [ratio 0..1, or points 0..100 for satisfaction_mean] the KPI's value
--   target       DOUBLE   [same unit as actual] the policy's target
--   on_target    BOOLEAN  actual meets the target in its direction
--   numerator    DOUBLE   [count] what the ratio was made of: the part
--   denominator  DOUBLE   [count] ... and the whole
select month, null::varchar as department, kpi, actual, target, on_target,
       numerator::double as numerator, denominator::double as denominator
from kpi_summary_monthly
union all
select month, department, kpi, actual, target, on_target, numerator::double, denominator::double
from kpi_department_monthly

-- kpi_department_monthly: every headline KPI per department and month, in long form.
-- One row per month x department x KPI, with the policy target: the department rows of
-- kpi_unit_monthly, where each value is judged.
-- Columns:
--   month        DATE                  first day of the month
--   department   VARCHAR               the department
--   kpi          VARCHAR               timeliness, timeliness:<commitment>, resolution_rate, reopen_rate,
--                satisfaction_rate, satisfaction_mean, survey_coverage
--   actual       DOUBLE [ratio 0..1]   the KPI's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target in its direction; null when it
--                cannot be judged
--   numerator    BIGINT [count]        what the ratio was made of: the part
--   denominator  BIGINT [count]        ... and the whole
--   unknown      BIGINT [count]        what could not be judged
--   judged_share DOUBLE [ratio 0..1]   denominator / (denominator + unknown)
select month, department, kpi, actual, target, direction, on_target,
       numerator::bigint as numerator, denominator::bigint as denominator,
       unknown::bigint as unknown, judged_share
from kpi_unit_monthly
-- Complaints with no department are in the organisation's figures but have no department row
-- here: a null department means the whole organisation in every per-department table.
where level = 'department' and department is not null

-- kpi_summary_monthly: every headline KPI of the whole organisation, with its target and last month.
-- One row per month x KPI. Drives the dashboard tiles. The organisation's rows of
-- kpi_unit_monthly, where each value is judged against its target (and "cannot be judged"
-- when too little of it could be: judgeable false, on_target null).
-- Columns:
--   month        DATE                  first day of the month
--   kpi          VARCHAR               timeliness, timeliness:<commitment>, resolution_rate, reopen_rate,
--                satisfaction_rate, satisfaction_mean, survey_coverage
--   actual       DOUBLE [ratio 0..1]   the KPI's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target in its direction; null when it cannot
--                be judged (judged_share below targets.min_judged_share) or has no value
--   previous     DOUBLE [same unit]    the value the month before: as published when that month is
--                closed (kpi_published_monthly), else recomputed in this session
--   numerator    BIGINT [count]        what the ratio was made of: the part
--   denominator  BIGINT [count]        ... and the whole (what was judged)
--   unknown      BIGINT [count]        what could not be judged (clocks of status unknown)
--   judged_share DOUBLE [ratio 0..1]   denominator / (denominator + unknown)
--   judgeable    BOOLEAN               judged_share >= targets.min_judged_share
--   previous_published  BOOLEAN        previous is the published figure of a closed month
select month, kpi, actual, target, direction, on_target, previous,
       numerator::bigint as numerator, denominator::bigint as denominator,
       unknown::bigint as unknown, judged_share, judgeable, previous_published
from kpi_unit_monthly
where level = 'organisation'

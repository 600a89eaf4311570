-- kpi_department_monthly: every headline KPI per department and month, in long form.
-- One row per month x department x KPI, with the policy target.
-- Columns:
--   month        DATE                  first day of the month
--   department   VARCHAR               the department
--   kpi          VARCHAR               timeliness, timeliness:<commitment>, resolution_rate, reopen_rate,
--                satisfaction_rate, satisfaction_mean, survey_coverage
--   actual       DOUBLE [ratio 0..1]   the KPI's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target in its direction
--   numerator    BIGINT [count]        what the ratio was made of: the part
--   denominator  BIGINT [count]        ... and the whole
with long as (
    select month, department, coalesce('timeliness:' || commitment, 'timeliness') as kpi,
           timeliness_rate as actual, met as numerator, met + breached + overdue as denominator
    from kpi_timeliness_monthly where department is not null
    union all
    select month, department, 'resolution_rate', resolution_rate, resolved, due
    from kpi_resolution_monthly where department is not null
    union all
    select month, department, 'reopen_rate', reopen_rate, reopened, resolved
    from kpi_resolution_monthly where department is not null
    union all
    select month, department, 'satisfaction_rate', satisfaction_rate, satisfied, surveyed
    from kpi_satisfaction_monthly where department is not null
    union all
    select month, department, 'satisfaction_mean', satisfaction_mean, null, surveyed
    from kpi_satisfaction_monthly where department is not null
    union all
    select month, department, 'survey_coverage', survey_coverage, surveyed, given_feedback
    from kpi_satisfaction_monthly where department is not null
)
select l.month, l.department, l.kpi, l.actual, t.target, t.direction,
       case when t.direction = 'at_most' then l.actual <= t.target else l.actual >= t.target end as on_target,
       l.numerator, l.denominator
from long l
left join policy_target t using (kpi)

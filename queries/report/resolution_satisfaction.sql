-- resolution_satisfaction: resolution and satisfaction with survey coverage for the month.
-- One row for the organisation (unit '') and one per department.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   unit               VARCHAR                  the department ('' for the organisation)
--   due                BIGINT [count]           valid complaints whose resolution fell due
--   resolved           BIGINT [count]           of which resolved by the as-of instant
--   resolution_rate    DOUBLE [ratio 0..1]      resolved / due
--   reopen_rate        DOUBLE [ratio 0..1]      reopened / resolved
--   given_feedback     BIGINT [count]           results reported back in the month
--   surveyed           BIGINT [count]           of which surveyed
--   survey_coverage    DOUBLE [ratio 0..1]      surveyed / given_feedback (回访率)
--   satisfaction_rate  DOUBLE [ratio 0..1]      satisfied / surveyed
--   satisfaction_mean  DOUBLE [points 0..100]   mean score of the surveyed
--   resolution_on_target         BOOLEAN       resolution_rate meets its target (kpi_unit_monthly's
--                                on_target, pledge_on_target); null: no value or cannot be judged
--   reopen_on_target             BOOLEAN       the same for reopen_rate
--   survey_coverage_on_target    BOOLEAN       the same for survey_coverage
--   satisfaction_rate_on_target  BOOLEAN       the same for satisfaction_rate
--   satisfaction_mean_on_target  BOOLEAN       the same for satisfaction_mean
with judged as (
    -- Each value's verdict as kpi_unit_monthly holds it: a page never compares with the target itself.
    select case when level = 'organisation' then '' else department end as unit,
           any_value(on_target) filter (where kpi = 'resolution_rate') as resolution_on_target,
           any_value(on_target) filter (where kpi = 'reopen_rate') as reopen_on_target,
           any_value(on_target) filter (where kpi = 'survey_coverage') as survey_coverage_on_target,
           any_value(on_target) filter (where kpi = 'satisfaction_rate') as satisfaction_rate_on_target,
           any_value(on_target) filter (where kpi = 'satisfaction_mean') as satisfaction_mean_on_target
    from kpi_unit_monthly
    where month = $month::date and (level = 'organisation' or (level = 'department' and department is not null))
    group by all
),
r as (
    select department, due, resolved, resolution_rate, reopen_rate from kpi_resolution_monthly where month = $month::date
),
s as (
    select department, given_feedback, surveyed, survey_coverage, satisfaction_rate, satisfaction_mean
    from kpi_satisfaction_monthly where month = $month::date
)
select coalesce(r.department, s.department, '') as unit, r.due, r.resolved, r.resolution_rate, r.reopen_rate,
       s.given_feedback, s.surveyed, s.survey_coverage, s.satisfaction_rate, s.satisfaction_mean,
       j.resolution_on_target, j.reopen_on_target, j.survey_coverage_on_target, j.satisfaction_rate_on_target, j.satisfaction_mean_on_target
from r full join s on r.department is not distinct from s.department
left join judged j on j.unit = coalesce(r.department, s.department, '')
order by coalesce(r.department, s.department) is not null, unit

-- department_scorecard: each department's headline KPIs for the month.
-- One row per department, worst timeliness first.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   department         VARCHAR               the department
--   timeliness_rate    DOUBLE [ratio 0..1]   all commitments together
--   resolution_rate    DOUBLE [ratio 0..1]   resolved / due
--   satisfaction_rate  DOUBLE [ratio 0..1]   satisfied / surveyed
--   survey_coverage    DOUBLE [ratio 0..1]   surveyed / given feedback
--   breaches           BIGINT [count]        breached + overdue commitments
--   due                BIGINT [count]        complaints whose resolution fell due
--   timeliness_on_target         BOOLEAN     timeliness_rate meets its target (kpi_department_monthly's
--                                on_target, pledge_on_target); null: no value or cannot be judged
--   resolution_on_target         BOOLEAN     the same for resolution_rate
--   satisfaction_rate_on_target  BOOLEAN     the same for satisfaction_rate
--   survey_coverage_on_target    BOOLEAN     the same for survey_coverage
with judged as (
    -- Each value's verdict as kpi_department_monthly holds it: a page never compares with the target itself.
    select department,
           any_value(on_target) filter (where kpi = 'timeliness') as timeliness_on_target,
           any_value(on_target) filter (where kpi = 'resolution_rate') as resolution_on_target,
           any_value(on_target) filter (where kpi = 'satisfaction_rate') as satisfaction_rate_on_target,
           any_value(on_target) filter (where kpi = 'survey_coverage') as survey_coverage_on_target
    from kpi_department_monthly
    where month = $month::date
    group by department
),
t as (
    select department, timeliness_rate, breached + overdue as breaches
    from kpi_timeliness_monthly where month = $month::date and department is not null and commitment is null
),
r as (select department, resolution_rate, due from kpi_resolution_monthly where month = $month::date and department is not null),
s as (select department, satisfaction_rate, survey_coverage from kpi_satisfaction_monthly where month = $month::date and department is not null)
select department, t.timeliness_rate, r.resolution_rate, s.satisfaction_rate, s.survey_coverage,
       coalesce(t.breaches, 0) as breaches, r.due,
       j.timeliness_on_target, j.resolution_on_target, j.satisfaction_rate_on_target, j.survey_coverage_on_target
from t full join r using (department) full join s using (department)
left join judged j using (department)
order by t.timeliness_rate nulls last, department

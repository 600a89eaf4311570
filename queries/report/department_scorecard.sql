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
with t as (
    select department, timeliness_rate, breached + overdue as breaches
    from kpi_timeliness_monthly where month = $month::date and department is not null and commitment is null
),
r as (select department, resolution_rate, due from kpi_resolution_monthly where month = $month::date and department is not null),
s as (select department, satisfaction_rate, survey_coverage from kpi_satisfaction_monthly where month = $month::date and department is not null)
select department, t.timeliness_rate, r.resolution_rate, s.satisfaction_rate, s.survey_coverage,
       coalesce(t.breaches, 0) as breaches, r.due
from t full join r using (department) full join s using (department)
order by t.timeliness_rate nulls last, department

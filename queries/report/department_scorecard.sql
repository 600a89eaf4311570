-- department_scorecard: each department's headline KPIs for the month.
-- Parameters: $month DATE
-- Columns: department TEXT, timeliness_rate, resolution_rate, satisfaction_rate,
--   survey_coverage DOUBLE (0..1), breaches BIGINT (breached + overdue), due BIGINT
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

-- resolution_satisfaction: resolution and satisfaction with survey coverage for
-- the month, for the organisation and each department.
-- Parameters: $month DATE
-- Columns: unit TEXT (organisation: ''), due, resolved BIGINT, resolution_rate,
--   reopen_rate DOUBLE (0..1), given_feedback, surveyed BIGINT, survey_coverage,
--   satisfaction_rate DOUBLE (0..1), satisfaction_mean DOUBLE (0..100)
with r as (
    select department, due, resolved, resolution_rate, reopen_rate from kpi_resolution_monthly where month = $month::date
),
s as (
    select department, given_feedback, surveyed, survey_coverage, satisfaction_rate, satisfaction_mean
    from kpi_satisfaction_monthly where month = $month::date
)
select coalesce(r.department, s.department, '') as unit, r.due, r.resolved, r.resolution_rate, r.reopen_rate,
       s.given_feedback, s.surveyed, s.survey_coverage, s.satisfaction_rate, s.satisfaction_mean
from r full join s on r.department is not distinct from s.department
order by coalesce(r.department, s.department) is not null, unit

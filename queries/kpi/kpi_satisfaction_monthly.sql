-- kpi_satisfaction_monthly: satisfaction and survey coverage (回访率) per month and department.
-- Cohort: complaints whose result was reported back (feedback_at) in the month,
-- by the as-of instant. An unsurveyed complaint is not a satisfied one: it
-- lowers survey_coverage, and satisfaction is reported only over the surveyed.
-- department null = the whole organisation.
-- Columns: month DATE, department TEXT, given_feedback BIGINT, surveyed BIGINT,
--   satisfied BIGINT (score >= policy satisfaction.satisfied_at),
--   satisfaction_mean DOUBLE (0..100), satisfaction_rate DOUBLE (0..1),
--   survey_coverage DOUBLE (0..1).
with cohort as (
    select date_trunc('month', feedback_at::timestamp)::date as month, department,
           survey_at <= getvariable('as_of') and satisfaction is not null as surveyed,
           satisfaction_100, is_satisfied
    from stg_complaints
    where feedback_at <= getvariable('as_of')
),
counted as (
    select month, department,
           count(*)                                           as given_feedback,
           count(*) filter (where surveyed)                   as surveyed,
           count(*) filter (where surveyed and is_satisfied)  as satisfied,
           avg(satisfaction_100) filter (where surveyed)      as satisfaction_mean
    from cohort
    group by grouping sets ((month), (month, department))
)
select month, department, given_feedback, surveyed, satisfied, satisfaction_mean,
       satisfied / nullif(surveyed, 0)       as satisfaction_rate,
       surveyed / nullif(given_feedback, 0)  as survey_coverage
from counted

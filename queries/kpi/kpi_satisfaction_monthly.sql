-- kpi_satisfaction_monthly: satisfaction and survey coverage (回访率) per month and department.
-- One row per month x department (department null: the whole organisation).
-- Cohort: complaints whose result was reported back (feedback_at) in the month,
-- by the as-of instant. An unsurveyed complaint is not a satisfied one: it
-- lowers survey_coverage, and satisfaction is reported only over the surveyed.
-- Columns:
--   month              DATE                  first day of the month the result was reported back in
--   department         VARCHAR               the department; null for the whole organisation
--   given_feedback     BIGINT [count]        complaints whose result was reported back
--   surveyed           BIGINT [count]        ... and surveyed by the as-of instant
--   satisfied          BIGINT [count]        surveyed with score >= policy satisfaction.satisfied_at
--   satisfaction_mean  DOUBLE [points 0..100]  mean score of the surveyed
--   satisfaction_rate  DOUBLE [ratio 0..1]   satisfied / surveyed
--   survey_coverage    DOUBLE [ratio 0..1]   surveyed / given_feedback
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

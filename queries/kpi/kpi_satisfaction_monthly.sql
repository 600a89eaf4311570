-- kpi_satisfaction_monthly: satisfaction and survey coverage (回访率) per month and department.
-- One row per month x department (department null: the whole organisation).
-- Cohort: complaints whose result was reported back (feedback_at) in the month,
-- by the as-of instant. An unsurveyed complaint is not a satisfied one: it
-- lowers survey_coverage, and satisfaction is reported only over the surveyed.
-- Summed from kpi_fact_monthly, where each KPI's rule is written once. Score sums are added as
-- DECIMAL(38,12), exactly: the same data give the same digits in any order of addition.
-- Columns:
--   month              DATE                  first day of the month the result was reported back in
--   department         VARCHAR               the department; null for the whole organisation
--   given_feedback     BIGINT [count]        complaints whose result was reported back
--   surveyed           BIGINT [count]        ... and surveyed by the as-of instant
--   satisfied          BIGINT [count]        surveyed with score >= policy satisfaction.satisfied_at
--   satisfaction_mean  DOUBLE [points 0..100]  mean score of the surveyed
--   satisfaction_rate  DOUBLE [ratio 0..1]   satisfied / surveyed
--   survey_coverage    DOUBLE [ratio 0..1]   surveyed / given_feedback
with counted as (
    -- The counts of kpi_fact_monthly, where the rule is written.
    select month, department,
           sum(denominator) filter (where kpi = 'survey_coverage')::bigint as given_feedback,
           sum(numerator) filter (where kpi = 'survey_coverage')::bigint as surveyed,
           sum(numerator) filter (where kpi = 'satisfaction_rate')::bigint as satisfied,
           (sum(score_sum::decimal(38, 12)) filter (where kpi = 'satisfaction_mean'))::double as score_sum
    from kpi_fact_monthly
    where kpi in ('survey_coverage', 'satisfaction_rate', 'satisfaction_mean')
    group by grouping sets ((month), (month, department))
)
select month, department, given_feedback, surveyed, satisfied,
       score_sum / nullif(surveyed, 0)       as satisfaction_mean,
       satisfied / nullif(surveyed, 0)       as satisfaction_rate,
       surveyed / nullif(given_feedback, 0)  as survey_coverage
from counted

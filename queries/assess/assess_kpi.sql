-- assess_kpi: the quarter's KPIs against the policy's targets, per month and for the quarter.
-- One row per period x department x kpi, for each month of the quarter and for
-- the quarter as a whole, for the organisation and per department. Monthly rows
-- are kpi_summary_monthly and kpi_department_monthly as they stand at the as-of
-- instant; a quarter row adds up its three months' numerators and denominators
-- (a commitment counts in the month its due instant falls in, so nothing is
-- counted twice): the month-weighted combination of the monthly values, weighted
-- by each month's denominator. For satisfaction_mean the numerator is the sum of
-- scores (0..100) and the denominator the complaints surveyed, so it combines the
-- same way.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   period        VARCHAR                month ('2025-07') or quarter ('2025Q3')
--   period_kind   VARCHAR                month | quarter
--   period_start  DATE                   first day of the period
--   department    VARCHAR                the department; null (empty in CSV) for the whole organisation
--   kpi           VARCHAR                timeliness, timeliness:<commitment>, resolution_rate, reopen_rate,
--                                        satisfaction_rate, satisfaction_mean, survey_coverage
--   numerator     DOUBLE [count]         what the ratio counts (sum of scores for satisfaction_mean)
--   denominator   DOUBLE [count]         what it is counted out of
--   actual        DOUBLE [ratio 0..1]    numerator / denominator (0..100 for satisfaction_mean);
--                                        null when nothing was measured
--   target        DOUBLE [ratio 0..1]    the policy's target (0..100 for satisfaction_mean)
--   direction     VARCHAR                at_least | at_most
--   unknown       DOUBLE [count]         what could not be judged (clocks of status unknown)
--   judged_share  DOUBLE [ratio 0..1]    denominator / (denominator + unknown)
--   on_target     BOOLEAN                actual meets the target; null when it cannot be judged
--                                        (judged_share below targets.min_judged_share)
with monthly_org as (
    select month, null::varchar as department, kpi, actual, numerator, denominator, unknown
    from kpi_summary_monthly
),
monthly_department as (
    select month, department, kpi, actual, numerator, denominator, unknown
    from kpi_department_monthly
),
months_in_quarter as (
    select month, department, kpi, actual, denominator, unknown,
           case when kpi = 'satisfaction_mean' then actual * denominator else numerator end as numerator
    from (select * from monthly_org union all select * from monthly_department)
    where month >= $quarter_start::date and month < $quarter_end::date
),
monthly as (
    select strftime(month, '%Y-%m') as period, 'month' as period_kind, month as period_start,
           department, kpi, numerator, denominator, actual, unknown
    from months_in_quarter
),
quarterly as (
    select year($quarter_start::date) || 'Q' || quarter($quarter_start::date) as period, 'quarter' as period_kind,
           $quarter_start::date as period_start, department, kpi,
           sum(numerator) as numerator, sum(denominator) as denominator,
           sum(numerator) / nullif(sum(denominator), 0) as actual,
           sum(unknown) as unknown
    from months_in_quarter
    group by department, kpi
),
both_periods as (
    select *, denominator / nullif(denominator + coalesce(unknown, 0), 0) as judged_share
    from (select * from monthly union all select * from quarterly)
)
select b.period, b.period_kind, b.period_start, b.department, b.kpi,
       b.numerator::double as numerator, b.denominator::double as denominator,
       b.actual, t.target, t.direction, b.unknown::double as unknown,
       b.judged_share, pledge_on_target(b.actual, t.target, t.direction, b.judged_share) as on_target
from both_periods b
left join policy_target t using (kpi)
order by b.period_kind, b.period_start, b.department nulls first, b.kpi

-- assess_kpi: the quarter's KPIs against the policy's targets, for each month of
-- the quarter and for the quarter as a whole, for the organisation and per department.
-- One row per (period, department, kpi). Monthly rows are the kpi_*_monthly views
-- (kpi_summary_monthly, kpi_department_monthly) as they stand at the as-of instant; a quarter row adds up its three months'
-- numerators and denominators (a commitment counts in the month its due instant
-- falls in, so no complaint is counted twice), i.e. it is the month-weighted
-- combination of the monthly values, weighted by each month's denominator.
-- satisfaction_mean: numerator is the sum of scores (0..100 scale), denominator
-- the complaints surveyed, so it combines the same way.
-- Parameters: $quarter_start DATE (first day), $quarter_end DATE (first day after).
-- Columns: period TEXT ('2025-07' … or '2025Q3'), period_kind TEXT (month | quarter),
--   period_start DATE, department TEXT (empty = whole organisation), kpi TEXT,
--   numerator DOUBLE, denominator DOUBLE, actual DOUBLE (0..1, or 0..100 for
--   satisfaction_mean; empty when nothing was measured), target DOUBLE,
--   direction TEXT (at_least | at_most), on_target BOOLEAN.
with monthly_org as (
    select month, null::varchar as department, kpi, actual, numerator, denominator
    from kpi_summary_monthly
),
monthly_department as (
    select month, department, kpi, actual, numerator, denominator
    from kpi_department_monthly
),
months_in_quarter as (
    select month, department, kpi, actual, denominator,
           case when kpi = 'satisfaction_mean' then actual * denominator else numerator end as numerator
    from (select * from monthly_org union all select * from monthly_department)
    where month >= $quarter_start::date and month < $quarter_end::date
),
monthly as (
    select strftime(month, '%Y-%m') as period, 'month' as period_kind, month as period_start,
           department, kpi, numerator, denominator, actual
    from months_in_quarter
),
quarterly as (
    select year($quarter_start::date) || 'Q' || quarter($quarter_start::date) as period, 'quarter' as period_kind,
           $quarter_start::date as period_start, department, kpi,
           sum(numerator) as numerator, sum(denominator) as denominator,
           sum(numerator) / nullif(sum(denominator), 0) as actual
    from months_in_quarter
    group by department, kpi
),
both_periods as (
    select * from monthly union all select * from quarterly
)
select b.period, b.period_kind, b.period_start, b.department, b.kpi,
       b.numerator::double as numerator, b.denominator::double as denominator,
       b.actual, t.target, t.direction,
       case when t.direction = 'at_most' then b.actual <= t.target else b.actual >= t.target end as on_target
from both_periods b
left join policy_target t using (kpi)
order by b.period_kind, b.period_start, b.department nulls first, b.kpi

-- parity: the month's service KPIs online vs offline and for each special
-- segment vs every other customer (seed 001), with the gap flagged where it
-- exceeds policy parity.gap_threshold.
-- Parameters: $month DATE
-- Columns: comparison_order INT, group_a TEXT, group_b TEXT, kpi TEXT,
--   actual_a, actual_b DOUBLE (0..1), denominator_a, denominator_b DOUBLE,
--   gap DOUBLE (actual_a - actual_b), flagged BOOLEAN (|gap| > threshold)
with month_values as (
    select dimension, grp, kpi, actual, denominator from kpi_parity_monthly where month = $month::date
),
pairs as (
    select 0 as comparison_order, 'online' as group_a, 'offline' as group_b, 'channel_kind' as dimension
    union all
    select row_number() over (order by segment), segment, 'others', 'segment' from policy_parity_segment
)
select p.comparison_order, p.group_a, p.group_b, k.kpi,
       a.actual as actual_a, b.actual as actual_b, a.denominator as denominator_a, b.denominator as denominator_b,
       a.actual - b.actual as gap,
       coalesce(abs(a.actual - b.actual) > getvariable('parity_gap_threshold'), false) as flagged
from pairs p
cross join policy_parity_kpi k
left join month_values a on a.dimension = p.dimension and a.grp = p.group_a and a.kpi = k.kpi
left join month_values b on b.dimension = p.dimension and b.grp = p.group_b and b.kpi = k.kpi
order by p.comparison_order, k.kpi

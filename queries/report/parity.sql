-- parity: the month's service KPIs online vs offline and each special segment vs the other customers.
-- One row per comparison x KPI (seed 001), the gap flagged where it exceeds policy
-- parity.gap_threshold (absolute, in rate points). What neither group of a comparison holds is
-- counted beside it (denominator_neither): a channel the policy does not list (the group
-- "unknown channel"), or the other special segments, so the groups visibly add up to the whole.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   comparison_order  BIGINT                0 = online vs offline, then the segments
--   group_a           VARCHAR               online, or a segment
--   group_b           VARCHAR               offline, or others
--   kpi               VARCHAR               KPI name (policy parity.kpis)
--   actual_a          DOUBLE [ratio 0..1]   group_a's value
--   actual_b          DOUBLE [ratio 0..1]   group_b's value
--   denominator_a     DOUBLE [count]        what group_a's rate is counted over
--   denominator_b     DOUBLE [count]        what group_b's rate is counted over
--   gap               DOUBLE [ratio]        actual_a - actual_b
--   flagged           BOOLEAN               abs(gap) > parity.gap_threshold
--   denominator_neither DOUBLE [count]      what the KPI counts in neither group (unknown channel, other segments)
with month_values as (
    select dimension, grp, kpi, actual, denominator from kpi_parity_monthly where month = $month::date
),
pairs as (
    select 0 as comparison_order, 'online' as group_a, 'offline' as group_b, 'channel_kind' as dimension
    union all
    select row_number() over (order by segment), segment, 'others', 'segment' from policy_parity_segment
),
neither as (
    select p.comparison_order, v.kpi, sum(v.denominator) as denominator
    from pairs p
    join month_values v on v.dimension = p.dimension and v.grp not in (p.group_a, p.group_b)
    group by all
)
select p.comparison_order, p.group_a, p.group_b, k.kpi,
       a.actual as actual_a, b.actual as actual_b, a.denominator as denominator_a, b.denominator as denominator_b,
       a.actual - b.actual as gap,
       coalesce(abs(a.actual - b.actual) > getvariable('parity_gap_threshold'), false) as flagged,
       coalesce(n.denominator, 0) as denominator_neither
from pairs p
cross join policy_parity_kpi k
left join month_values a on a.dimension = p.dimension and a.grp = p.group_a and a.kpi = k.kpi
left join month_values b on b.dimension = p.dimension and b.grp = p.group_b and b.kpi = k.kpi
left join neither n on n.comparison_order = p.comparison_order and n.kpi = k.kpi
order by p.comparison_order, k.kpi

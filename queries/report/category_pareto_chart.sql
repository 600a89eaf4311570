-- category_pareto_chart: the Pareto chart's bars: the categories with most breaches, then one bar for the rest.
-- One row per bar: the first $bars - 1 categories in category_pareto.sql's order (most
-- breaches, then most received, then by name), then one "others" bar holding every category
-- after them, so the cumulative line ends at 100% of the breaches the table beside it lists
-- (a chart cut at 15 of 24 categories stopped at 84.4%). No "others" bar when every
-- category fits.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $bars   INTEGER = 15  bars drawn at most (the last one "others" when there are more categories)
-- Columns:
--   category                 VARCHAR               complaint category; null for the others bar
--   breaches                 BIGINT [count]        breached + overdue commitments due in the month
--   received                 BIGINT [count]        complaints received in the month
--   cumulative_breach_share  DOUBLE [ratio 0..1]   running total of the breaches' share in bar order
--   pareto_rank              BIGINT                bar order, 1 = most breaches
--   is_others                BOOLEAN               the bar of every category after the first $bars - 1
--   others_count             BIGINT [count]        categories in the others bar (null otherwise)
with ranked as (
    select category, breaches, received,
           row_number() over (order by breaches desc, received desc, category) as pareto_rank,
           count(*) over () as categories
    from kpi_category_monthly where month = $month::date
),
bars as (
    select case when categories > $bars and pareto_rank >= $bars then null else category end as category,
           breaches, received,
           case when categories > $bars and pareto_rank >= $bars then $bars else pareto_rank end as bar
    from ranked
),
grouped as (
    select bar as pareto_rank, any_value(category) as category, sum(breaches)::bigint as breaches,
           sum(received)::bigint as received, count(*) as members
    from bars group by bar
)
select category, breaches, received,
       sum(breaches) over (order by pareto_rank) / nullif(sum(breaches) over (), 0) as cumulative_breach_share,
       pareto_rank, category is null and members > 1 as is_others,
       case when category is null and members > 1 then members end as others_count
from grouped
order by pareto_rank

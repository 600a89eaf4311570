-- category_pareto: recurring problems (共性问题) in the month: categories by
-- breaches (Pareto: cumulative share of all breaches), with volume, repeats and
-- the change in volume since last month.
-- Parameters: $month DATE
-- Columns: category TEXT, breaches BIGINT, breach_share, cumulative_breach_share
--   DOUBLE (0..1), received BIGINT, received_share DOUBLE (0..1), previous_received
--   BIGINT, received_change BIGINT, repeats BIGINT, pareto_rank BIGINT
with this_month as (
    select category, breaches, received, repeats from kpi_category_monthly where month = $month::date
),
last_month as (
    select category, received as previous_received from kpi_category_monthly where month = $month::date - interval 1 month
),
ranked as (
    select t.*, l.previous_received,
           row_number() over (order by t.breaches desc, t.received desc, t.category) as pareto_rank,
           t.breaches / nullif(sum(t.breaches) over (), 0) as breach_share,
           t.received / nullif(sum(t.received) over (), 0) as received_share
    from this_month t left join last_month l using (category)
)
select category, breaches, breach_share,
       sum(breach_share) over (order by pareto_rank) as cumulative_breach_share,
       received, received_share, previous_received, received - previous_received as received_change,
       repeats, pareto_rank
from ranked
order by pareto_rank

-- category_pareto: recurring problems (共性问题) in the month: categories by breaches, Pareto order.
-- One row per complaint category of the month, most breaches first, with the
-- cumulative share of all breaches, volume, repeats and the change in volume
-- since last month.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   category                 VARCHAR               complaint category
--   breaches                 BIGINT [count]        breached + overdue commitments due in the month
--   breach_share             DOUBLE [ratio 0..1]   share of the month's breaches
--   cumulative_breach_share  DOUBLE [ratio 0..1]   running total of breach_share in this order
--   received                 BIGINT [count]        complaints received in the month
--   received_share           DOUBLE [ratio 0..1]   share of the month's complaints
--   previous_received        BIGINT [count]        complaints received the month before
--   received_change          BIGINT [count]        received - previous_received
--   repeats                  BIGINT [count]        repeat complaints received in the month
--   pareto_rank              BIGINT                1 = most breaches
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

-- unit_breach_drivers: why a unit breached: the commitments and categories behind most of its breaches.
-- One row per commitment or category, the top $top (5) of each, for the unit and month (top 1:
-- the review page's "why" sentence).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
--   $top    INTEGER = 5           how many of each dimension
-- Columns:
--   dimension  VARCHAR               commitment | category
--   item       VARCHAR               the commitment or category
--   breaches   BIGINT [count]        breached + overdue commitments due in the month
--   share      DOUBLE [ratio 0..1]   of the unit's breaches
--   item_rank  BIGINT                1 = most breaches
with unit_breaches as (
    select commitment, category
    from breach_list
    where due_month = $month::date and (case $level when 'team' then team else department end) = $unit
),
counted as (
    select 'commitment' as dimension, commitment as item, count(*) as breaches from unit_breaches group by all
    union all
    select 'category', category, count(*) from unit_breaches group by all
),
ranked as (
    select *, breaches / sum(breaches) over (partition by dimension) as share,
           row_number() over (partition by dimension order by breaches desc, item) as item_rank
    from counted
)
select dimension, item, breaches, share, item_rank
from ranked
where item_rank <= $top
order by dimension desc, item_rank

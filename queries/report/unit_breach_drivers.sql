-- unit_breach_drivers: why a unit breached: the commitments and the complaint
-- categories that account for most of its breaches in the month (top 5 of each).
-- Parameters: $month DATE, $level TEXT, $unit TEXT
-- Columns: dimension TEXT (commitment | category), item TEXT, breaches BIGINT,
--   share DOUBLE (0..1 of the unit's breaches), item_rank BIGINT
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
where item_rank <= 5
order by dimension desc, item_rank

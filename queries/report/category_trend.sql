-- category_trend: complaints received per month over the twelve months up to the
-- reporting month, for the ten categories with the most breaches in it.
-- Parameters: $month DATE
-- Columns: month DATE, category TEXT, received BIGINT, pareto_rank BIGINT
with top_categories as (
    select category, row_number() over (order by breaches desc, received desc, category) as pareto_rank
    from kpi_category_monthly where month = $month::date
    qualify pareto_rank <= 10
)
select k.month, k.category, k.received, t.pareto_rank
from kpi_category_monthly k
join top_categories t using (category)
where k.month between $month::date - interval 11 month and $month::date
order by t.pareto_rank, k.month

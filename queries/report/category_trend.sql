-- category_trend: monthly volume of the ten categories with most breaches in the reporting month.
-- One row per month x category over the twelve months up to the reporting month.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   month        DATE             first day of the month
--   category     VARCHAR          complaint category
--   received     BIGINT [count]   complaints received in the month
--   pareto_rank  BIGINT           the category's rank by breaches in the reporting month
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

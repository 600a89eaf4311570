-- repeat_complaints: the month's repeat complaints by category, most repeats first (top 10).
-- One row per category with repeats: same customer and category within policy repeat.window_days.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   category     VARCHAR               complaint category
--   received     BIGINT [count]        complaints received in the month
--   repeats      BIGINT [count]        of which repeats
--   repeat_rate  DOUBLE [ratio 0..1]   repeats / received
--   window_days  INTEGER [days]        policy repeat.window_days
select category, received, repeats, repeats / nullif(received, 0) as repeat_rate,
       getvariable('repeat_window_days')::integer as window_days
from kpi_category_monthly
where month = $month::date and repeats > 0
order by repeats desc, category
limit 10

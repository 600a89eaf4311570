-- repeat_complaints: the month's repeat complaints (same customer and category
-- within policy repeat.window_days) by category, most repeats first.
-- Parameters: $month DATE
-- Columns: category TEXT, received BIGINT, repeats BIGINT, repeat_rate DOUBLE (0..1),
--   window_days INT
select category, received, repeats, repeats / nullif(received, 0) as repeat_rate,
       getvariable('repeat_window_days')::integer as window_days
from kpi_category_monthly
where month = $month::date and repeats > 0
order by repeats desc, category
limit 10

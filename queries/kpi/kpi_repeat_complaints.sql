-- kpi_repeat_complaints: every complaint that repeats an earlier one: the same
-- customer, the same category, received within policy repeat.window_days
-- calendar days after the previous complaint of that customer and category.
-- One row per repeat complaint (received by the as-of instant). customer_id is
-- kept for analysts; reports show counts only.
-- Columns: complaint_id, customer_id, category, department, team TEXT,
--   received_at TIMESTAMPTZ, previous_complaint_id TEXT,
--   days_since_previous DOUBLE (calendar days).
with ordered as (
    select complaint_id, customer_id, category, department, team, received_at,
           lag(complaint_id) over w as previous_complaint_id,
           lag(received_at) over w as previous_received_at
    from stg_complaints
    where customer_id is not null and category is not null and received_at <= getvariable('as_of')
    window w as (partition by customer_id, category order by received_at, complaint_id)
)
select complaint_id, customer_id, category, department, team, received_at, previous_complaint_id,
       epoch(received_at - previous_received_at) / 86400 as days_since_previous
from ordered
where previous_received_at is not null
  and received_at - previous_received_at <= to_days(getvariable('repeat_window_days')::integer)

-- kpi_repeat_complaints: every complaint that repeats an earlier one of the same customer and category.
-- One row per repeat complaint (received by the as-of instant): the same customer,
-- the same category, received within policy repeat.window_days calendar days after
-- that customer's previous complaint in the category. The customer is known only by
-- customer_key (a keyed hash of customer_id, or of the mobile number when there is no
-- id): repeats are linked without saying who complained.
-- Columns:
--   complaint_id           VARCHAR         the repeat complaint
--   customer_key           VARCHAR         the customer, pseudonymous (stg_complaints.customer_key)
--   category               VARCHAR         complaint category
--   department             VARCHAR         department holding it
--   team                   VARCHAR         team holding it
--   received_at            TIMESTAMPTZ     when it was received
--   previous_complaint_id  VARCHAR         the complaint it repeats
--   days_since_previous    DOUBLE [days]   calendar days since that one was received
with ordered as (
    select complaint_id, customer_key, category, department, team, received_at,
           lag(complaint_id) over w as previous_complaint_id,
           lag(received_at) over w as previous_received_at
    from stg_complaints
    where customer_key is not null and category is not null and received_at < getvariable('as_of')
    window w as (partition by customer_key, category order by received_at, complaint_id)
)
select complaint_id, customer_key, category, department, team, received_at, previous_complaint_id,
       epoch(received_at - previous_received_at) / 86400 as days_since_previous
from ordered
where previous_received_at is not null
  and received_at - previous_received_at <= to_days(getvariable('repeat_window_days')::integer)

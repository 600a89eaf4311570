-- kpi_first_handler_monthly: complaints each first handler (首问负责人) owns, per month.
-- One row per month x first handler. Owned complaints count in the month they
-- were received; survey results in the month the complaint was reported back
-- (feedback_at), as on the satisfaction panels.
-- Columns:
--   month       DATE             first day of the month
--   handler     VARCHAR          the first handler
--   owned       BIGINT [count]   complaints received in the month with them as first handler
--   surveyed    BIGINT [count]   their complaints reported back in the month and surveyed
--   satisfied   BIGINT [count]   of which satisfied
with owned as (
    select date_trunc('month', received_at::timestamp)::date as month, first_handler as handler, count(*) as owned
    from stg_complaints
    where received_at < getvariable('as_of') and first_handler is not null
    group by all
),
surveyed as (
    select date_trunc('month', feedback_at::timestamp)::date as month, first_handler as handler,
           count(*) filter (where survey_at < getvariable('as_of') and satisfaction is not null) as surveyed,
           count(*) filter (where survey_at < getvariable('as_of') and satisfaction is not null and is_satisfied) as satisfied
    from stg_complaints
    where feedback_at < getvariable('as_of') and first_handler is not null
    group by all
)
select month, handler, coalesce(o.owned, 0) as owned, coalesce(s.surveyed, 0) as surveyed, coalesce(s.satisfied, 0) as satisfied
from owned o
full join surveyed s using (month, handler)

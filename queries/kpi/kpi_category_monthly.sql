-- kpi_category_monthly: recurring problems (共性问题): complaints and broken commitments per month and category.
-- One row per month x complaint category. received counts complaints received in
-- the month (local); breaches counts breached + overdue commitments due in the
-- month; repeats counts complaints received in the month that repeat an earlier
-- one (kpi_repeat_complaints).
-- Columns:
--   month                DATE             first day of the month
--   category             VARCHAR          complaint category
--   received             BIGINT [count]   complaints received in the month
--   breaches             BIGINT [count]   breached + overdue commitments due in the month
--   complaints_breached  BIGINT [count]   distinct complaints with such a breach
--   repeats              BIGINT [count]   repeat complaints received in the month
with received as (
    select date_trunc('month', received_at::timestamp)::date as month, category, count(*) as received
    from stg_complaints
    where received_at < getvariable('as_of')
    group by all
),
breached as (
    select due_month as month, category, count(*) as breaches, count(distinct complaint_id) as complaints_breached
    from commitment_status
    where status in ('breached', 'overdue')
    group by all
),
repeated as (
    select date_trunc('month', received_at::timestamp)::date as month, category, count(*) as repeats
    from kpi_repeat_complaints
    group by all
)
select month, category, coalesce(r.received, 0) as received, coalesce(b.breaches, 0) as breaches,
       coalesce(b.complaints_breached, 0) as complaints_breached, coalesce(p.repeats, 0) as repeats
from received r
full join breached b using (month, category)
left join repeated p using (month, category)

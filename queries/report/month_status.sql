-- month_status: whether the reporting month is closed or provisional, and how much of it is still open.
-- One row: the reporting month's close (kpi_month_close), the share of the clocks counted in
-- it (due in it, not not_applicable) that are not done at the as-of (pending or overdue: they
-- can still change its figures), and whether the month before is closed and could be revised
-- (the policy changed, or imports were added, since its close).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   month                     DATE                  first day of the reporting month
--   closed                    BOOLEAN               its figures are published (pledge close); null: no data
--   closes_at                 TIMESTAMPTZ           when it closes by the policy (month end + reports.close_after)
--   published_as_of           TIMESTAMPTZ           as-of of its latest close
--   closed_at                 TIMESTAMPTZ           when its latest close was made
--   clocks                    BIGINT [count]        clocks counted in the month
--   open_clocks               BIGINT [count]        of them, not done at the as-of (pending or overdue)
--   open_share                DOUBLE [ratio 0..1]   open_clocks / clocks; null with no clock
--   previous_closed           BOOLEAN               the month before is closed ("vs last month" reads its published figures)
--   previous_published_as_of  TIMESTAMPTZ           as-of of its latest close
--   previous_may_be_revised   BOOLEAN               the policy text or the imports changed since the month before was closed
with clocks as (
    select count(*) as clocks, count(*) filter (where done_at is null and status in ('pending', 'overdue')) as open_clocks
    from commitment_status
    where due_month = $month::date and status <> 'not_applicable'
),
previous as (
    select bool_or(policy_sha256 <> getvariable('policy_sha256')
                   or coalesce(last_import_id, 0) < (select coalesce(max(import_id), 0) from imports)) as may_be_revised,
           max(as_of) as published_as_of
    from kpi_published_monthly
    where month = $month::date - interval 1 month
)
select $month::date as month, m.closed, m.closes_at, m.published_as_of, m.closed_at,
       c.clocks, c.open_clocks, c.open_clocks / nullif(c.clocks, 0) as open_share,
       p.published_as_of is not null as previous_closed, p.published_as_of as previous_published_as_of,
       coalesce(p.may_be_revised, false) as previous_may_be_revised
from clocks c
cross join previous p
left join kpi_month_close m on m.month = $month::date

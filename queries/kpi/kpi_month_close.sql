-- kpi_month_close: every month of the data: when it closes, whether the data reach that far, whether it is closed.
-- One row per month that some stage time of some complaint version falls in.
-- A month closes policy reports.close_after after its end (stg_month_close: in working days,
-- at close of business of the N-th working day after the 1st of the next month). It is
-- settled when the latest time recorded in the warehouse (any stage of any complaint version:
-- time passes in the data, never on the wall clock), but no later than the latest export time
-- (imports.exported_at), has reached that instant. pledge ingest closes settled months; pledge
-- close closes any month.
-- Columns:
--   month            DATE          first day of the month
--   month_end        TIMESTAMPTZ   00:00 on the 1st of the next month: the as-of its figures are published at
--   closes_at        TIMESTAMPTZ   month_end + close_after; null beyond the loaded calendar
--   data_until       TIMESTAMPTZ   the latest time recorded in the warehouse (at most the latest export time)
--   settled          BOOLEAN       data_until has reached closes_at
--   closed           BOOLEAN       its figures are published (pledge close)
--   close_no         INTEGER       closes so far (1, or more after --reclose); null when open
--   published_as_of  TIMESTAMPTZ   the as-of of the latest close
--   closed_at        TIMESTAMPTZ   when the latest close was made
with horizon as (
    -- No later than the latest export was made: a mistyped stage time in 2052 does not settle 2025.
    -- Every *_at column of complaint_versions is a stage time (policy_stage).
    select least(max(greatest(*columns('_at$'))), (select max(exported_at) from imports)) as data_until
    from complaint_versions
),
months as (
    -- Months some stage time falls in (not every month between the first and the last: one
    -- stray date decades away must not make a thousand empty months to close).
    -- (unpivot leaves out the empty stage times)
    select distinct date_trunc('month', t::timestamp)::date as month
    from (unpivot (select columns('_at$') from complaint_versions) on columns(*) into name stage value t)
),
closes as (
    -- When each closes: the one rule of a month's close (stg_month_close).
    select m.month, (m.month + interval 1 month)::date::timestamptz as month_end, h.data_until, mc.closes_at
    from months m
    cross join horizon h
    left join stg_month_close mc using (month)
),
published as (
    select month, max(close_no) as close_no
    from published_kpi group by month
),
latest as (
    select distinct p.month, p.close_no, k.as_of, k.closed_at
    from published p join published_kpi k on k.month = p.month and k.close_no = p.close_no
)
select c.month, c.month_end, c.closes_at, c.data_until,
       coalesce(c.data_until >= c.closes_at, false) as settled,
       l.month is not null as closed,
       l.close_no, l.as_of as published_as_of, l.closed_at
from closes c
left join latest l using (month)
order by c.month

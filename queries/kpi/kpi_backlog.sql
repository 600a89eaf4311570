-- kpi_backlog: complaints still open at the as-of instant, by department and age.
-- One row per department x age band (department null: the whole organisation).
-- Open: received by the as-of instant and not resolved by it. Age in calendar days since receipt.
-- Columns:
--   department       VARCHAR           the department; null for the whole organisation
--   age_band         VARCHAR [days]    '0-3d', '4-7d', '8-15d', '16-30d', '>30d'
--   age_band_order   INTEGER           1..5, for sorting the bands
--   open_complaints  BIGINT [count]    complaints open at the as-of instant
with open_complaints as (
    select department, epoch(getvariable('as_of') - received_at) / 86400 as age_days
    from stg_complaints
    where received_at < getvariable('as_of')
      and (resolved_at is null or resolved_at >= getvariable('as_of'))
),
banded as (
    select department,
           case when age_days <= 3 then 1 when age_days <= 7 then 2 when age_days <= 15 then 3
                when age_days <= 30 then 4 else 5 end as age_band_order
    from open_complaints
)
select department, ['0-3d', '4-7d', '8-15d', '16-30d', '>30d'][age_band_order] as age_band,
       age_band_order, count(*) as open_complaints
from banded
group by grouping sets ((age_band_order), (department, age_band_order))

-- kpi_trend: the headline KPIs over the twelve months up to the reporting month.
-- One row per month x KPI (fewer months where the data begin later). A closed month is drawn
-- as published at its own end, so the months of the trend are judged alike; an open month as
-- this session computes it.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   month      DATE                  first day of the month
--   kpi        VARCHAR               timeliness, resolution_rate, satisfaction_rate, survey_coverage
--   actual     DOUBLE [ratio 0..1]   the month's value
--   target     DOUBLE [ratio 0..1]   the policy's target
--   on_target  BOOLEAN               the month met the target; null when too little of it could be judged
--   kpi_order  INTEGER               display order, as the tiles (policy_target.kpi_order)
--   published  BOOLEAN               a closed month's value as published (kpi_published_monthly),
--              not recomputed at this as-of; false: the month is open (provisional)
with valued as (
    select s.month, s.kpi, case when p.kpi is not null then p.actual else s.actual end as actual,
           case when p.kpi is not null then p.judged_share else s.judged_share end as judged_share,
           s.target, s.direction, p.kpi is not null as published
    from kpi_summary_monthly s
    left join kpi_published_monthly p on p.level = 'organisation' and p.month = s.month and p.kpi = s.kpi
)
select s.month, s.kpi, s.actual, s.target,
       -- judged against the target drawn beside it (this policy's), as every value is
       pledge_on_target(s.actual, s.target, s.direction, s.judged_share) as on_target,
       t.kpi_order, s.published
from valued s
join policy_target t using (kpi)
where s.kpi in ('timeliness', 'resolution_rate', 'satisfaction_rate', 'survey_coverage')
  and s.month between $month::date - interval 11 month and $month::date
  and s.actual is not null
order by s.month, t.kpi_order

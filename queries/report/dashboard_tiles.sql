-- dashboard_tiles: the headline KPIs of the reporting month against their targets.
-- One row per tile, in display order.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   kpi          VARCHAR               KPI name
--   actual       DOUBLE [ratio 0..1]   the month's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target; null when it cannot be judged
--   previous     DOUBLE [same unit]    last month's value
--   numerator    BIGINT [count]        the part
--   denominator  BIGINT [count]        the whole
--   tile_order   INTEGER               display order (policy_target.kpi_order)
--   unknown      BIGINT [count]        what fell due but could not be judged: a tile shows
--                judged (denominator) of due (denominator + unknown)
--   judged_share DOUBLE [ratio 0..1]   denominator / (denominator + unknown)
--   trend        DOUBLE[] [same unit]  the value of each of the twelve months up to this one, oldest
--                first (the tile's sparkline); a closed month as published, as in kpi_trend.sql
--   commitment   VARCHAR               the commitment a timeliness:<commitment> tile is about (its breach list);
--                '' for timeliness over every commitment; null for a KPI that is no commitment's
--   breaches     BIGINT [count]        the month's breaches behind a timeliness tile (denominator - numerator)
with valued as (
    select s.month, s.kpi, case when p.kpi is not null then p.actual else s.actual end as actual
    from kpi_summary_monthly s
    left join kpi_published_monthly p on p.level = 'organisation' and p.month = s.month and p.kpi = s.kpi
    where s.month between $month::date - interval 11 month and $month::date
),
trends as (
    select kpi, list(actual order by month) filter (where actual is not null) as trend from valued group by kpi
)
select s.kpi, s.actual, s.target, s.direction, s.on_target, s.previous, s.numerator, s.denominator,
       t.kpi_order as tile_order, s.unknown, s.judged_share, tr.trend,
       case when s.kpi = 'timeliness' then '' when s.kpi like 'timeliness:%' then substr(s.kpi, 12) end as commitment,
       case when s.kpi = 'timeliness' or s.kpi like 'timeliness:%' then s.denominator - s.numerator end as breaches
from kpi_summary_monthly s
left join trends tr using (kpi)
join policy_target t using (kpi)
where s.month = $month::date
order by tile_order

-- dashboard_tiles: the headline KPIs of the reporting month against their targets.
-- One row per tile, in display order.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   kpi          VARCHAR               KPI name
--   actual       DOUBLE [ratio 0..1]   the month's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target
--   previous     DOUBLE [same unit]    last month's value
--   numerator    BIGINT [count]        the part
--   denominator  BIGINT [count]        the whole
--   tile_order   INTEGER               display order
with headline(kpi, tile_order) as (
    values ('timeliness', 1), ('resolution_rate', 2), ('satisfaction_rate', 3),
           ('satisfaction_mean', 4), ('survey_coverage', 5), ('reopen_rate', 6)
),
ordered as (
    select kpi, tile_order from headline
    union all
    select 'timeliness:' || commitment, 10 + ord from policy_commitment
)
select s.kpi, s.actual, s.target, s.direction, s.on_target, s.previous, s.numerator, s.denominator, o.tile_order
from kpi_summary_monthly s
join ordered o using (kpi)
where s.month = $month::date
order by o.tile_order

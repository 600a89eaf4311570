-- dashboard_tiles: the headline KPIs of the reporting month against their targets.
-- Parameters: $month DATE (first day of the reporting month)
-- Columns: kpi TEXT, actual DOUBLE, target DOUBLE, direction TEXT, on_target BOOLEAN,
--   previous DOUBLE (last month), numerator, denominator DOUBLE, tile_order INT
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

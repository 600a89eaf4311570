-- unit_scorecard: one department's or team's KPIs for the month against the
-- target and against the whole organisation, with last month and the KPI's
-- weight in the composite score.
-- Parameters: $month DATE, $level TEXT (department | team), $unit TEXT
-- Columns: kpi TEXT, actual DOUBLE, target DOUBLE, direction TEXT, on_target BOOLEAN,
--   vs_target DOUBLE (actual - target), org_actual DOUBLE, vs_org DOUBLE,
--   previous DOUBLE, numerator, denominator DOUBLE, weight DOUBLE (share of the
--   composite, 0..1; null when not weighted), kpi_order INT
with headline(kpi, kpi_order) as (
    values ('timeliness', 1), ('resolution_rate', 2), ('satisfaction_rate', 3),
           ('satisfaction_mean', 4), ('survey_coverage', 5), ('reopen_rate', 6)
),
ordered as (
    select kpi, kpi_order from headline
    union all
    select 'timeliness:' || commitment, 10 + ord from policy_commitment
)
select u.kpi, u.actual, u.target, u.direction, u.on_target, u.actual - u.target as vs_target,
       u.org_actual, u.vs_org, u.previous, u.numerator, u.denominator, w.share as weight, o.kpi_order
from kpi_unit_monthly u
join ordered o using (kpi)
left join policy_scorecard_weight w using (kpi)
where u.month = $month::date and u.level = $level and u.unit = $unit
order by o.kpi_order

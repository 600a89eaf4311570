-- kpi_composite_monthly: the weighted composite score of every unit per month,
-- and its rank among the units of its level (绩效考核).
-- composite = 100 x sum(weight x score) / sum(weight) over the KPIs in
-- policy scorecard.weights that have a value for the unit that month; a KPI's
-- score is its rate (0..1), 1 - rate for an "at most" KPI (reopen rate), and
-- satisfaction_mean / 100. A unit missing a KPI is scored on the others
-- (kpis_scored says how many). Rank 1 = best; ties share a rank.
-- Columns: month DATE, level TEXT (organisation | department | team), department,
--   team, unit TEXT, composite DOUBLE (0..100), kpis_scored BIGINT,
--   kpis_weighted BIGINT, rank BIGINT, units_ranked BIGINT,
--   org_composite DOUBLE (the organisation's composite that month).
with weighted as (
    select u.month, u.level, u.department, u.team, u.unit, w.weight,
           case when u.kpi = 'satisfaction_mean' then u.actual / 100
                when u.direction = 'at_most' then 1 - u.actual
                else u.actual end as score
    from kpi_unit_monthly u
    join policy_scorecard_weight w using (kpi)
    where u.actual is not null
),
scored as (
    select month, level, department, team, unit,
           100 * sum(weight * score) / sum(weight) as composite,
           count(*) as kpis_scored
    from weighted
    group by month, level, department, team, unit
)
select s.month, s.level, s.department, s.team, s.unit, s.composite, s.kpis_scored,
       (select count(*) from policy_scorecard_weight) as kpis_weighted,
       rank() over (partition by s.month, s.level order by s.composite desc) as rank,
       count(*) over (partition by s.month, s.level) as units_ranked,
       o.composite as org_composite
from scored s
left join scored o on o.level = 'organisation' and o.month = s.month

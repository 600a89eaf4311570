-- kpi_composite_monthly: the weighted composite score of every unit per month, and its rank (绩效考核).
-- One row per month x unit (the organisation, each department, each team).
-- composite = 100 x sum(weight x score) / sum(weight) over the KPIs in policy
-- scorecard.weights that have a value for the unit that month; a KPI's score is
-- its rate (0..1), 1 - rate for an "at most" KPI (reopen rate), and a points KPI
-- (satisfaction_mean) / 100: unit and direction from the KPI catalogue (policy_target). A unit missing a KPI is scored on the others
-- (kpis_scored says how many); so is a KPI that cannot be judged (judgeable false in
-- kpi_unit_monthly: too little of it could be judged), which earns no points. Rank 1 = best among the units of its level; ties share a rank.
-- Both sums are DECIMAL(38,12) (each term to 12 decimals, then added exactly): a DOUBLE sum's
-- last digit depends on the order DuckDB's threads add the rows in (86.71468083783951 one run,
-- ...952 the next), and the same data must give the same composite, and so the same rank.
-- Columns:
--   month          DATE                     first day of the month
--   level          VARCHAR                  organisation | department | team
--   department     VARCHAR                  the department (null for the organisation)
--   team           VARCHAR                  the team (null above team level)
--   unit           VARCHAR                  department or team name (null for the organisation)
--   composite      DOUBLE [points 0..100]   the weighted score
--   kpis_scored    BIGINT [count]           weighted KPIs with a value for the unit
--   kpis_weighted  BIGINT [count]           KPIs in scorecard.weights
--   rank           BIGINT                   rank within the level, 1 = best
--   units_ranked   BIGINT [count]           units of the level ranked that month
--   org_composite  DOUBLE [points 0..100]   the organisation's composite that month
with weighted as (
    -- The score: the value made "0..1, more is better" by the KPI's unit and direction (the
    -- catalogue's, policy_target). Not pledge_on_target: no target is involved.
    select u.month, u.level, u.department, u.team, u.unit, w.weight,
           case when t.kpi_unit = 'points' then u.actual / 100
                when u.direction = 'at_most' then 1 - u.actual
                else u.actual end as score
    from kpi_unit_monthly u
    join policy_scorecard_weight w using (kpi)
    join policy_target t using (kpi)
    where u.actual is not null and u.judgeable
),
scored as (
    select month, level, department, team, unit,
           100 * sum((weight * score)::decimal(38, 12))::double / sum(weight::decimal(38, 12))::double as composite,
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

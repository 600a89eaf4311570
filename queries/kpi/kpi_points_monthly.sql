-- kpi_points_monthly: every unit's score under the points scheme, its rank and the red and black lists (红黑榜).
-- One row per month x level (department, team) x unit, under a policy with scorecard.scheme:
-- points (none otherwise). The score is policy scorecard.points.base plus the points of every
-- line of kpi_points_lines_monthly (each KPI's points, each bonus and penalty item), capped at
-- the maximum of the unit's class (scorecard.unit_classes, by the unit's name; a unit in no
-- class has no cap). Units are ranked within their level, best first, a tie going to the
-- first name; the scorecard.points.lists best are the red list (红榜) and as many of the
-- worst, not already on it, the black list (黑榜).
-- Columns:
--   month         DATE            first day of the month
--   level         VARCHAR         department | team
--   department    VARCHAR         the department
--   team          VARCHAR         the team (null at department level)
--   unit          VARCHAR         department or team name
--   base          DOUBLE [points] policy scorecard.points.base
--   kpi_points    DOUBLE [points] the KPIs' points
--   kpi_full      DOUBLE [points] the KPIs' full scores added up
--   bonus         DOUBLE [points] the bonus items' points (0 or more)
--   penalty       DOUBLE [points] the penalty items' points (0 or less)
--   uncapped      DOUBLE [points] base + kpi_points + bonus + penalty
--   unit_class    VARCHAR         the unit's class (scorecard.unit_classes); null when in none
--   class_max     DOUBLE [points] the class's maximum; null when in none
--   score         DOUBLE [points] uncapped, at most class_max
--   capped        BOOLEAN         the class maximum took points off
--   rank          BIGINT          within the level in the month, 1 = best
--   units_ranked  BIGINT [count]  units of the level in the month
--   list          VARCHAR         red (红榜, the best) | black (黑榜, the worst) | null
with totals as (
    select month, level, department, team, unit,
           getvariable('points_base')::double as base,
           sum(points) filter (where line_kind = 'kpi') as kpi_points,
           sum(full_points) filter (where line_kind = 'kpi') as kpi_full,
           coalesce(sum(points) filter (where line_kind = 'item' and points > 0), 0) as bonus,
           coalesce(sum(points) filter (where line_kind = 'item' and points < 0), 0) as penalty
    from kpi_points_lines_monthly
    group by all
),
scored as (
    select t.*, t.base + coalesce(t.kpi_points, 0) + t.bonus + t.penalty as uncapped, c.unit_class, c.max_points as class_max
    from totals t
    left join policy_unit_class c on c.unit = t.unit
),
ranked as (
    select *, least(uncapped, coalesce(class_max, uncapped)) as score,
           uncapped > coalesce(class_max, uncapped) as capped,
           row_number() over (partition by month, level order by least(uncapped, coalesce(class_max, uncapped)) desc, unit) as rank,
           count(*) over (partition by month, level) as units_ranked
    from scored
)
select month, level, department, team, unit, base, kpi_points, kpi_full, bonus, penalty, uncapped,
       unit_class, class_max, score, capped, rank, units_ranked,
       case when rank <= getvariable('points_lists') then 'red'
            when rank > units_ranked - getvariable('points_lists') then 'black' end as list
from ranked

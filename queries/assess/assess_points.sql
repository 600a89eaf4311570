-- assess_points: every unit's points in each month of the quarter (points scheme), its rank and the red and black lists.
-- One row per month x level (department, team) x unit of kpi_points_monthly in the quarter:
-- the score (policy scorecard.points.base + each KPI's points + bonus + penalty, at most the
-- unit class's maximum), as the dashboard ranks it. None under the weighted scheme (and the
-- pack then writes no points files). How each line was earned or lost: assess_points_lines.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   period        VARCHAR         the month ('2025-10')
--   level         VARCHAR         department | team
--   department    VARCHAR         the department
--   team          VARCHAR         the team (empty at department level)
--   unit          VARCHAR         department or team name
--   base          DOUBLE [points] policy scorecard.points.base
--   kpi_points    DOUBLE [points] the KPIs' points
--   kpi_full      DOUBLE [points] the KPIs' full scores added up
--   bonus         DOUBLE [points] bonus items (0 or more)
--   penalty       DOUBLE [points] penalty items (0 or less)
--   uncapped      DOUBLE [points] base + kpi_points + bonus + penalty
--   unit_class    VARCHAR         the unit's class (scorecard.unit_classes); empty when in none
--   class_max     DOUBLE [points] the class's maximum; empty when in none
--   score         DOUBLE [points] uncapped, at most class_max
--   capped        BOOLEAN         the class maximum took points off
--   rank          BIGINT          within the level in the month, 1 = best
--   units_ranked  BIGINT [count]  units of the level in the month
--   list          VARCHAR         red (红榜, the best) | black (黑榜, the worst) | empty
select strftime(month, '%Y-%m') as period, level, department, team, unit, base, kpi_points, kpi_full, bonus, penalty,
       uncapped, unit_class, class_max, score, capped, rank, units_ranked, list
from kpi_points_monthly
where month >= $quarter_start::date and month < $quarter_end::date
order by month, case level when 'department' then 0 else 1 end, rank

-- points_ranking: the units of a level by their score under the points scheme, with the red and black lists (红黑榜).
-- One row per unit of the level in the month, best first; none under the weighted scheme.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = team   department | team
-- Columns:
--   rank           BIGINT           1 = best
--   unit           VARCHAR          department or team name
--   department     VARCHAR          its department
--   score          DOUBLE [points]  the score, at most its class's maximum
--   kpi_points     DOUBLE [points]  earned on the KPIs
--   kpi_full       DOUBLE [points]  the KPIs' full scores
--   bonus          DOUBLE [points]  bonus items
--   penalty        DOUBLE [points]  penalty items (0 or less)
--   unit_class     VARCHAR          its class (scorecard.unit_classes), if any
--   class_max      DOUBLE [points]  the class's maximum
--   capped         BOOLEAN          the maximum took points off
--   on_red_list    BOOLEAN          among the best (红榜)
--   on_black_list  BOOLEAN          among the worst (黑榜)
select rank, unit, department, score, kpi_points, kpi_full, bonus, penalty, unit_class, class_max, capped,
       list = 'red' as on_red_list, list = 'black' as on_black_list
from kpi_points_monthly
where month = $month::date and level = $level
order by rank

-- unit_points: how one unit's points were earned or lost (points scheme), line by line, then its score.
-- One row per KPI and item of scorecard.points, then one row with the score; none under the
-- weighted scheme or for a unit with no KPI in the month.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   line_kind     VARCHAR          kpi | item | score
--   line          VARCHAR          the KPI, the item's name, or score
--   line_order    INTEGER          KPIs in the catalogue's order, then the items as the policy lists them, then the score
--   label_zh      VARCHAR          the line's name in Chinese (the KPI catalogue's, the item's label_zh)
--   label_en      VARCHAR          the line's name in English
--   kpi           VARCHAR          the KPI (null for an item or the score): its value is shown in its unit
--   actual        DOUBLE [same unit as the KPI]  the unit's value
--   line_value    DOUBLE [same unit as the KPI]  the KPI's line
--   shortfall     DOUBLE [percentage points]     how far on the wrong side of the line
--   cases_short   BIGINT [count]   cases short of the line (per_case KPIs)
--   occurrences   BIGINT [count]   item: events or findings counted
--   full_points   DOUBLE [points]  the KPI's full score, or for the score row the class maximum
--   deduction     DOUBLE [points]  points off before the floor
--   points        DOUBLE [points]  what the line adds; the score row: the score
--   is_full       BOOLEAN          KPI on the right side of its line
--   is_deducted   BOOLEAN          KPI below its line, points off
--   is_floor      BOOLEAN          KPI at its floor
--   is_unjudged   BOOLEAN          KPI that cannot be judged: no points
--   is_bonus      BOOLEAN          item added points
--   is_penalty    BOOLEAN          item took points off
--   is_capped     BOOLEAN          item at its max, or the score at the class maximum
--   is_none       BOOLEAN          item that did not occur
select l.line_kind, l.line, l.line_order,
       coalesce(t.label_zh, i.label_zh, l.line) as label_zh, coalesce(t.label_en, i.label, l.line) as label_en,
       case when l.line_kind = 'kpi' then l.line end as kpi,
       l.actual, l.line_value, l.shortfall, l.cases_short, l.occurrences, l.full_points, l.deduction, l.points,
       l.how = 'full' as is_full, l.how = 'deducted' as is_deducted, l.how = 'floor' as is_floor, l.how = 'unjudged' as is_unjudged,
       l.how = 'bonus' as is_bonus, l.how = 'penalty' as is_penalty, l.how = 'capped' as is_capped, l.how = 'none' as is_none
from kpi_points_lines_monthly l
left join policy_target t on l.line_kind = 'kpi' and t.kpi = l.line
left join policy_points_item i on l.line_kind = 'item' and i.item = l.line
where l.month = $month::date and l.level = $level and l.unit = $unit
union all
select 'score', 'score', 100000, '得分', 'Score', null, null, null, null, null, null, class_max, null, score,
       null, null, null, null, null, null, capped, null
from kpi_points_monthly
where month = $month::date and level = $level and unit = $unit
order by line_order

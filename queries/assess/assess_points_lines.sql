-- assess_points_lines: how each unit earned or lost its points in each month of the quarter, line by line.
-- One row per month x level (department, team) x unit x line of kpi_points_lines_monthly in the
-- quarter: a KPI of scorecard.points.kpis (its full score less the points off on the wrong side
-- of its line, never below its floor; nothing when it cannot be judged) or a bonus or penalty
-- item of scorecard.points.items (points per event or finding, at most its max). The lines of
-- a unit add up, with the base, to its uncapped score in assess_points. None under the
-- weighted scheme.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   period       VARCHAR         the month ('2025-10')
--   level        VARCHAR         department | team
--   department   VARCHAR         the department
--   team         VARCHAR         the team (empty at department level)
--   unit         VARCHAR         department or team name
--   line_kind    VARCHAR         kpi | item
--   line         VARCHAR         the KPI or the item's name
--   label_zh     VARCHAR         the line's name in Chinese (the KPI catalogue's, the item's label_zh)
--   label_en     VARCHAR         the line's name in English
--   actual       DOUBLE [same unit as the KPI]  kpi: the unit's value; empty for an item
--   line_value   DOUBLE [same unit as the KPI]  kpi: its line; empty for an item
--   direction    VARCHAR         kpi: at_least | at_most
--   shortfall    DOUBLE [percentage points]     kpi: how far on the wrong side of the line
--   cases_short  BIGINT [count]  kpi with per_case: cases short of the line
--   occurrences  BIGINT [count]  item: events or findings counted
--   full_points  DOUBLE [points] kpi: its full score
--   deduction    DOUBLE [points] kpi: points off before the floor
--   points       DOUBLE [points] what the line adds to the score (an item: negative for a penalty)
--   how          VARCHAR         kpi: full | deducted | floor | unjudged; item: bonus | penalty | none | capped
select strftime(l.month, '%Y-%m') as period, l.level, l.department, l.team, l.unit, l.line_kind, l.line,
       coalesce(t.label_zh, i.label_zh, l.line) as label_zh, coalesce(t.label_en, i.label, l.line) as label_en,
       l.actual, l.line_value, l.direction, l.shortfall, l.cases_short, l.occurrences, l.full_points, l.deduction,
       l.points, l.how
from kpi_points_lines_monthly l
left join policy_target t on l.line_kind = 'kpi' and t.kpi = l.line
left join policy_points_item i on l.line_kind = 'item' and i.item = l.line
where l.month >= $quarter_start::date and l.month < $quarter_end::date
order by l.month, case l.level when 'department' then 0 else 1 end, l.department, l.team nulls first, l.line_order

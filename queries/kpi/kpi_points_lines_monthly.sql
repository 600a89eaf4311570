-- kpi_points_lines_monthly: how each unit earned or lost its points, line by line (points scheme).
-- One row per month x level (department, team) x unit x line, under a policy with
-- scorecard.scheme: points (none otherwise: the policy_points_* tables are empty). A line is
-- a KPI of scorecard.points.kpis or a bonus or penalty item of scorecard.points.items:
--   KPI   full score, less the points off for being on the wrong side of its line (below it;
--         above it for an at_most KPI such as the return rate): per_point per percentage point
--         (per point for a score KPI), or per_case per case short of the line (the cases that
--         would have had to go the other way to reach it: ceil(line x denominator) - numerator,
--         or numerator - floor(line x denominator) for at_most), never below its floor. A KPI the
--         unit has no judgeable value of (kpi_unit_monthly.judgeable not true: too much unknown,
--         or nothing due) earns nothing: a points scheme never pays for what cannot be judged.
--   item  points per occurrence among the unit's complaints (the department and team of the
--         export, as every KPI): a flow-log event of the item's kind in the month it happened,
--         or a finding of the item's category (findings) of a complaint received in the month;
--         positive a bonus, negative a penalty, at most max_points either way.
-- The units are those kpi_unit_monthly has in the month; kpi_points_monthly adds the lines up.
-- Columns:
--   month         DATE            first day of the month
--   level         VARCHAR         department | team
--   department    VARCHAR         the department
--   team          VARCHAR         the team (null at department level)
--   unit          VARCHAR         department or team name
--   line_kind     VARCHAR         kpi | item
--   line          VARCHAR         the KPI (policy_target.kpi) or the item's name
--   line_order    INTEGER         the order lines are shown in: KPIs in kpi_order, then items as listed
--   actual        DOUBLE [same unit as the KPI]  kpi: the unit's value; null for an item
--   line_value    DOUBLE [same unit as the KPI]  kpi: its line; null for an item
--   direction     VARCHAR         kpi: at_least | at_most; null for an item
--   shortfall     DOUBLE [percentage points]     kpi: how far on the wrong side of the line (points for a
--                                 score KPI); 0 on the right side or on it
--   cases_short   BIGINT [count]  kpi with per_case: cases short of the line; else null
--   occurrences   BIGINT [count]  item: events or findings counted; null for a KPI
--   full_points   DOUBLE [points] kpi: its full score; null for an item
--   deduction     DOUBLE [points] kpi: points off before the floor; null for an item
--   points        DOUBLE [points] what the line adds to the unit's score (an item: negative for a penalty)
--   how           VARCHAR         kpi: full (on the right side of the line) | deducted | floor (the
--                                 deduction hit the floor) | unjudged; item: bonus | penalty | none |
--                                 capped (max_points reached)
with units as (
    select distinct month, level, department, team, unit
    from kpi_unit_monthly
    where level in ('department', 'team')
),
kpi_lines as (
    select u.month, u.level, u.department, u.team, u.unit, p.kpi, t.kpi_order, t.direction, t.kpi_unit,
           p.full_points, p.line as line_value, p.per_point, p.per_case, p.floor_points,
           k.actual, k.numerator, k.denominator, coalesce(k.judgeable, false) and k.actual is not null as judged
    from units u
    cross join policy_points_kpi p
    join policy_target t on t.kpi = p.kpi
    left join kpi_unit_monthly k
      on k.month = u.month and k.level = u.level and k.unit = u.unit and k.kpi = p.kpi
     and k.department is not distinct from u.department and k.team is not distinct from u.team
),
kpi_scored as (
    select *,
           -- Rounded to a millionth so that 0.87 against a line of 0.9 is 3 points, not 3.0000000000000027.
           greatest(0, round((case when direction = 'at_most' then actual - line_value else line_value - actual end)
                             * (case when kpi_unit = 'share' then 100 else 1 end), 6)) as shortfall,
           case when per_case is null or not judged then null
                when direction = 'at_most' then greatest(0, numerator - floor(round(line_value * denominator, 9)))
                else greatest(0, ceil(round(line_value * denominator, 9)) - numerator) end::bigint as cases_short
    from kpi_lines
),
kpi_points as (
    select *,
           case when judged then coalesce(per_point * shortfall, 0) + coalesce(per_case * cases_short, 0) end as deduction
    from kpi_scored
),
event_counts as (
    select date_trunc('month', e.event_at::timestamp)::date as month, c.department, c.team, i.item, count(*) as n
    from stg_events e
    join stg_complaints c using (complaint_id)
    join policy_points_item i on i.event = e.event
    group by all
),
finding_counts as (
    select date_trunc('month', c.received_at::timestamp)::date as month, c.department, c.team, i.item, count(*) as n
    from findings f
    join stg_complaints c using (complaint_id)
    join policy_points_item i on i.finding_category = f.category
    where c.received_at is not null
    group by all
),
occurrences as (
    -- Per team and per department (a department's occurrences are its teams' and those of its complaints with no team).
    select month, 'team' as level, department, team, item, sum(n) as n
    from (from event_counts union all from finding_counts) group by all
    union all
    select month, 'department', department, null, item, sum(n)
    from (from event_counts union all from finding_counts) group by all
),
item_lines as (
    select u.month, u.level, u.department, u.team, u.unit, i.item, i.item_order, i.points as per_item, i.max_points,
           coalesce(o.n, 0)::bigint as occurrences
    from units u
    cross join policy_points_item i
    left join occurrences o
      on o.month = u.month and o.level = u.level and o.item = i.item
     and o.department is not distinct from u.department and o.team is not distinct from u.team
)
select month, level, department, team, unit, 'kpi' as line_kind, kpi as line, kpi_order as line_order,
       actual, line_value, direction, shortfall, cases_short, null::bigint as occurrences, full_points, deduction,
       case when not judged then 0 else greatest(floor_points, full_points - deduction) end as points,
       case when not judged then 'unjudged'
            when deduction = 0 then 'full'
            when full_points - deduction < floor_points then 'floor'
            else 'deducted' end as how
from kpi_points
union all
select month, level, department, team, unit, 'item', item, 1000 + item_order,
       null, null, null, null, null, occurrences, null, null,
       case when occurrences = 0 then 0
            else sign(per_item) * least(abs(per_item) * occurrences, coalesce(max_points, abs(per_item) * occurrences)) end,
       case when occurrences = 0 then 'none'
            when max_points is not null and abs(per_item) * occurrences > max_points then 'capped'
            when per_item > 0 then 'bonus' else 'penalty' end
from item_lines

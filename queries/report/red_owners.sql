-- red_owners: for every KPI that missed its target in the month, the department and the team that did worst on it.
-- One row per missed KPI: the owners to talk to first, and how many departments missed it;
-- then one per KPI that cannot be judged (too little of it could be: never counted as met).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   kpi                  VARCHAR               KPI name
--   actual               DOUBLE [ratio 0..1]   the organisation's value (satisfaction_mean: points)
--   target               DOUBLE [same unit]    the policy's target
--   worst_department     VARCHAR               the department furthest from the target
--   worst_actual         DOUBLE [same unit]    its value
--   departments_missing  BIGINT [count]        departments that missed the target (on_target false: one
--                        that cannot be judged is not counted as missing it)
--   tile_order           INTEGER               display order (policy_target.kpi_order)
--   worst_team           VARCHAR               the team furthest from the target
--   worst_team_actual    DOUBLE [same unit]    its value
--   cannot_judge         BOOLEAN               the KPI cannot be judged (judged_share below the line)
--   judged_share         DOUBLE [ratio 0..1]   the share of it that could be judged
with red as (
    select s.kpi, s.actual, s.target, s.direction, t.kpi_order as tile_order,
           s.on_target is null as cannot_judge, s.judged_share
    from kpi_summary_monthly s
    join policy_target t using (kpi)
    where s.month = $month::date and (s.on_target = false or s.judgeable = false)
),
worst_teams as (
    select kpi,
           case when any_value(direction) = 'at_most' then arg_max(team, actual) else arg_min(team, actual) end as worst_team,
           case when any_value(direction) = 'at_most' then max(actual) else min(actual) end as worst_team_actual
    from kpi_unit_monthly
    where month = $month::date and level = 'team' and actual is not null
    group by kpi
),
by_department as (
    select kpi, department, actual, on_target
    from kpi_department_monthly
    where month = $month::date and actual is not null
)
select r.kpi, r.actual, r.target,
       case when r.direction = 'at_most' then arg_max(d.department, d.actual) else arg_min(d.department, d.actual) end as worst_department,
       case when r.direction = 'at_most' then max(d.actual) else min(d.actual) end as worst_actual,
       count(*) filter (where d.on_target = false) as departments_missing,
       r.tile_order, any_value(w.worst_team) as worst_team, any_value(w.worst_team_actual) as worst_team_actual,
       r.cannot_judge, r.judged_share
from red r
left join by_department d using (kpi)
left join worst_teams w using (kpi)
group by r.kpi, r.actual, r.target, r.direction, r.tile_order, r.cannot_judge, r.judged_share
order by r.cannot_judge, r.tile_order

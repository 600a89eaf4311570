-- red_owners: for every KPI that missed its target in the month, the department and the team that did worst on it.
-- One row per missed KPI, furthest from its target first (gap_points): the owners to talk to first,
-- how many departments missed it and when its remediation is due (policy remediation: only
-- the KPIs it names trigger one); then one per KPI that cannot be judged (too little of it
-- could be: never counted as met).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   kpi                  VARCHAR               KPI name
--   actual               DOUBLE [ratio 0..1]   the organisation's value (satisfaction_mean: points)
--   target               DOUBLE [same unit]    the policy's target
--   worst_department     VARCHAR               the department furthest from the target (ties: first by name)
--   worst_actual         DOUBLE [same unit]    its value
--   departments_missing  BIGINT [count]        departments that missed the target (on_target false: one
--                        that cannot be judged is not counted as missing it)
--   tile_order           INTEGER               display order (policy_target.kpi_order)
--   worst_team           VARCHAR               the team furthest from the target (ties: first by name)
--   worst_team_actual    DOUBLE [same unit]    its value
--   cannot_judge         BOOLEAN               the KPI cannot be judged (judged_share below the line)
--   judged_share         DOUBLE [ratio 0..1]   the share of it that could be judged
--   gap_points           DOUBLE [points]       how far the organisation is from the target, worse side
--                        positive: percentage points for a share, points for a score; null when it
--                        cannot be judged (those rows keep the tiles' order)
--   investigation_due    TIMESTAMPTZ           the worst department's remediation investigation deadline
--                        (the organisation's when it has none); null: the KPI triggers no remediation
--   remediation_due      TIMESTAMPTZ           its findings deadline (the remediation is due then)
with red as (
    select s.kpi, s.actual, s.target, t.kpi_order as tile_order,
           s.on_target is null as cannot_judge, s.judged_share,
           -- a value that cannot be judged is no gap to rank by
           case when s.on_target is not null then
               (case when s.direction = 'at_most' then s.actual - s.target else s.target - s.actual end)
                 * case when t.kpi_unit = 'share' then 100 else 1 end end as gap_points
    from kpi_summary_monthly s
    join policy_target t using (kpi)
    where s.month = $month::date and (s.on_target = false or s.judgeable = false)
),
ranked as (
    -- Every department and team with a value, worst first: the lowest value, the highest of an
    -- "at most" KPI; ties by name, so the same data always name the same owner (two teams at
    -- 60.0% were named by whichever row DuckDB's threads met first).
    select kpi, level, unit, actual, on_target,
           row_number() over (partition by kpi, level
                              order by case when direction = 'at_most' then -actual else actual end, unit) as worst_rank
    from kpi_unit_monthly
    where month = $month::date and level in ('department', 'team') and unit is not null and actual is not null
),
owners as (
    select r.kpi, r.actual, r.target,
           any_value(u.unit) filter (where u.level = 'department' and u.worst_rank = 1) as worst_department,
           any_value(u.actual) filter (where u.level = 'department' and u.worst_rank = 1) as worst_actual,
           count(*) filter (where u.level = 'department' and u.on_target = false) as departments_missing,
           r.tile_order,
           any_value(u.unit) filter (where u.level = 'team' and u.worst_rank = 1) as worst_team,
           any_value(u.actual) filter (where u.level = 'team' and u.worst_rank = 1) as worst_team_actual,
           r.cannot_judge, r.judged_share, r.gap_points
    from red r
    left join ranked u using (kpi)
    group by r.kpi, r.actual, r.target, r.tile_order, r.cannot_judge, r.judged_share, r.gap_points
),
remediation as (
    -- kpi_remediation_monthly holds the deadlines of the policy's remediation rule per unit.
    select kpi, coalesce(unit, '') as unit,
           max(due_at) filter (where step = 'investigation') as investigation_due,
           max(due_at) filter (where step = 'findings') as findings_due
    from kpi_remediation_monthly
    where month = $month::date
    group by all
)
select o.*,
       coalesce(d.investigation_due, g.investigation_due) as investigation_due,
       coalesce(d.findings_due, g.findings_due) as remediation_due
from owners o
left join remediation d on d.kpi = o.kpi and d.unit = o.worst_department
left join remediation g on g.kpi = o.kpi and g.unit = ''
order by o.cannot_judge, o.gap_points desc nulls last, o.tile_order

-- kpi_unit_monthly: every headline KPI per month for the organisation, each department and each team.
-- One row per month x level x unit x KPI: the units a performance review (绩效考核)
-- is about. The counts are sums of kpi_fact_monthly (each KPI's rule is written there), so a
-- department's teams add up to it and the departments to the organisation; the organisation
-- rows are kpi_summary_monthly. A value is judged against its target only when enough of it
-- could be judged: judged_share = denominator / (denominator + unknown) at or above policy
-- targets.min_judged_share; below it on_target is null ("cannot be judged"), never a pass
-- (the macro pledge_on_target, src/warehouse/policy-tables.ts, is that rule, written once).
-- Score sums are added as DECIMAL(38,12), exactly, so the same data give the same digits
-- whatever order DuckDB's threads add them in (a DOUBLE sum's last digit depends on it).
-- Columns:
--   month        DATE                  first day of the month
--   level        VARCHAR               organisation | department | team
--   department   VARCHAR               the department (null for the organisation)
--   team         VARCHAR               the team (null above team level)
--   unit         VARCHAR               department or team name (null for the organisation)
--   kpi          VARCHAR               KPI name
--   numerator    DOUBLE [count]        what the rate counts (null for satisfaction_mean)
--   denominator  DOUBLE [count]        what it is counted over
--   actual       DOUBLE [ratio 0..1]   the value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   unknown      DOUBLE [count]        what could not be judged (clocks of status unknown); 0 when none
--   judged_share DOUBLE [ratio 0..1]   denominator / (denominator + unknown); null with neither
--   judgeable    BOOLEAN               judged_share >= targets.min_judged_share (false with nothing
--                judged but something unknown; null with nothing at all)
--   on_target    BOOLEAN               the value meets the target in its direction; null when it
--                cannot be judged (not judgeable) or has no value
--   org_actual   DOUBLE [same unit]    the organisation's value in the month
--   vs_org       DOUBLE [same unit]    actual - org_actual
--   previous     DOUBLE [same unit]    the unit's value the month before: as published when that month
--                is closed (kpi_published_monthly), else recomputed in this session
--   previous_published  BOOLEAN        previous is the published figure of a closed month
--   appealed     DOUBLE [count]        what applied appeals (申诉) took out of the denominator
--                (kpi_appeals): the raw count is denominator + appealed
with grouped as (
    -- Every unit's counts are sums of kpi_fact_monthly, where each KPI's rule is written once.
    select month, department, team, grouping(department) as no_department, grouping(team) as no_team, kpi,
           sum(numerator) as numerator, sum(denominator) as denominator, sum(score_sum::decimal(38, 12))::double as score_sum,
           sum(unknown) as unknown, sum(appealed) as appealed
    from kpi_fact_monthly
    group by grouping sets ((month, kpi), (month, department, kpi), (month, department, team, kpi))
),
with_overall as (
    -- timeliness over every commitment: the commitments' counts added up.
    from grouped
    union all
    select month, department, team, no_department, no_team, 'timeliness', sum(numerator), sum(denominator), null, sum(unknown), sum(appealed)
    from grouped
    where kpi like 'timeliness:%'
    group by all
),
long as (
    select month, department, team, no_department, no_team, kpi, numerator, denominator,
           case when kpi = 'satisfaction_mean' then score_sum / nullif(denominator, 0)
                else numerator / nullif(denominator, 0) end as actual,
           coalesce(unknown, 0) as unknown,
           denominator / nullif(denominator + coalesce(unknown, 0), 0) as judged_share,
           coalesce(appealed, 0) as appealed
    from with_overall
),
leveled as (
    select month,
           case when no_department = 1 then 'organisation' when no_team = 1 then 'department' else 'team' end as level,
           department, team, coalesce(team, department) as unit, kpi,
           numerator::double as numerator, denominator::double as denominator, actual,
           unknown::double as unknown, judged_share,
           judged_share >= getvariable('min_judged_share') as judgeable,
           appealed::double as appealed
    from long
)
select l.month, l.level, l.department, l.team, l.unit, l.kpi, l.numerator, l.denominator, l.actual,
       t.target, t.direction, l.unknown, l.judged_share, l.judgeable,
       pledge_on_target(l.actual, t.target, t.direction, l.judged_share) as on_target,
       o.actual as org_actual,
       l.actual - o.actual as vs_org,
       -- Months are compared like with like: a closed month's figure as published (at its own end).
       case when pp.kpi is not null then pp.actual else p.actual end as previous,
       pp.kpi is not null as previous_published,
       l.appealed
from leveled l
left join policy_target t using (kpi)
left join leveled o on o.level = 'organisation' and o.month = l.month and o.kpi = l.kpi
left join leveled p on p.level = l.level and p.kpi = l.kpi and p.month = l.month - interval 1 month
                   and p.department is not distinct from l.department and p.team is not distinct from l.team
left join kpi_published_monthly pp on pp.level = l.level and pp.kpi = l.kpi and pp.month = l.month - interval 1 month
                   and pp.department is not distinct from l.department and pp.team is not distinct from l.team

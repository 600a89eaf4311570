-- kpi_unit_monthly: every headline KPI per month for the organisation, each department and each team.
-- One row per month x level x unit x KPI: the units a performance review (绩效考核)
-- is about. The rules are those of kpi_timeliness_monthly, kpi_resolution_monthly and
-- kpi_satisfaction_monthly (the organisation rows equal kpi_summary_monthly), grouped by unit.
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
--   on_target    BOOLEAN               the value meets the target
--   org_actual   DOUBLE [same unit]    the organisation's value in the month
--   vs_org       DOUBLE [same unit]    actual - org_actual
--   previous     DOUBLE [same unit]    the unit's value the month before
with due_commitments as (
    -- pending and unknown are kept (as in kpi_timeliness_monthly) so a month with
    -- nothing judged yet still has its row, with a null rate.
    select due_month as month, department, team, commitment, status
    from commitment_status
    where due_month is not null and status <> 'not_applicable'
),
timeliness as (
    select month, department, team,
           grouping(department) as no_department, grouping(team) as no_team,
           coalesce('timeliness:' || commitment, 'timeliness') as kpi,
           count(*) filter (where status = 'met') as numerator,
           count(*) filter (where status in ('met', 'breached', 'overdue')) as denominator
    from due_commitments
    group by grouping sets ((month), (month, commitment), (month, department), (month, department, commitment),
                            (month, department, team), (month, department, team, commitment))
),
resolution_clock as (
    select s.due_month as month, s.department, s.team, s.done_at, s.reopened_at, c.reopened_count
    from commitment_status s
    join stg_complaints c using (complaint_id)
    where s.commitment = getvariable('resolution_commitment')
      and s.due_month is not null
      and s.status <> 'not_applicable'
      and (s.counts_as_valid or not getvariable('resolution_exclude_invalid'))
),
resolution_counts as (
    select month, department, team, grouping(department) as no_department, grouping(team) as no_team,
           count(*) as due,
           -- as kpi_resolution_monthly: a resolution undone by a reopening within the window is not one (实际解决率)
           count(*) filter (where done_at is not null and reopened_at is null) as resolved,
           count(*) filter (where done_at is not null and reopened_count > 0) as reopened
    from resolution_clock
    group by grouping sets ((month), (month, department), (month, department, team))
),
feedback_cohort as (
    select date_trunc('month', feedback_at::timestamp)::date as month, department, team,
           survey_at <= getvariable('as_of') and satisfaction is not null as surveyed,
           satisfaction_100, is_satisfied
    from stg_complaints
    where feedback_at <= getvariable('as_of')
),
satisfaction_counts as (
    select month, department, team, grouping(department) as no_department, grouping(team) as no_team,
           count(*) as given_feedback,
           count(*) filter (where surveyed) as surveyed,
           count(*) filter (where surveyed and is_satisfied) as satisfied,
           avg(satisfaction_100) filter (where surveyed) as satisfaction_mean
    from feedback_cohort
    group by grouping sets ((month), (month, department), (month, department, team))
),
long as (
    select month, department, team, no_department, no_team, kpi, numerator, denominator,
           numerator / nullif(denominator, 0) as actual
    from timeliness
    union all
    select month, department, team, no_department, no_team, 'resolution_rate', resolved, due, resolved / nullif(due, 0)
    from resolution_counts
    union all
    select month, department, team, no_department, no_team, 'reopen_rate', reopened, resolved, reopened / nullif(resolved, 0)
    from resolution_counts
    union all
    select month, department, team, no_department, no_team, 'satisfaction_rate', satisfied, surveyed, satisfied / nullif(surveyed, 0)
    from satisfaction_counts
    union all
    select month, department, team, no_department, no_team, 'satisfaction_mean', null, surveyed, satisfaction_mean
    from satisfaction_counts
    union all
    select month, department, team, no_department, no_team, 'survey_coverage', surveyed, given_feedback, surveyed / nullif(given_feedback, 0)
    from satisfaction_counts
),
leveled as (
    select month,
           case when no_department = 1 then 'organisation' when no_team = 1 then 'department' else 'team' end as level,
           department, team, coalesce(team, department) as unit, kpi,
           numerator::double as numerator, denominator::double as denominator, actual
    from long
)
select l.month, l.level, l.department, l.team, l.unit, l.kpi, l.numerator, l.denominator, l.actual,
       t.target, t.direction,
       case when t.direction = 'at_most' then l.actual <= t.target else l.actual >= t.target end as on_target,
       o.actual as org_actual,
       l.actual - o.actual as vs_org,
       p.actual as previous
from leveled l
left join policy_target t using (kpi)
left join leveled o on o.level = 'organisation' and o.month = l.month and o.kpi = l.kpi
left join leveled p on p.level = l.level and p.kpi = l.kpi and p.month = l.month - interval 1 month
                   and p.department is not distinct from l.department and p.team is not distinct from l.team

-- kpi_summary_monthly: every headline KPI of the whole organisation, with its target and last month.
-- One row per month x KPI. Drives the dashboard tiles.
-- Columns:
--   month        DATE                  first day of the month
--   kpi          VARCHAR               timeliness, timeliness:<commitment>, resolution_rate, reopen_rate,
--                satisfaction_rate, satisfaction_mean, survey_coverage
--   actual       DOUBLE [ratio 0..1]   the KPI's value (satisfaction_mean: points 0..100)
--   target       DOUBLE [same unit]    the policy's target
--   direction    VARCHAR               at_least | at_most
--   on_target    BOOLEAN               actual meets the target in its direction
--   previous     DOUBLE [same unit]    the value the month before: as published when that month is
--                closed (kpi_published_monthly), else recomputed in this session
--   numerator    BIGINT [count]        what the ratio was made of: the part
--   denominator  BIGINT [count]        ... and the whole
--   previous_published  BOOLEAN        previous is the published figure of a closed month
with org_timeliness as (
    select month, coalesce('timeliness:' || commitment, 'timeliness') as kpi, timeliness_rate as actual,
           met as numerator, met + breached + overdue as denominator
    from kpi_timeliness_monthly
    where department is null
),
org_resolution as (
    select month, 'resolution_rate' as kpi, resolution_rate as actual, resolved as numerator, due as denominator
    from kpi_resolution_monthly where department is null
    union all
    select month, 'reopen_rate', reopen_rate, reopened, resolved
    from kpi_resolution_monthly where department is null
),
org_satisfaction as (
    select month, 'satisfaction_rate' as kpi, satisfaction_rate as actual, satisfied as numerator, surveyed as denominator
    from kpi_satisfaction_monthly where department is null
    union all
    select month, 'satisfaction_mean', satisfaction_mean, null, surveyed
    from kpi_satisfaction_monthly where department is null
    union all
    select month, 'survey_coverage', survey_coverage, surveyed, given_feedback
    from kpi_satisfaction_monthly where department is null
),
all_kpis as (
    select * from org_timeliness union all select * from org_resolution union all select * from org_satisfaction
)
select a.month, a.kpi, a.actual, t.target, t.direction,
       case when t.direction = 'at_most' then a.actual <= t.target else a.actual >= t.target end as on_target,
       -- Months are compared like with like: a closed month's figure as published (at its own end).
       case when pp.kpi is not null then pp.actual else p.actual end as previous,
       a.numerator, a.denominator,
       pp.kpi is not null as previous_published
from all_kpis a
left join policy_target t using (kpi)
left join all_kpis p on p.kpi = a.kpi and p.month = a.month - interval 1 month
left join kpi_published_monthly pp on pp.level = 'organisation' and pp.kpi = a.kpi and pp.month = a.month - interval 1 month

-- kpi_resolution_monthly: resolution rate per month and department.
-- One row per month x department (department null: the whole organisation).
-- A complaint counts in the month its resolution commitment (policy
-- resolution.commitment) fell due; unreasonable complaints are left out when
-- policy resolution.exclude_invalid is true (they are still answered).
-- resolution_rate = resolved (by the as-of instant) / due. A complaint reopened within
-- policy reopenings.window of its resolution was not really resolved (实际解决率): it
-- does not count as resolved, even once resolved again.
-- Columns:
--   month             DATE                 first day of the month the resolution fell due in
--   department        VARCHAR              the department; null for the whole organisation
--   due               BIGINT [count]       complaints whose resolution fell due
--   resolved          BIGINT [count]       ... resolved by the as-of instant, not reopened within the window
--   resolved_on_time  BIGINT [count]       ... and by their due instant
--   reopened          BIGINT [count]       resolved ones reopened at least once
--   resolution_rate   DOUBLE [ratio 0..1]  resolved / due
--   reopen_rate       DOUBLE [ratio 0..1]  reopened / resolved
--   target            DOUBLE [ratio 0..1]  policy targets.resolution_rate
--   on_target         BOOLEAN              resolution_rate >= target
with resolution_clock as (
    select s.due_month as month, s.department, s.status, s.done_at, s.reopened_at, c.reopened_count
    from commitment_status s
    join stg_complaints c using (complaint_id)
    where s.commitment = getvariable('resolution_commitment')
      and s.due_month is not null
      and s.status <> 'not_applicable'
      and (s.counts_as_valid or not getvariable('resolution_exclude_invalid'))
),
counted as (
    select month, department,
           count(*)                                                   as due,
           count(*) filter (where done_at is not null and reopened_at is null)  as resolved,
           count(*) filter (where status = 'met' and reopened_at is null)       as resolved_on_time,
           count(*) filter (where done_at is not null and reopened_count > 0) as reopened
    from resolution_clock
    group by grouping sets ((month), (month, department))
)
select month, department, due, resolved, resolved_on_time, reopened,
       resolved / nullif(due, 0)      as resolution_rate,
       reopened / nullif(resolved, 0) as reopen_rate,
       (select target from policy_target where kpi = 'resolution_rate') as target,
       resolved / nullif(due, 0) >= (select target from policy_target where kpi = 'resolution_rate') as on_target
from counted

-- kpi_resolution_monthly: resolution rate per month and department.
-- One row per month x department (department null: the whole organisation).
-- A complaint counts in the month its resolution commitment (policy
-- resolution.commitment) fell due; unreasonable complaints are left out when
-- policy resolution.exclude_invalid is true (they are still answered).
-- resolution_rate = resolved (by the as-of instant) / due. A complaint reopened within
-- policy reopenings.window of its resolution was not really resolved (实际解决率): it
-- does not count as resolved, even once resolved again.
-- Summed from kpi_fact_monthly, where each KPI's rule is written once.
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
--   unknown           BIGINT [count]       resolution clocks due that cannot be judged (status unknown):
--                                          in neither due nor resolved
--   on_target         BOOLEAN              resolution_rate >= target; null when it cannot be judged
with counted as (
    -- The counts of kpi_fact_monthly, where the rule is written.
    select month, department,
           sum(denominator) filter (where kpi = 'resolution_rate')::bigint as due,
           sum(numerator) filter (where kpi = 'resolution_rate')::bigint as resolved,
           sum(on_time) filter (where kpi = 'resolution_rate')::bigint as resolved_on_time,
           sum(numerator) filter (where kpi = 'reopen_rate')::bigint as reopened,
           sum(unknown) filter (where kpi = 'resolution_rate')::bigint as unknown
    from kpi_fact_monthly
    where kpi in ('resolution_rate', 'reopen_rate')
    group by grouping sets ((month), (month, department))
)
select month, department, due, resolved, resolved_on_time, reopened,
       resolved / nullif(due, 0)      as resolution_rate,
       reopened / nullif(resolved, 0) as reopen_rate,
       t.target, unknown,
       pledge_on_target(resolved / nullif(due, 0), t.target, t.direction, due / nullif(due + unknown, 0)) as on_target
from counted
cross join (select target, direction from policy_target where kpi = 'resolution_rate') t

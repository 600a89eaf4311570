-- kpi_timeliness_monthly: share of commitments kept, per month, department and commitment.
-- One row per month x department x commitment (department null: the whole
-- organisation; commitment null: all commitments together). A commitment counts
-- in the month its due instant falls in (local time). timeliness_rate = met /
-- (met + breached + overdue); pending, not_applicable and unknown are excluded
-- from the rate and shown beside it.
-- Summed from kpi_fact_monthly, where each KPI's rule is written once.
-- Columns:
--   month            DATE                  first day of the month the commitments fell due in
--   department       VARCHAR               the department; null for the whole organisation
--   commitment       VARCHAR               the commitment; null for all together
--   met              BIGINT [count]        done by the due instant
--   breached         BIGINT [count]        done late
--   overdue          BIGINT [count]        not done, past due
--   pending          BIGINT [count]        not done, not yet due
--   unknown          BIGINT [count]        data missing or contradictory
--   timeliness_rate  DOUBLE [ratio 0..1]   met / (met + breached + overdue); null with nothing judged
--   target           DOUBLE [ratio 0..1]   the policy's target
--   judged_share     DOUBLE [ratio 0..1]   (met + breached + overdue) / (that + unknown)
--   on_target        BOOLEAN               timeliness_rate >= target; null when it cannot be judged
--                                          (judged_share below targets.min_judged_share)
with by_commitment as (
    -- The counts of kpi_fact_monthly, where the rule is written.
    select month, department, substr(kpi, length('timeliness:') + 1) as commitment,
           numerator as met, breached, overdue, pending, unknown
    from kpi_fact_monthly
    where kpi like 'timeliness:%'
),
counted as (
    select month, department, commitment,
           sum(met) as met, sum(breached) as breached, sum(overdue) as overdue,
           sum(pending) as pending, sum(unknown) as unknown
    from by_commitment
    group by grouping sets ((month), (month, commitment), (month, department), (month, department, commitment))
),
rated as (
    select *, met / nullif(met + breached + overdue, 0) as timeliness_rate,
           (met + breached + overdue) / nullif(met + breached + overdue + unknown, 0) as judged_share
    from counted
)
select c.month, c.department, c.commitment, c.met::bigint as met, c.breached::bigint as breached, c.overdue::bigint as overdue,
       c.pending::bigint as pending, c.unknown::bigint as unknown, c.timeliness_rate, t.target, c.judged_share,
       pledge_on_target(c.timeliness_rate, t.target, t.direction, c.judged_share) as on_target
from rated c
left join policy_target t on t.kpi = coalesce('timeliness:' || c.commitment, 'timeliness')

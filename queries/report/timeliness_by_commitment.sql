-- timeliness_by_commitment: how every commitment fared in the month, as counts per status.
-- One row per commitment x status (met, breached, overdue, and unknown: what fell due but
-- cannot be judged, shown as its own colour rather than left out), in policy order.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   commitment       VARCHAR               the commitment (policy key)
--   ord              INTEGER               its order in the policy
--   status           VARCHAR               met | breached | overdue | unknown
--   complaints       BIGINT [count]        commitments with that status
--   timeliness_rate  DOUBLE [ratio 0..1]   the commitment's rate in the month
--   target           DOUBLE [ratio 0..1]   its target
--   judged_share     DOUBLE [ratio 0..1]   (met + breached + overdue) / (that + unknown)
with month_counts as (
    select commitment, met, breached, overdue, unknown, timeliness_rate, target, judged_share
    from kpi_timeliness_monthly
    where month = $month::date and department is null and commitment is not null
)
select m.commitment, p.ord, u.status, u.complaints, m.timeliness_rate, m.target, m.judged_share
from month_counts m
join policy_commitment p using (commitment)
cross join lateral (values ('met', m.met), ('breached', m.breached), ('overdue', m.overdue), ('unknown', m.unknown)) u(status, complaints)
order by p.ord, u.status

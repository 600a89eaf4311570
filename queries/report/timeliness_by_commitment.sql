-- timeliness_by_commitment: how every commitment fared in the month, as counts per status.
-- Parameters: $month DATE
-- Columns: commitment TEXT, ord INT (policy order), status TEXT (met | breached | overdue),
--   complaints BIGINT, timeliness_rate DOUBLE (0..1), target DOUBLE
with month_counts as (
    select commitment, met, breached, overdue, timeliness_rate, target
    from kpi_timeliness_monthly
    where month = $month::date and department is null and commitment is not null
)
select m.commitment, p.ord, u.status, u.complaints, m.timeliness_rate, m.target
from month_counts m
join policy_commitment p using (commitment)
cross join lateral (values ('met', m.met), ('breached', m.breached), ('overdue', m.overdue)) u(status, complaints)
order by p.ord, u.status

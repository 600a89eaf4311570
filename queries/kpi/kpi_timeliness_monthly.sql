-- kpi_timeliness_monthly: share of commitments kept, per month, department and commitment.
-- A commitment counts in the month its due instant falls in (local time).
-- timeliness_rate = met / (met + breached + overdue); pending, not_applicable
-- and unknown are excluded from the rate and shown beside it.
-- department null = the whole organisation; commitment null = all commitments together.
-- Columns: month DATE, department TEXT, commitment TEXT, met, breached, overdue,
--   pending, unknown BIGINT, timeliness_rate DOUBLE (0..1, null with nothing judged),
--   target DOUBLE (0..1, from the policy), on_target BOOLEAN.
with due_in_a_month as (
    select due_month as month, department, commitment, status
    from commitment_status
    where due_month is not null and status <> 'not_applicable'
),
counted as (
    select month, department, commitment,
           count(*) filter (where status = 'met')      as met,
           count(*) filter (where status = 'breached') as breached,
           count(*) filter (where status = 'overdue')  as overdue,
           count(*) filter (where status = 'pending')  as pending,
           count(*) filter (where status = 'unknown')  as unknown
    from due_in_a_month
    group by grouping sets ((month), (month, commitment), (month, department), (month, department, commitment))
)
select c.month, c.department, c.commitment, c.met, c.breached, c.overdue, c.pending, c.unknown,
       c.met / nullif(c.met + c.breached + c.overdue, 0) as timeliness_rate,
       t.target,
       c.met / nullif(c.met + c.breached + c.overdue, 0) >= t.target as on_target
from counted c
left join policy_target t on t.kpi = coalesce('timeliness:' || c.commitment, 'timeliness')

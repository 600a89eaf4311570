-- kpi_handler_monthly: what each handler held and owned, per month, for the review pages.
-- One row per month x department x team x handler. Commitments count in the
-- month they fell due, under the department and team of the complaint, with the
-- handler holding them (commitment_status.handler). Built once per run so that
-- each review page reads a few hundred rows, not every commitment.
-- Columns:
--   month        DATE             first day of the month the commitments fell due in
--   department   VARCHAR          the complaint's department
--   team         VARCHAR          the complaint's team
--   handler      VARCHAR          the handler holding the commitments
--   judged       BIGINT [count]   met + breached + overdue
--   breaches     BIGINT [count]   breached + overdue
select due_month as month, department, team, handler,
       count(*) filter (where status in ('met', 'breached', 'overdue')) as judged,
       count(*) filter (where status in ('breached', 'overdue')) as breaches
from commitment_status
where due_month is not null and handler is not null
group by all

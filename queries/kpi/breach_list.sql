-- breach_list: every breached or overdue commitment (违约情形), with who owned it and by how much.
-- One row per complaint x commitment that was missed. The evidence behind a performance review.
-- Columns:
--   complaint_id   VARCHAR           the complaint
--   commitment     VARCHAR           the commitment (policy key)
--   department     VARCHAR           department owning the complaint
--   team           VARCHAR           team owning the complaint
--   handler        VARCHAR           person handling it
--   first_handler  VARCHAR           person who took it first
--   category       VARCHAR           complaint category
--   channel        VARCHAR           channel it came in by
--   severity       VARCHAR           severity
--   limit_text     VARCHAR           the limit that applied ("4wh")
--   started_at     TIMESTAMPTZ       when the clock started
--   due_at         TIMESTAMPTZ       when it fell due
--   done_at        TIMESTAMPTZ       when it was done (null: still not done)
--   status         VARCHAR           breached | overdue
--   late_minutes   DOUBLE [minutes]  wall minutes past due
--   late_hours     DOUBLE [hours]    the same, in hours to one decimal
--   due_month      DATE              first day of the month it fell due in
select complaint_id, commitment, department, team, handler, first_handler, category, channel,
       severity, limit_text, started_at, due_at, done_at, status, late_minutes,
       round(late_minutes / 60, 1) as late_hours, due_month
from commitment_status
where status in ('breached', 'overdue')

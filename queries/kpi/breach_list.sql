-- breach_list: every breached or overdue commitment (违约情形), with who owned it
-- and by how much it was missed. The evidence behind a performance review.
-- Columns: complaint_id, commitment, department, team, handler, first_handler,
--   category, channel, severity, limit_text, started_at, due_at, done_at, status
--   (breached | overdue), late_minutes DOUBLE, late_hours DOUBLE, due_month DATE.
select complaint_id, commitment, department, team, handler, first_handler, category, channel,
       severity, limit_text, started_at, due_at, done_at, status, late_minutes,
       round(late_minutes / 60, 1) as late_hours, due_month
from commitment_status
where status in ('breached', 'overdue')

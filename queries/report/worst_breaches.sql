-- worst_breaches: the month's breaches that were missed by the most, with their owner.
-- Parameters: $month DATE
-- Columns: complaint_id, commitment, department, team, handler, limit_text,
--   due_at, done_at TIMESTAMPTZ, status TEXT, late_hours DOUBLE
select complaint_id, commitment, department, team, handler, limit_text, due_at, done_at, status, late_hours
from breach_list
where due_month = $month::date
order by late_minutes desc, complaint_id, commitment
limit 20

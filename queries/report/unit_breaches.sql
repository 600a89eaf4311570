-- unit_breaches: the breach list (违约情形) of a department or team for the
-- month: every breached or overdue commitment due in the month, worst first.
-- The page shows the first policy reports.list_rows rows; the CSV beside it has all.
-- Parameters: $month DATE, $level TEXT (department | team), $unit TEXT
-- Columns: complaint_id, commitment, team, handler, first_handler, category,
--   limit_text TEXT, due_at, done_at TIMESTAMPTZ, status TEXT, late_hours DOUBLE
select complaint_id, commitment, team, handler, first_handler, category, limit_text,
       due_at, done_at, status, late_hours
from breach_list
where due_month = $month::date and (case $level when 'team' then team else department end) = $unit
order by late_minutes desc, complaint_id, commitment

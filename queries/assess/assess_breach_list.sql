-- assess_breach_list: every commitment breached (done late) or overdue (not done,
-- past due) that fell due in the quarter, with who owned it and by how much it
-- was missed (违约情形). No personal data.
-- Parameters: $quarter_start DATE, $quarter_end DATE (first day after).
-- Columns: complaint_id, commitment, department, team, handler, first_handler,
--   category, channel, severity, limit_text, started_at, due_at, done_at
--   TIMESTAMPTZ, status (breached | overdue), late_minutes DOUBLE, late_hours
--   DOUBLE, due_month DATE.
select b.complaint_id, b.commitment, b.department, b.team, b.handler, b.first_handler,
       b.category, b.channel, b.severity, b.limit_text, b.started_at, b.due_at, b.done_at,
       b.status, b.late_minutes, b.late_hours, b.due_month
from breach_list b
join policy_commitment p using (commitment)
where b.due_month >= $quarter_start::date and b.due_month < $quarter_end::date
order by b.due_month, b.department, b.complaint_id, p.ord

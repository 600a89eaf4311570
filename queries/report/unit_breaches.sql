-- unit_breaches: the breach list (违约情形) of a department or team for the month, worst first.
-- One row per breached or overdue commitment due in the month. The page shows the
-- first policy reports.list_rows rows; the CSV beside it has all.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   complaint_id   VARCHAR          the complaint
--   commitment     VARCHAR          the commitment
--   team           VARCHAR          team holding it
--   handler        VARCHAR          handler holding it
--   first_handler  VARCHAR          first handler (首问负责人)
--   category       VARCHAR          complaint category
--   limit_text     VARCHAR          the limit ("3wd")
--   due_at         TIMESTAMPTZ      when it fell due
--   done_at        TIMESTAMPTZ      when it was done (null: still open)
--   status         VARCHAR          breached | overdue
--   late_hours     DOUBLE [hours]   how late, one decimal
select complaint_id, commitment, team, handler, first_handler, category, limit_text,
       due_at, done_at, status, late_hours
from breach_list
where due_month = $month::date and (case $level when 'team' then team else department end) = $unit
order by late_minutes desc, complaint_id, commitment

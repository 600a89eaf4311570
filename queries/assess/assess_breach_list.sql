-- assess_breach_list: every commitment breached or overdue that fell due in the quarter (违约情形).
-- One row per complaint x commitment, with who owned it and by how much it was
-- missed. No personal data.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   complaint_id   VARCHAR            the complaint
--   commitment     VARCHAR            the commitment (policy key)
--   department     VARCHAR            department owning it
--   team           VARCHAR            team owning it
--   handler        VARCHAR            person handling it
--   first_handler  VARCHAR            first person to take it
--   category       VARCHAR            complaint category
--   channel        VARCHAR            channel it came in by
--   severity       VARCHAR            general | major | urgent
--   limit_text     VARCHAR            the limit that applied
--   started_at     TIMESTAMPTZ        clock start
--   due_at         TIMESTAMPTZ        due instant
--   done_at        TIMESTAMPTZ        when done (null: overdue, not done by the as-of instant)
--   status         VARCHAR            breached | overdue
--   late_minutes   DOUBLE [minutes]   past due
--   late_hours     DOUBLE [hours]     past due, one decimal
--   due_month      DATE               first day of the month it fell due in
select b.complaint_id, b.commitment, b.department, b.team, b.handler, b.first_handler,
       b.category, b.channel, b.severity, b.limit_text, b.started_at, b.due_at, b.done_at,
       b.status, b.late_minutes, b.late_hours, b.due_month
from breach_list b
join policy_commitment p using (commitment)
where b.due_month >= $quarter_start::date and b.due_month < $quarter_end::date
order by b.due_month, b.department, b.complaint_id, p.ord

-- worst_breaches: the month's breaches that were missed by the most, with their owner.
-- The 20 rows missed by the most, one per complaint x commitment. The team is the one
-- the breach is charged to (policy ownership.breach_owner: by default the team holding
-- the complaint at the due instant, after transfers).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   complaint_id  VARCHAR          the complaint
--   commitment    VARCHAR          the commitment (policy key)
--   department    VARCHAR          department owning it
--   team          VARCHAR          team the breach is charged to
--   handler       VARCHAR          person handling it
--   limit_text    VARCHAR          the limit that applied
--   due_at        TIMESTAMPTZ      when it fell due
--   done_at       TIMESTAMPTZ      when it was done (null: not yet)
--   status        VARCHAR          breached | overdue
--   late_hours    DOUBLE [hours]   hours past due, one decimal
select complaint_id, commitment, department, responsible_team as team, handler, limit_text, due_at, done_at, status, late_hours
from breach_list
where due_month = $month::date
order by late_minutes desc, complaint_id, commitment
limit 20

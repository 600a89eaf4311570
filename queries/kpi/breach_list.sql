-- breach_list: every breached or overdue commitment (违约情形), with who owned it and by how much.
-- One row per complaint x commitment that was missed. The evidence behind a performance review.
-- The owner is the team holding the complaint at the due instant (after transfers, 转办);
-- the first handler's team (首问负责制) is beside it; responsible_team is the one charged,
-- by policy ownership.breach_owner.
-- Columns:
--   complaint_id      VARCHAR           the complaint
--   commitment        VARCHAR           the commitment (policy key)
--   department        VARCHAR           department owning the complaint
--   team              VARCHAR           team holding the complaint in the export
--   handler           VARCHAR           person handling it
--   first_handler     VARCHAR           person who took it first
--   category          VARCHAR           complaint category
--   channel           VARCHAR           channel it came in by
--   severity          VARCHAR           severity
--   limit_text        VARCHAR           the limit that applied ("4wh")
--   started_at        TIMESTAMPTZ       when the clock started
--   original_due_at   TIMESTAMPTZ       when it fell due before pauses and extensions
--   due_at            TIMESTAMPTZ       when it fell due
--   done_at           TIMESTAMPTZ       when it was done (null: still not done)
--   status            VARCHAR           breached | overdue
--   late_minutes      DOUBLE [minutes]  wall minutes past due
--   late_hours        DOUBLE [hours]    the same, in hours to one decimal
--   due_month         DATE              first day of the month it fell due in
--   paused_minutes    DOUBLE [minutes]  pause time not counted, in the clock's own measure
--   extended_by       VARCHAR           extensions honoured, as approved ("5wd")
--   owner_team        VARCHAR           team holding the complaint at the due instant
--   first_team        VARCHAR           the first handler's team
--   responsible_team  VARCHAR           the team the breach is charged to
select complaint_id, commitment, department, team, handler, first_handler, category, channel,
       severity, limit_text, started_at, original_due_at, due_at, done_at, status, late_minutes,
       round(late_minutes / 60, 1) as late_hours, due_month, paused_minutes, extended_by,
       owner_team, first_team, responsible_team
from commitment_status
where status in ('breached', 'overdue')

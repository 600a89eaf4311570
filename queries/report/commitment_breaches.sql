-- commitment_breaches: one commitment's breaches in the month, worst first: the list behind its tile.
-- One row per breached or overdue complaint of the commitment due in the month (all
-- commitments when $commitment is ''). The page shows the first policy reports.list_rows
-- rows, each linked to the complaint's clock story.
-- Parameters:
--   $month       MONTH  reporting month (2025-10 or 2025-10-01)
--   $commitment  VARCHAR = ''  the commitment (policy key); '' for every commitment
-- Columns:
--   complaint_id         VARCHAR           the complaint
--   commitment           VARCHAR           the commitment
--   department           VARCHAR           department owning it
--   team                 VARCHAR           team the breach is charged to (ownership.breach_owner)
--   handler              VARCHAR           handler holding it
--   limit_text           VARCHAR           the limit ("3wd")
--   due_at               TIMESTAMPTZ       when it fell due
--   done_at              TIMESTAMPTZ       when it was done (null: still open)
--   status               VARCHAR           breached | overdue
--   late_hours           DOUBLE [hours]    how late in wall hours, one decimal
--   late_clock_minutes   DOUBLE [minutes]  how late in the clock's own measure (breach_clock)
--   limit_unit           VARCHAR           m | h | d | wh | wd
--   working_day_minutes  DOUBLE [minutes]  working minutes in a working day
--   pauses               BIGINT [count]    pauses that moved the due instant (null: none)
--   paused_minutes       DOUBLE [minutes]  their time, in the clock's measure (null: none)
--   extensions           BIGINT [count]    extensions that moved it (null: none)
--   extensions_ignored   BIGINT [count]    extensions that did not (null: none)
--   extended_by          VARCHAR           the extensions honoured, as approved
--   transfers            BIGINT [count]    changes of hands before the as-of instant (null: none)
select b.complaint_id, b.commitment, b.department, b.responsible_team as team, b.handler, b.limit_text,
       b.due_at, b.done_at, b.status, b.late_hours, c.* exclude (complaint_id, commitment, working)
from breach_list b
join breach_clock c using (complaint_id, commitment)
where b.due_month = $month::date and ($commitment = '' or b.commitment = $commitment)
order by b.late_minutes desc, b.complaint_id, b.commitment

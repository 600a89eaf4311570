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
--   late_hours    DOUBLE [hours]   wall hours past due, one decimal
--   late_clock_minutes   DOUBLE [minutes]  how late in the clock's own measure (breach_clock): working
--                        minutes for a wh/wd limit, wall minutes otherwise
--   limit_unit           VARCHAR           m | h | d | wh | wd: the clock's measure
--   working_day_minutes  DOUBLE [minutes]  working minutes in a working day (to say "2 working days 3 hours")
--   pauses               BIGINT [count]    pauses that moved the due instant (null: none)
--   paused_minutes       DOUBLE [minutes]  their time, in the clock's measure (null: none)
--   extensions           BIGINT [count]    extensions that moved it (null: none)
--   extensions_ignored   BIGINT [count]    extensions that did not: after the due instant or over the cap (null: none)
--   extended_by          VARCHAR           the extensions honoured, as approved ("5wd")
--   transfers            BIGINT [count]    changes of hands (转办, 退回) before the as-of instant (null: none)
select b.complaint_id, b.commitment, b.department, b.responsible_team as team, b.handler, b.limit_text, b.due_at, b.done_at,
       b.status, b.late_hours, c.* exclude (complaint_id, commitment, working)
from breach_list b
join breach_clock c using (complaint_id, commitment)
where b.due_month = $month::date
order by b.late_minutes desc, b.complaint_id, b.commitment
limit 20

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
--   late_hours     DOUBLE [hours]   how late in wall hours, one decimal
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
select b.complaint_id, b.commitment, b.team, b.handler, b.first_handler, b.category, b.limit_text,
       b.due_at, b.done_at, b.status, b.late_hours, c.* exclude (complaint_id, commitment, working)
from breach_list b
join breach_clock c using (complaint_id, commitment)
where b.due_month = $month::date and (case $level when 'team' then b.team else b.department end) = $unit
order by b.late_minutes desc, b.complaint_id, b.commitment

-- breach_clock: how late each breach is in its clock's own unit, and what moved its due instant.
-- One row per breach_list row (breached or overdue complaint x commitment). A working clock
-- (wh/wd limit) is late by the working time between its due instant and when it was done
-- (or the as-of instant, when overdue), on the policy's calendar (stg_calendar,
-- stg_working_minute): a working day's length is working_day_minutes, so "2 working days
-- 3 hours" is 2 x that + 180. A wall clock (m/h/d) is late by wall minutes (late_minutes).
-- "534 h" of wall time on a 3-working-day promise hid nights, weekends and holidays.
-- The adjustments come from int_clock_adjustment (what each pause and extension did) and
-- int_ownership (changes of hands up to the as-of instant).
-- The columns come in the order the breach lists show them (they select c.* from here), and a
-- count is null when there is none, so a list shows an empty cell rather than a row of zeros.
-- Columns:
--   complaint_id          VARCHAR           the complaint
--   commitment            VARCHAR           the commitment (policy key)
--   working               BOOLEAN           a working-time clock (wh/wd)
--   late_clock_minutes    DOUBLE [minutes]  lateness in the clock's measure: working minutes for
--                         wh/wd, wall minutes for m/h/d; null past the loaded calendar
--   limit_unit            VARCHAR           m | h | d | wh | wd: how the limit is counted
--   working_day_minutes   DOUBLE [minutes]  working minutes in one working day (policy working hours)
--   pauses                BIGINT [count]    pauses that moved the due instant (applied; null: none)
--   paused_minutes        DOUBLE [minutes]  their time, in the clock's measure (null: none)
--   extensions            BIGINT [count]    extensions that moved the due instant (applied; null: none)
--   extensions_ignored    BIGINT [count]    extensions that did not: after the due instant, over the
--                         cap, wrong unit (null: none)
--   extended_by           VARCHAR           the extensions honoured, as approved ("5wd")
--   transfers             BIGINT [count]    changes of hands (转办, 退回) in the log before the as-of
--                         instant (null: none)
with b as (
    select s.complaint_id, s.commitment, s.limit_unit, s.limit_unit in ('wh', 'wd') as working, s.due_at,
           case when s.status = 'breached' then s.done_at else getvariable('as_of') end as end_at,
           s.late_minutes, s.paused_minutes, s.extended_by
    from commitment_status s
    where s.status in ('breached', 'overdue')
),
positions as (
    -- Working minutes from the calendar's start to an instant (as int_clock_adjustment counts them).
    select t, cal.cum_before + case when cal.is_working
               then wm.worked_before + case when wm.is_working_minute then second(t::timestamp) / 60.0 else 0 end
               else 0 end as pos
    from (select due_at as t from b where working union select end_at from b where working) i
    join stg_calendar cal on cal.day = t::timestamp::date
    join stg_working_minute wm on wm.minute = hour(t::timestamp) * 60 + minute(t::timestamp)
),
steps as (
    select complaint_id, commitment,
           nullif(count(*) filter (where kind = 'pause' and decision = 'applied'), 0) as pauses,
           nullif(count(*) filter (where kind = 'extension' and decision = 'applied'), 0) as extensions,
           nullif(count(*) filter (where kind = 'extension' and decision <> 'applied'), 0) as extensions_ignored
    from int_clock_adjustment
    where step > 0
    group by all
),
hands as (
    select complaint_id, count(*) as transfers
    from int_ownership
    where not is_first and held_from < getvariable('as_of')
    group by all
)
select b.complaint_id, b.commitment, b.working,
       case when b.working then pe.pos - pd.pos else b.late_minutes end as late_clock_minutes,
       b.limit_unit, getvariable('working_day_seconds') / 60.0 as working_day_minutes,
       st.pauses, case when st.pauses > 0 then b.paused_minutes end as paused_minutes,
       st.extensions, st.extensions_ignored, b.extended_by, h.transfers
from b
left join positions pd on b.working and pd.t = b.due_at
left join positions pe on b.working and pe.t = b.end_at
left join steps st using (complaint_id, commitment)
left join hands h using (complaint_id)

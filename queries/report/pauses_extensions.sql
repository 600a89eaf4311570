-- pauses_extensions: the month's pauses and extensions from the flow log, in one row.
-- How many pauses (挂起) began in the month, how long they lasted in working time, how
-- many are still open; how many extensions (延期) were approved, for how long, and how
-- many came after the due instant had already passed (ignored for the status: see
-- event_findings). Pauses count by start, extensions by approval, in the local month.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   pauses                      BIGINT [count]   pauses that began in the month
--   paused_complaints           BIGINT [count]   complaints paused
--   open_pauses                 BIGINT [count]   of those, not resumed by the as-of instant
--   paused_working_hours        DOUBLE [hours]   their working time in total
--   median_pause_working_hours  DOUBLE [hours]   the median pause, in working hours
--   extensions                  BIGINT [count]   extensions approved in the month
--   extension_working_days      BIGINT [days]    working days granted (wd extensions, as approved)
--   extensions_after_due        BIGINT [count]   approved after the due instant had passed
--   extensions_over_cap         BIGINT [count]   beyond the policy's caps
with month_pauses as (
    select complaint_id, pause_start, pause_end, is_open
    from int_pause_intervals
    where pause_start is not null and date_trunc('month', pause_start::timestamp)::date = $month::date
),
pause_positions as (
    -- Working minutes since the calendar's start at each end of the pause: the difference is its length.
    select p.*,
           (cs.cum_before + case when cs.is_working then ws.worked_before else 0 end) as start_cum,
           (ce.cum_before + case when ce.is_working then we.worked_before else 0 end) as end_cum
    from month_pauses p
    join stg_calendar cs on cs.day = p.pause_start::timestamp::date
    join stg_working_minute ws on ws.minute = hour(p.pause_start::timestamp) * 60 + minute(p.pause_start::timestamp)
    join stg_calendar ce on ce.day = p.pause_end::timestamp::date
    join stg_working_minute we on we.minute = hour(p.pause_end::timestamp) * 60 + minute(p.pause_end::timestamp)
),
pause_summary as (
    select count(*) as pauses, count(distinct complaint_id) as paused_complaints,
           count(*) filter (where is_open) as open_pauses,
           round(sum(end_cum - start_cum) / 60, 1) as paused_working_hours,
           round(median(end_cum - start_cum) / 60, 1) as median_pause_working_hours
    from pause_positions
),
month_extensions as (
    select complaint_id, event_at, ext_amount, ext_unit
    from stg_events
    where event = 'extension_approved' and date_trunc('month', event_at::timestamp)::date = $month::date
),
extension_verdicts as (
    -- An extension can touch several extendable commitments; it came after the fact when it did so for any.
    select complaint_id, event_at, bool_or(decision = 'after_due') as after_due, bool_or(decision = 'over_cap') as over_cap
    from int_clock_adjustment where kind = 'extension'
    group by all
),
extension_summary as (
    select count(*) as extensions,
           coalesce(sum(ext_amount) filter (where ext_unit = 'wd'), 0)::bigint as extension_working_days,
           count(*) filter (where v.after_due) as extensions_after_due,
           count(*) filter (where v.over_cap) as extensions_over_cap
    from month_extensions e
    left join extension_verdicts v using (complaint_id, event_at)
)
select p.*, e.* from pause_summary p cross join extension_summary e

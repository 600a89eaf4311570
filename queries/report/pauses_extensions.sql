-- pauses_extensions: the month's clock events from the flow log, in one row: how many
-- pauses (挂起) began, how long they lasted in working time, how many are still open,
-- and how many extensions (延期) were approved, for how long, and how many of them came
-- after the due instant had already passed (ignored for the status: see event_findings).
-- Parameters: $month DATE (pauses by start, extensions by approval, local month)
-- Columns: pauses, paused_complaints, open_pauses BIGINT, paused_working_hours,
--   median_pause_working_hours DOUBLE, extensions BIGINT, extension_working_days BIGINT
--   (sum of wd extensions as approved), extensions_after_due, extensions_over_cap BIGINT.
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
           coalesce(sum(ext_amount) filter (where ext_unit = 'wd'), 0) as extension_working_days,
           count(*) filter (where v.after_due) as extensions_after_due,
           count(*) filter (where v.over_cap) as extensions_over_cap
    from month_extensions e
    left join extension_verdicts v using (complaint_id, event_at)
)
select p.*, e.* from pause_summary p cross join extension_summary e

-- int_commitment_adjusted: the final due instant of every clock a pause, an extension or a reopening touched.
-- One row per complaint x commitment with at least one step in int_clock_adjustment
-- (see there for the rules), with the stage's completion after a reopening.
-- Columns:
--   complaint_id        VARCHAR            the complaint
--   commitment          VARCHAR            the commitment (policy key)
--   final_due_at        TIMESTAMPTZ        the moved due instant; null when nothing applied
--   paused_minutes      DOUBLE [minutes]   applied pauses, in the clock's own measure (working
--                       minutes for wh/wd limits, wall minutes for m/h/d)
--   extended_minutes    DOUBLE [minutes]   applied extensions, same measure
--   extended_by         VARCHAR            the applied extensions as approved ("5wd"; several joined by "+")
--   extensions_ignored  BIGINT [count]     after the due instant, over the cap, or in the wrong unit
--   reopened_at         TIMESTAMPTZ        a reopening within reopenings.window of the resolution
--   redone_at           TIMESTAMPTZ        the first `resolved` event after it; null: not yet
with last_step as (
    select * from int_clock_adjustment
    qualify row_number() over (partition by complaint_id, commitment order by step desc) = 1
),
summary as (
    select complaint_id, commitment,
           bool_or(decision = 'applied') as any_applied,
           string_agg(detail, '+' order by step) filter (where kind = 'extension' and decision = 'applied') as extended_by,
           count(*) filter (where kind = 'extension' and decision <> 'applied') as extensions_ignored,
           max(event_at) filter (where kind = 'reopen') as reopened_at
    from int_clock_adjustment
    group by all
),
working_target as (
    -- A working position → the working day it falls in and the seconds worked into that day.
    select l.complaint_id, l.commitment, c.limit_unit,
           (l.due_pos + getvariable('working_day_seconds')::bigint - 1) // getvariable('working_day_seconds')::bigint as wd_index,
           l.due_pos - ((l.due_pos + getvariable('working_day_seconds')::bigint - 1) // getvariable('working_day_seconds')::bigint - 1)
             * getvariable('working_day_seconds')::bigint as into_day_seconds
    from last_step l
    join int_commitment_clock c using (complaint_id, commitment)
    where l.working
),
minute_marks as (
    select worked_before, min(minute) as minute from stg_working_minute group by worked_before
),
working_due as (
    select t.complaint_id, t.commitment,
           case when t.limit_unit = 'wd' and t.into_day_seconds = getvariable('working_day_seconds')
                -- a working-day clock ending with a whole working day: due at close (or 24:00), as ever
                then (cal.day::timestamp + to_minutes(cal.close_minute))::timestamptz
                else (cal.day::timestamp + to_microseconds(cast(round((m.minute * 60 - (m.worked_before * 60 - t.into_day_seconds)) * 1e6) as bigint)))::timestamptz
           end as due_at
    from working_target t
    join stg_calendar cal on cal.is_working and cal.wd_index = t.wd_index
    asof join minute_marks m on t.into_day_seconds / 60.0 <= m.worked_before
),
final_due as (
    select complaint_id, commitment, due_at from working_due
    union all
    select complaint_id, commitment, to_timestamp(due_pos) from last_step where not working
),
redone as (
    select s.complaint_id, min(e.event_at) as redone_at
    from summary s join stg_events e using (complaint_id)
    where s.reopened_at is not null and e.event = 'resolved' and e.event_at > s.reopened_at
    group by all
)
select s.complaint_id, s.commitment,
       case when s.any_applied then f.due_at end as final_due_at,
       l.paused_seconds / 60.0   as paused_minutes,
       l.extended_seconds / 60.0 as extended_minutes,
       s.extended_by, s.extensions_ignored, s.reopened_at, r.redone_at
from summary s
join last_step l using (complaint_id, commitment)
left join final_due f using (complaint_id, commitment)
left join redone r using (complaint_id)

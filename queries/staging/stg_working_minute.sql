-- stg_working_minute: every minute of a working day and how much working time lies before it.
-- One row per minute after local midnight (0..1440), from policy_working_hours.
-- Columns:
--   minute             BIGINT [minute of day]  minutes after local midnight
--   worked_before      INTEGER [minutes]       working minutes in [00:00, minute)
--   is_working_minute  BOOLEAN                 [minute, minute+1) is working time
select m.minute,
       coalesce(sum(greatest(0, least(m.minute, h.end_minute) - h.start_minute)), 0)::int as worked_before,
       bool_or(m.minute >= h.start_minute and m.minute < h.end_minute) as is_working_minute
from range(0, 1441) m(minute) cross join policy_working_hours h
group by m.minute

-- int_commitment_due: the original due instant of every started clock.
-- One row per complaint x commitment that applies and whose clock has started
-- by the as-of instant (a data problem elsewhere in the row does not stop it).
-- Clocks by limit unit: m, h, d wall time (started_at + the limit); wh working
-- hours (the instant at which working time since the start reaches the limit:
-- stg_calendar.cum_* are running totals, so working time between two instants
-- is a subtraction); wd working days (Civil Code art. 201: the start day does
-- not count; due at close of business, or 24:00, of the N-th working day after it).
-- Columns:
--   clock_row           BIGINT              the clock's rowid in int_commitment_clock: commitment_status
--                       joins on it (one integer instead of two strings)
--   complaint_id        VARCHAR             the complaint
--   commitment          VARCHAR             the commitment (policy key)
--   start_cum           DOUBLE [minutes]    working-minute position of the start
--   due_at              TIMESTAMPTZ         the due instant (null: beyond the loaded calendar)
--   calendar_uncovered  BOOLEAN             a day between start and due is in a year no
--                       published calendar covers: Monday-Friday was assumed
with started as (
    select rowid as clock_row, complaint_id, commitment, started_at, limit_amount, limit_unit,
           started_at::timestamp as started_local
    from int_commitment_clock
    where applies and started_at is not null
),
start_position as (
    select s.*, cal.wd_index as start_wd_index,
           cal.uncovered_through - case when cal.covered then 0 else 1 end as uncovered_before_start,
           cal.cum_before + case when cal.is_working
               then wm.worked_before + case when wm.is_working_minute then second(s.started_local) / 60.0 else 0 end
               else 0 end as start_cum
    from started s
    join stg_calendar cal on cal.day = s.started_local::date
    join stg_working_minute wm on wm.minute = hour(s.started_local) * 60 + minute(s.started_local)
),
wall_clock as (
    select clock_row, complaint_id, commitment, start_cum, limit_unit, uncovered_before_start,
           case limit_unit when 'm' then started_at + to_minutes(limit_amount)
                           when 'h' then started_at + to_hours(limit_amount)
                           when 'd' then started_at + to_days(limit_amount) end as due_at
    from start_position
    where limit_unit not in ('wd', 'wh')
),
working_day_close as (
    -- Close of business (or 24:00) of every working day, by its working-day number.
    select wd_index, (day::timestamp + to_minutes(close_minute))::timestamptz as due_at
    from stg_calendar
    where is_working
),
working_day_clock as (
    select sp.clock_row, sp.complaint_id, sp.commitment, sp.start_cum, sp.limit_unit, sp.uncovered_before_start, c.due_at
    from start_position sp
    left join working_day_close c on c.wd_index = sp.start_wd_index + sp.limit_amount
    where sp.limit_unit = 'wd'
),
working_hour_target as (
    select clock_row, complaint_id, commitment, start_cum, limit_unit, uncovered_before_start,
           start_cum + limit_amount * 60.0 as target_cum
    from start_position
    where limit_unit = 'wh'
),
working_days_only as (
    select day, cum_before, cum_end from stg_calendar where is_working
),
minute_marks as (
    -- The first minute of the day at which each amount of working time has elapsed.
    select worked_before, min(minute) as minute from stg_working_minute group by worked_before
),
working_hour_day as (
    -- The working day in which the running total reaches the target (the earliest such instant).
    select t.*, d.day, t.target_cum - d.cum_before as into_day
    from working_hour_target t
    asof left join working_days_only d on t.target_cum <= d.cum_end
),
working_hour_clock as (
    select w.clock_row, w.complaint_id, w.commitment, w.start_cum, w.limit_unit, w.uncovered_before_start,
           (w.day::timestamp
             + to_microseconds(cast(round((m.minute - (m.worked_before - w.into_day)) * 60e6) as bigint)))::timestamptz as due_at
    from working_hour_day w
    asof left join minute_marks m on w.into_day <= m.worked_before
),
-- Each started clock is in exactly one of the three streams, carrying what the
-- result needs: no join of the clocks back onto themselves.
due as (
    select * from wall_clock
    union all select * from working_day_clock
    union all select * from working_hour_clock
)
select d.clock_row, d.complaint_id, d.commitment, d.start_cum, d.due_at,
       coalesce(d.limit_unit in ('wh', 'wd')
                and due_cal.uncovered_through - d.uncovered_before_start > 0, false) as calendar_uncovered
from due d
left join stg_calendar due_cal on due_cal.day = d.due_at::date

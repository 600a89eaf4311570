-- stg_calendar: one row per local day, with running totals that turn clock arithmetic into subtraction.
-- Built from calendar_source (Chinese statutory holidays and make-up working
-- days plus the policy's own, loaded by Pledge) and policy_working_hours.
-- Columns:
--   day                DATE                  the local day
--   is_working         BOOLEAN               a working day
--   kind               VARCHAR               workday | weekend | holiday | makeup_workday
--   name               VARCHAR               holiday name
--   covered            BOOLEAN               false: year not in a published calendar, Monday-Friday assumed
--   source             VARCHAR               where the day's status comes from
--   work_minutes       HUGEINT [minutes]     working minutes in the day (0 on days off)
--   cum_before         DOUBLE [minutes]      working minutes from the calendar's start to this day's midnight
--   cum_end            DOUBLE [minutes]      ... to the end of this day (cum_before + work_minutes)
--   wd_index           BIGINT [days]         working days up to and including this day
--   close_minute       INTEGER [minute of day]  minute after midnight a working-day deadline falls at
--                      (close of business, or 1440 with working_day_deadline: end_of_day)
--   uncovered_through  BIGINT [days]         uncovered days up to and including this day
with working_day_length as (
    select sum(end_minute - start_minute) as minutes, max(end_minute) as close_of_business
    from policy_working_hours
),
days as (
    select s.*, case when s.is_working then w.minutes else 0 end as work_minutes,
           case when getvariable('working_day_deadline') = 'end_of_day' then 1440
                else w.close_of_business end as close_minute
    from calendar_source s cross join working_day_length w
)
select day, is_working, kind, name, covered, source, work_minutes,
       (sum(work_minutes) over (order by day) - work_minutes)::double as cum_before,
       (sum(work_minutes) over (order by day))::double                as cum_end,
       count(*) filter (where is_working) over (order by day)        as wd_index,
       close_minute,
       count(*) filter (where not covered) over (order by day)       as uncovered_through
from days

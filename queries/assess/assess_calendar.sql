-- assess_calendar: the working-day calendar the clocks were computed on, day by day.
-- One row per local day: Chinese statutory holidays and make-up working days,
-- plus the policy's own, with the working minutes each day contributes.
-- Columns:
--   day           DATE               the local day
--   is_working    BOOLEAN            a working day
--   kind          VARCHAR            workday | weekend | holiday | makeup_workday
--   name          VARCHAR            holiday name, where there is one
--   covered       BOOLEAN            false: no published calendar for the year, Monday to Friday assumed
--   source        VARCHAR            where the verdict came from
--   work_minutes  INTEGER [minutes]  working minutes in the day
select day, is_working, kind, name, covered, source, work_minutes::integer as work_minutes
from stg_calendar
order by day

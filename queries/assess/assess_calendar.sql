-- assess_calendar: the working-day calendar the clocks were computed on, day by
-- day (Chinese statutory holidays and make-up working days, plus the policy's
-- own), with the working minutes each day contributes.
-- Columns: day DATE, is_working BOOLEAN, kind TEXT (workday | weekend | holiday |
--   makeup_workday), name TEXT, covered BOOLEAN (false: no published calendar for
--   the year, Monday to Friday assumed), source TEXT, work_minutes INT.
select day, is_working, kind, name, covered, source, work_minutes
from stg_calendar
order by day

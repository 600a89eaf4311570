-- stg_month_close: when each month of the loaded calendar closes (its figures are published).
-- One row per month the calendar covers. A month closes policy reports.close_after after its end
-- (00:00 on the 1st of the next month): in working days, at close of business of the N-th
-- working day after that day (the day itself does not count, Civil Code art. 201, as in
-- kpi_remediation_monthly); in calendar units (d, h, m), that much later. The one rule of a
-- month's close: kpi_month_close reads it for the data's months, kpi_appeals for the instant an
-- appeal must be decided by to change the month's figures.
-- Columns:
--   month       DATE         first day of the month
--   month_end   TIMESTAMPTZ  00:00 on the 1st of the next month
--   closes_at   TIMESTAMPTZ  month_end + close_after; null when that falls beyond the loaded calendar
with months as (
    select distinct date_trunc('month', day)::date as month,
           (date_trunc('month', day) + interval 1 month)::date as next_day
    from stg_calendar
)
select m.month, m.next_day::timestamptz as month_end,
       case when getvariable('close_after_unit') = 'wd'
            then (due.day::timestamp + to_minutes(due.close_minute))::timestamptz
            else m.next_day::timestamptz + to_minutes((getvariable('close_after_amount')
                   * case getvariable('close_after_unit') when 'd' then 1440 when 'h' then 60 else 1 end)::bigint)
       end as closes_at
from months m
left join stg_calendar start_day on start_day.day = m.next_day
left join stg_calendar due on getvariable('close_after_unit') = 'wd' and due.is_working
                          and due.wd_index = start_day.wd_index + getvariable('close_after_amount')

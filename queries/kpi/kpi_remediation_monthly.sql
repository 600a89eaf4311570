-- kpi_remediation_monthly: remediation triggered by a KPI below its line (seed
-- 003): for every month, every KPI in policy remediation.kpis that the
-- organisation or a department missed, one row per remediation step with its
-- deadline on the working-day calendar. The clock starts when the month
-- closes (00:00 on the 1st of the next month); Civil Code art. 201: that day does
-- not count, the step is due at close of business of the N-th working day after it.
-- Columns: month DATE, level TEXT (organisation | department), unit TEXT (department;
--   null for the organisation), kpi TEXT, actual, target DOUBLE, step TEXT
--   (investigation | findings), step_order INT, limit_text TEXT, starts_on DATE,
--   due_at TIMESTAMPTZ.
with missed as (
    select month, level, unit, kpi, actual, target
    from kpi_unit_monthly
    where level in ('organisation', 'department') and on_target = false
      and kpi in (select kpi from policy_remediation)
),
steps as (
    select m.*, r.step, r.step_order, r.working_days, r.limit_text,
           (m.month + interval 1 month)::date as starts_on
    from missed m
    join policy_remediation r using (kpi)
)
select s.month, s.level, s.unit, s.kpi, s.actual, s.target, s.step, s.step_order, s.limit_text, s.starts_on,
       (due.day::timestamp + to_minutes(due.close_minute))::timestamptz as due_at
from steps s
join stg_calendar start_day on start_day.day = s.starts_on
left join stg_calendar due on due.wd_index = start_day.wd_index + s.working_days and due.is_working

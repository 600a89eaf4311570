-- kpi_remediation_monthly: remediation triggered by a KPI below its line (seed 003), with its deadlines.
-- One row per month x unit (organisation or department) x KPI in policy
-- remediation.kpis that the unit missed x remediation step. The clock starts when
-- the month closes (00:00 on the 1st of the next month); Civil Code art. 201: that
-- day does not count, a step is due at close of business of the N-th working day
-- after it, on the working-day calendar (holidays and make-up days included).
-- Columns:
--   month       DATE                  first day of the month
--   level       VARCHAR               organisation | department
--   unit        VARCHAR               the department (null for the organisation)
--   kpi         VARCHAR               the KPI below its line
--   actual      DOUBLE [ratio 0..1]   its value (satisfaction_mean: points)
--   target      DOUBLE [same unit]    the line
--   step        VARCHAR               investigation | findings
--   step_order  INTEGER               1, 2
--   limit_text  VARCHAR               the policy's limit ("2wd")
--   starts_on   DATE                  the day the clock starts (not counted)
--   due_at      TIMESTAMPTZ           the step's deadline; null beyond the loaded calendar
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

-- remediation: remediation triggered by the month (seed 003): who, which KPI,
-- how far below the line, and the deadlines of each step on the working-day calendar.
-- Parameters: $month DATE
-- Columns: level TEXT, unit TEXT ('' for the organisation), kpi TEXT, actual, target DOUBLE,
--   on_target BOOLEAN (always false: these are the misses),
--   investigation_due, findings_due TIMESTAMPTZ, investigation_limit, findings_limit TEXT
select level, coalesce(unit, '') as unit, kpi, actual, target, false as on_target,
       max(due_at) filter (where step = 'investigation') as investigation_due,
       max(due_at) filter (where step = 'findings') as findings_due,
       max(limit_text) filter (where step = 'investigation') as investigation_limit,
       max(limit_text) filter (where step = 'findings') as findings_limit
from kpi_remediation_monthly
where month = $month::date
group by level, unit, kpi, actual, target
order by level = 'organisation' desc, actual, unit

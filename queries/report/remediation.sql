-- remediation: remediation triggered by the month (seed 003), with the deadlines of each step.
-- One row per unit (organisation, department) x KPI below its line.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   level                VARCHAR               organisation | department
--   unit                 VARCHAR               the department ('' for the organisation)
--   kpi                  VARCHAR               the KPI below its line
--   actual               DOUBLE [ratio 0..1]   its value (satisfaction_mean: points)
--   target               DOUBLE [same unit]    the line
--   on_target            BOOLEAN               always false: these are the misses
--   investigation_due    TIMESTAMPTZ           investigation deadline
--   findings_due         TIMESTAMPTZ           findings deadline
--   investigation_limit  VARCHAR               policy remediation.investigation ("2wd")
--   findings_limit       VARCHAR               policy remediation.findings ("5wd")
select level, coalesce(unit, '') as unit, kpi, actual, target, false as on_target,
       max(due_at) filter (where step = 'investigation') as investigation_due,
       max(due_at) filter (where step = 'findings') as findings_due,
       max(limit_text) filter (where step = 'investigation') as investigation_limit,
       max(limit_text) filter (where step = 'findings') as findings_limit
from kpi_remediation_monthly
where month = $month::date
group by level, unit, kpi, actual, target
order by level = 'organisation' desc, actual, unit

-- kpi_groups_add_up: every KPI's groups add up to the organisation, in numerator and denominator.
-- A row is a month x KPI where the departments (kpi_unit_monthly), the teams of a department,
-- the channel kinds or the customer segments (kpi_parity_monthly) sum to something other
-- than the whole they split. satisfaction_mean has no numerator and is checked on its
-- denominator only.
-- Columns:
--   month        DATE     first day of the month
--   kpi          VARCHAR  the KPI
--   split        VARCHAR  department | team of <department> | channel_kind | segment
--   numerator    DOUBLE   the sum of the groups' numerators
--   denominator  DOUBLE   the sum of the groups' denominators
--   whole_numerator    DOUBLE  the organisation's (or the department's) numerator
--   whole_denominator  DOUBLE  the organisation's (or the department's) denominator
with org as (
    select month, kpi, numerator, denominator from kpi_unit_monthly where level = 'organisation'
),
parts as (
    select month, kpi, 'department' as split, null as department, sum(numerator) as numerator, sum(denominator) as denominator
    from kpi_unit_monthly where level = 'department' group by all
    union all
    select month, kpi, 'team of ' || department, department, sum(numerator), sum(denominator)
    from kpi_unit_monthly where level = 'team' group by all
    union all
    select month, kpi, dimension, null, sum(numerator), sum(denominator)
    from kpi_parity_monthly group by all
),
wholes as (
    select p.*, coalesce(d.numerator, o.numerator) as whole_numerator, coalesce(d.denominator, o.denominator) as whole_denominator
    from parts p
    left join org o on o.month = p.month and o.kpi = p.kpi
    left join kpi_unit_monthly d on p.department is not null and d.level = 'department'
         and d.department = p.department and d.month = p.month and d.kpi = p.kpi
)
select month, kpi, split, numerator, denominator, whole_numerator, whole_denominator
from wholes
where numerator is distinct from whole_numerator
   or denominator is distinct from whole_denominator
order by month, kpi, split

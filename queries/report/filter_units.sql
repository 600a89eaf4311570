-- filter_units: the departments and teams of the month, for the dashboard's department and team filters.
-- One row per team with a composite score in the month (kpi_composite_monthly), and one per
-- department with no team, by department then team.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   department  VARCHAR  the department
--   team        VARCHAR  a team of it (null: the department's own row, when it has no team)
with teams as (
    select department, unit as team from kpi_composite_monthly
    where month = $month::date and level = 'team' and unit is not null
),
departments as (
    select unit as department from kpi_composite_monthly
    where month = $month::date and level = 'department' and unit is not null
)
select department, team from teams
union all
select department, null from departments where department not in (select department from teams where department is not null)
order by department, team nulls first

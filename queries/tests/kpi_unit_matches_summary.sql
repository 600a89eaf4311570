-- kpi_unit_matches_summary: the organisation rows of kpi_unit_monthly equal kpi_summary_monthly.
-- The dashboard's tiles (kpi_summary_monthly) and the review pages (kpi_unit_monthly) must
-- show the organisation the same: a row is a month x KPI where the two values differ.
-- Columns:
--   month    DATE     first day of the month
--   kpi      VARCHAR  the KPI
--   summary  DOUBLE   kpi_summary_monthly.actual
--   unit     DOUBLE   kpi_unit_monthly.actual (organisation)
select s.month, s.kpi, s.actual as summary, u.actual as unit
from kpi_summary_monthly s
join kpi_unit_monthly u on u.level = 'organisation' and u.month = s.month and u.kpi = s.kpi
where abs(coalesce(s.actual, -1) - coalesce(u.actual, -1)) > 1e-9

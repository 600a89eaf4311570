-- unit_composite: one unit's composite score and rank for the month, beside the
-- organisation's composite.
-- Parameters: $month DATE, $level TEXT, $unit TEXT
-- Columns: composite DOUBLE (0..100), rank BIGINT, units_ranked BIGINT,
--   org_composite DOUBLE, kpis_scored BIGINT, kpis_weighted BIGINT
select composite, rank, units_ranked, org_composite, kpis_scored, kpis_weighted
from kpi_composite_monthly
where month = $month::date and level = $level and unit = $unit

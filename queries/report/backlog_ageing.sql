-- backlog_ageing: open complaints at the as-of instant by age band, whole organisation.
-- One row per age band, youngest first.
-- Columns:
--   age_band         VARCHAR [days]   '0-3d' … '>30d'
--   age_band_order   INTEGER          1..5, for sorting
--   open_complaints  BIGINT [count]   complaints open at the as-of instant
select age_band, age_band_order, open_complaints
from kpi_backlog
where department is null
order by age_band_order

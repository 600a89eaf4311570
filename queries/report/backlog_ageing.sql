-- backlog_ageing: open complaints at the as-of instant by age band, whole organisation.
-- Columns: age_band TEXT, age_band_order INT, open_complaints BIGINT
select age_band, age_band_order, open_complaints
from kpi_backlog
where department is null
order by age_band_order

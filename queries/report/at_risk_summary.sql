-- at_risk_summary: how many open commitments are at risk at the as-of instant.
-- One row per department x commitment with at least one at risk, most first.
-- Columns:
--   department  VARCHAR               department holding them
--   commitment  VARCHAR               the commitment
--   at_risk     BIGINT [count]        commitments at risk
--   share_line  DOUBLE [ratio 0..1]   policy at_risk.share
select department, commitment, count(*) as at_risk, getvariable('at_risk_share') as share_line
from kpi_at_risk
group by all
order by at_risk desc, department, commitment

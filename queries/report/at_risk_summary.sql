-- at_risk_summary: how many open commitments are at risk at the as-of instant,
-- per department and commitment.
-- Columns: department TEXT, commitment TEXT, at_risk BIGINT, share_line DOUBLE (policy at_risk.share)
select department, commitment, count(*) as at_risk, getvariable('at_risk_share') as share_line
from kpi_at_risk
group by all
order by at_risk desc, department, commitment

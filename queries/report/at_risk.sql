-- at_risk: open commitments at the as-of instant past policy at_risk.share of
-- their allowed time, nearest to breaking first. The page shows the first
-- policy reports.list_rows rows; the CSV beside it has all.
-- Columns: complaint_id, commitment, department, team, handler, limit_text TEXT,
--   due_at TIMESTAMPTZ, elapsed_share DOUBLE (0..1), hours_left DOUBLE
select complaint_id, commitment, department, team, handler, limit_text, due_at, elapsed_share,
       round(hours_left, 1) as hours_left
from kpi_at_risk
order by elapsed_share desc, due_at, complaint_id, commitment

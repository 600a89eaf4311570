-- at_risk: open commitments past policy at_risk.share of their allowed time, nearest to breaking first.
-- One row per commitment at risk at the as-of instant. The page shows the first
-- policy reports.list_rows rows; the CSV beside it has all.
-- Columns:
--   complaint_id   VARCHAR               the complaint
--   commitment     VARCHAR               the commitment
--   department     VARCHAR               department holding it
--   team           VARCHAR               team holding it
--   handler        VARCHAR               handler holding it
--   limit_text     VARCHAR               the limit ("15wd")
--   due_at         TIMESTAMPTZ           when it falls due
--   elapsed_share  DOUBLE [ratio 0..1]   share of the allowed time used
--   hours_left     DOUBLE [hours]        wall hours left, one decimal
select complaint_id, commitment, department, team, handler, limit_text, due_at, elapsed_share,
       round(hours_left, 1) as hours_left
from kpi_at_risk
order by elapsed_share desc, due_at, complaint_id, commitment

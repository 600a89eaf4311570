-- month_appeals: the month's appeals (申诉) and what became of each, for the workbook's Appeals sheet.
-- One row per appeal of kpi_appeals (as of the as-of instant) whose verdict falls in the month
-- (a commitment: the month its clock fell due; the whole complaint: the month it was
-- received) or that was filed in it. status: applied (approved and filed in time: taken out
-- of the unit's figures), rejected, pending, late (filed after the window: ignored),
-- unknown_complaint, unknown_commitment. The appeal's reason is not listed (personal data).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   complaint_id    VARCHAR      the complaint appealed
--   commitment      VARCHAR      the commitment appealed; null for the whole complaint
--   department      VARCHAR      the complaint's department
--   team            VARCHAR      the complaint's team
--   verdict_status  VARCHAR      the appealed clock's status (commitment_status); null for the whole complaint
--   filed_at        TIMESTAMPTZ  when it was filed
--   decided_at      TIMESTAMPTZ  when it was decided (null while pending)
--   window_ends_at  TIMESTAMPTZ  the last instant it could be filed
--   decision        VARCHAR      approved | rejected | pending
--   status          VARCHAR      applied | rejected | pending | late | unknown_complaint | unknown_commitment
select complaint_id, commitment, department, team, verdict_status, filed_at, decided_at, window_ends_at, decision, status
from kpi_appeals
where verdict_month = $month::date
   or (filed_at >= $month::date::timestamptz and filed_at < ($month::date + interval 1 month)::date::timestamptz)
order by filed_at, complaint_id, commitment nulls first

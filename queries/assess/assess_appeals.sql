-- assess_appeals: every appeal (申诉) of the quarter, with its decision and what became of it.
-- One row per appeal of kpi_appeals (as of the pack's as-of instant) whose verdict falls in a
-- month of the quarter (a commitment: the month its clock fell due; the whole complaint: the
-- month it was received), or that was filed in the quarter (so one about an earlier quarter's
-- verdict, or naming no complaint the exports hold, is listed too). Its status says what
-- became of it: applied (approved and filed in time: taken out of the unit's figures, see
-- assess_appeal_effects), rejected, pending (undecided as of the as-of), late (filed after
-- the window: ignored), unknown_complaint or unknown_commitment (naming nothing the policy or
-- the exports know: ignored). No personal data: the appeal's reason is not listed.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   complaint_id    VARCHAR      the complaint appealed
--   commitment      VARCHAR      the commitment appealed (policy key); empty for the whole complaint
--   scope           VARCHAR      commitment | complaint (the whole complaint: 不合理诉求, malicious or repeated)
--   department      VARCHAR      the complaint's department (empty: no export holds it)
--   team            VARCHAR      the complaint's team
--   filed_at        TIMESTAMPTZ  when it was filed
--   decided_at      TIMESTAMPTZ  when it was decided (empty while pending as of the as-of)
--   decision        VARCHAR      approved | rejected | pending (as of the as-of)
--   status          VARCHAR      applied | rejected | pending | late | unknown_complaint | unknown_commitment
--   verdict_status  VARCHAR      the appealed clock's status in commitment_status (met, breached, …);
--                                empty for the whole complaint
--   verdict_month   DATE         the month the verdict falls in (empty: the clock is not due yet)
--   window_ends_at  TIMESTAMPTZ  the last instant it could be filed (policy appeals.window)
select complaint_id, commitment, case when commitment is null then 'complaint' else 'commitment' end as scope,
       department, team, filed_at, decided_at, decision, status, verdict_status, verdict_month, window_ends_at
from kpi_appeals
where (verdict_month >= $quarter_start::date and verdict_month < $quarter_end::date)
   or (filed_at >= $quarter_start::date::timestamptz and filed_at < $quarter_end::date::timestamptz)
order by filed_at, complaint_id, commitment nulls first

-- whatif_status: the status of every complaint x commitment under the policy now in force,
-- for a policy what-if (kept as whatif_status_current and whatif_status_other).
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   commitment    VARCHAR      the commitment (policy key)
--   department    VARCHAR      department owning the complaint
--   channel       VARCHAR      channel it came in by
--   severity      VARCHAR      severity
--   limit_text    VARCHAR      the limit that applied ("4wh", "3wd" …); null when none
--   due_at        TIMESTAMPTZ  when it fell due
--   due_month     DATE         first day of the month it fell due in
--   status        VARCHAR      met | breached | overdue | pending | not_applicable | unknown
select complaint_id, commitment, department, channel, severity, limit_text, due_at, due_month, status
from commitment_status

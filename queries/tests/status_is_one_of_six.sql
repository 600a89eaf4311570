-- status_is_one_of_six: every clock has one of the six statuses, and a reason when it is unknown.
-- A row is a clock whose status is not met, breached, overdue, pending, not_applicable or
-- unknown, or an unknown one with no data_problem saying why (a figure is never silently judged).
-- Columns:
--   complaint_id  VARCHAR  the complaint
--   commitment    VARCHAR  the commitment
--   status        VARCHAR  the status found
--   data_problem  VARCHAR  why it cannot be judged
select complaint_id, commitment, status, data_problem
from commitment_status
where status is null
   or status not in ('met', 'breached', 'overdue', 'pending', 'not_applicable', 'unknown')
   or (status = 'unknown' and data_problem is null)

-- assemble_int_commitment_due: int_commitment_due of a session, from the stored facts and the live part.
-- One row per clock that applies and has started by the as-of instant: a stored clock's due
-- instant was worked out from its start once, when it was stored; clocks of complaints with
-- flow-log events come from live_int_commitment_due.
-- Columns:
--   *  every column of int_commitment_due; clock_row is the clock's clock_id
select clock_id as clock_row, complaint_id, commitment, start_cum, due_at, calendar_uncovered
from fact_clock
where applies and started_at < getvariable('as_of')
  and (received_at is null or received_at < getvariable('as_of'))
union all
select -1 - clock_row, complaint_id, commitment, start_cum, due_at, calendar_uncovered
from live_int_commitment_due

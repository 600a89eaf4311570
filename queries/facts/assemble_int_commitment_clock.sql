-- assemble_int_commitment_clock: int_commitment_clock of a session, from the stored facts and the live part.
-- One row per complaint x commitment of a complaint received by the as-of instant. A stored
-- clock keeps its rule and data problem; its stage times count only once they have happened
-- (the same cut int_commitment_clock.sql makes). Clocks of complaints with flow-log events
-- come from live_int_commitment_clock, keyed by a negative clock_id so the two never meet.
-- Columns:
--   clock_id  BIGINT  the clock's key (commitment_status and int_commitment_due join on it)
--   *         every column of int_commitment_clock
select clock_id, * exclude (clock_id, start_cum, due_at, calendar_uncovered) replace (
           case when started_at < getvariable('as_of') then started_at end as started_at,
           case when done_at    < getvariable('as_of') then done_at    end as done_at)
from fact_clock
where received_at is null or received_at < getvariable('as_of')
union all by name
select -1 - rowid as clock_id, * from live_int_commitment_clock

-- fact_clock: every clock of a complaint with no flow-log event, stored: its rule, its stage
-- times and its original due instant, none of which depend on the as-of instant.
-- One row per complaint x commitment (int_commitment_clock at the end of time, so started_at
-- and done_at are the stage times as recorded), with the due instant of int_commitment_due
-- for a clock that applies and has a start. A session cuts the stage times at its as-of
-- instant (assemble_int_commitment_clock) and keeps the due instant of a clock started by then.
-- Parameters:
--   $first_clock_id  BIGINT  the largest clock_id already stored (0 for a full build)
-- Columns:
--   clock_id  BIGINT  the clock's key: one integer, unique in the table (a session joins on it)
--   *         every column of int_commitment_clock, then start_cum, due_at and calendar_uncovered
--             of int_commitment_due (null when the clock never starts)
-- The key numbers the clocks in the order they were built (no sort: 8M rows at 1M complaints).
select $first_clock_id + c.rowid + 1 as clock_id,
       c.*, d.start_cum, d.due_at, d.calendar_uncovered
from build_int_commitment_clock c
left join build_int_commitment_due d on d.clock_row = c.rowid

-- every_clock_once: every complaint judged has exactly one clock per commitment of the policy.
-- A row is a complaint of stg_complaints with more or fewer commitment_status rows than the
-- policy has commitments, or a commitment_status row of a complaint not in stg_complaints
-- (the stored facts and the live part must neither overlap nor leave a gap).
-- Columns:
--   complaint_id  VARCHAR  the complaint
--   clocks        BIGINT   commitment_status rows found for it
--   expected      BIGINT   commitments in the policy (0: not a complaint judged as of now)
with counted as (
    select complaint_id, count(*) as clocks from commitment_status group by all
),
expected as (
    select complaint_id, (select count(*) from policy_commitment) as expected from stg_complaints
)
select coalesce(e.complaint_id, c.complaint_id) as complaint_id, coalesce(c.clocks, 0) as clocks, coalesce(e.expected, 0) as expected
from expected e
full join counted c using (complaint_id)
where coalesce(c.clocks, 0) <> coalesce(e.expected, 0)

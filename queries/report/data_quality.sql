-- data_quality: data-quality findings behind the month.
-- One row per finding: commitments that could not be judged (status unknown, by
-- reason: never a pass) and rows rejected at ingest (by reason).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   source       VARCHAR          commitment_status | rejects
--   finding      VARCHAR          the reason
--   occurrences  BIGINT [count]   how many
select 'commitment_status' as source, data_problem as finding, count(*) as occurrences
from commitment_status
where status = 'unknown' and (due_month = $month::date or due_month is null)
group by all
union all
select 'rejects', reason, count(*) from rejects group by all
order by source, occurrences desc, finding

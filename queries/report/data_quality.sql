-- data_quality: data-quality findings behind the month: commitments that could
-- not be judged (status unknown, by reason) and rows rejected at ingest (by reason).
-- Parameters: $month DATE
-- Columns: source TEXT (commitment_status | rejects), finding TEXT, occurrences BIGINT
select 'commitment_status' as source, data_problem as finding, count(*) as occurrences
from commitment_status
where status = 'unknown' and (due_month = $month::date or due_month is null)
group by all
union all
select 'rejects', reason, count(*) from rejects group by all
order by source, occurrences desc, finding

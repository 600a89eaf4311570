-- data_quality: data-quality findings behind the month.
-- One row per finding: commitments that could not be judged (status unknown, by
-- reason: never a pass), rows rejected at ingest (by reason), what the exports
-- give away (view findings, by category and finding: contradictions, and tamper
-- findings between exports such as a resolution time moved earlier), and flow-log
-- findings of the month (event_findings, by kind: open or ignored pauses, extensions
-- approved after the deadline or over the cap, stage events disagreeing with the export).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
-- Columns:
--   source       VARCHAR          commitment_status | rejects | findings: data_quality | findings: tamper | event_findings
--   finding      VARCHAR          the reason
--   occurrences  BIGINT [count]   how many
select 'commitment_status' as source, data_problem as finding, count(*) as occurrences
from commitment_status
where status = 'unknown' and (due_month = $month::date or due_month is null)
group by all
union all
select 'rejects', reason, count(*) from rejects group by all
union all
select 'findings: ' || category, finding, count(*) from findings group by all
union all
select 'event_findings', finding, count(*) from event_findings
where date_trunc('month', event_at::timestamp)::date = $month::date
group by all
order by source, occurrences desc, finding

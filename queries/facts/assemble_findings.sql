-- assemble_findings: findings of a session, from the stored facts and the live part.
-- A tamper finding stands whatever the as-of instant; a data-quality finding is about the
-- current version of a complaint received by the as-of (findings.sql joins stg_complaints),
-- so a stored one shows only once its complaint is in stg_complaints. Complaints with
-- flow-log events come from live_findings. Ordered as findings.sql orders them.
-- Columns:
--   *  every column of findings
with stored as (
    select f.* from fact_findings f
    where f.category <> 'data_quality'
       or exists (select 1 from fact_complaint c
                  where c.complaint_id = f.complaint_id
                    and (c.received_at is null or c.received_at < getvariable('as_of')))
)
select * from (from stored union all by name from live_findings)
order by category, complaint_id, field, new_import_id

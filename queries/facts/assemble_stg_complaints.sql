-- assemble_stg_complaints: stg_complaints of a session, from the stored facts and the live part.
-- One row per complaint received by the as-of instant (or with no receipt time): a complaint
-- with no flow-log event from fact_complaint, one with events from live_stg_complaints
-- (queries/staging/stg_complaints.sql run at the as-of over those complaints only).
-- The same rows, columns and values as stg_complaints.sql over every complaint.
-- Columns:
--   *  every column of stg_complaints
select * from fact_complaint
where received_at is null or received_at < getvariable('as_of')
union all by name
select * from live_stg_complaints

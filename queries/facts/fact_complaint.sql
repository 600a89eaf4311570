-- fact_complaint: the current version of every complaint with no flow-log event, stored in the warehouse.
-- One row per such complaint: stg_complaints as it stands at the end of time (build_stg_complaints,
-- built by pledge build over the complaints an import touched). With no event, nothing in it
-- depends on the as-of instant but whether the complaint was received by then, so a session
-- filters this table instead of redoing the latest-version window and the customer HMAC.
-- Complaints with events are left to the session (live_stg_complaints): their stages filled
-- from the log and their reopenings do depend on the as-of.
-- Columns:
--   *  every column of stg_complaints
select * from build_stg_complaints

-- story_complaint: who and what each storied complaint is, for the head of its clock story.
-- One row per complaint in $ids (stg_complaints: the current version). No personal data:
-- the customer's name, phone and ID stay out.
-- Parameters:
--   $ids  VARCHAR = ''  the complaint ids, separated by ASCII unit separators (chr(31))
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   department    VARCHAR      department owning it
--   team          VARCHAR      team holding it in the export
--   handler       VARCHAR      handler holding it
--   category      VARCHAR      complaint category
--   channel       VARCHAR      channel it came in by
--   severity      VARCHAR      severity
--   received_at   TIMESTAMPTZ  when it was received
with ids as (select unnest(string_split($ids, chr(31))) as complaint_id)
select c.complaint_id, c.department, c.team, c.handler, c.category, c.channel, c.severity, c.received_at
from stg_complaints c join ids using (complaint_id)
order by c.complaint_id

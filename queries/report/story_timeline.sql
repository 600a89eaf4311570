-- story_timeline: the stages and flow-log events of the storied complaints, in time order.
-- One row per stage time (stg_complaint_stage) and per flow-log event that is no stage
-- (pauses, resumptions, extensions, transfers, returns, reopenings; stg_events), for the
-- complaints in $ids. No free text and no person: the extension's duration and the
-- receiving team are all an event shows.
-- Parameters:
--   $ids  VARCHAR = ''  the complaint ids, separated by ASCII unit separators (chr(31))
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   instant       TIMESTAMPTZ  when it happened
--   kind          VARCHAR      stage | event
--   name          VARCHAR      the stage column (received_at, …) or the canonical event (paused, …)
--   team          VARCHAR      a transfer's or return's receiving team
--   detail        VARCHAR      an extension's duration as approved ("5wd")
--   source        VARCHAR      a stage's source: export | event
with ids as (select unnest(string_split($ids, chr(31))) as complaint_id)
select s.complaint_id, s.instant, 'stage' as kind, s.stage as name, null::varchar as team, null::varchar as detail, s.source
from stg_complaint_stage s join ids using (complaint_id)
where s.instant < getvariable('as_of')
union all
select e.complaint_id, e.event_at, 'event', e.event,
       case when e.event in ('transferred', 'returned') then e.team end,
       case when e.event = 'extension_approved' then e.ext_amount || e.ext_unit end, null
from stg_events e join ids using (complaint_id)
where e.event in ('paused', 'resumed', 'extension_approved', 'transferred', 'returned', 'reopened')
  and e.event_at < getvariable('as_of')
order by 1, 2, 3 desc, 4

-- story_adjustments: each pause and extension that could move a clock of the storied complaints, and what it did.
-- One row per clock x step of int_clock_adjustment after step 0, for the complaints in $ids.
-- Parameters:
--   $ids  VARCHAR = ''  the complaint ids, separated by ASCII unit separators (chr(31))
-- Columns:
--   complaint_id   VARCHAR            the complaint
--   commitment     VARCHAR            the commitment
--   step           INTEGER            1, 2, … in time order
--   kind           VARCHAR            pause | extension | reopen
--   event_at       TIMESTAMPTZ        the pause's start, the approval, the reopening
--   detail         VARCHAR            the extension as approved ("5wd"); continue | restart for a reopening
--   decision       VARCHAR            applied | after_due | over_cap | unit_mismatch
--   moved_minutes  DOUBLE [minutes]   how far it moved the due instant, in the clock's measure
--   working        BOOLEAN            a working-time clock
with ids as (select unnest(string_split($ids, chr(31))) as complaint_id)
select a.complaint_id, a.commitment, a.step, a.kind, a.event_at, a.detail, a.decision,
       a.moved_seconds / 60.0 as moved_minutes, a.working
from int_clock_adjustment a
join ids using (complaint_id)
where a.step > 0
order by a.complaint_id, a.commitment, a.step

-- int_pause_intervals: the pauses (挂起) of every complaint, paired from its paused and resumed events.
-- One row per pause or resume event, in time order. A `paused` while already paused, or
-- a `resumed` with no open pause, is ignored for the clocks and kept here as a finding;
-- a pause with no `resumed` by the as-of instant is open: it lasts up to the as-of instant.
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   event         VARCHAR      paused | resumed
--   event_at      TIMESTAMPTZ  when
--   pause_start   TIMESTAMPTZ  a kept pause: its start (null on resume rows and ignored pauses)
--   pause_end     TIMESTAMPTZ  a kept pause: its resume, or the as-of instant when open
--   is_open       BOOLEAN      a kept pause with no resume by the as-of instant
--   finding       VARCHAR      why the event is ignored or unmatched; null when fine
with pause_events as (
    select complaint_id, event, event_at, seq,
           lag(event) over (partition by complaint_id order by seq) as previous_event
    from stg_events
    where event in ('paused', 'resumed')
),
judged as (
    -- A pause opens when the previous pause event is not a pause; a resume closes one.
    select *,
           case when event = 'paused' and previous_event = 'paused' then 'paused while already paused (ignored: the earlier pause goes on)'
                when event = 'resumed' and previous_event is distinct from 'paused' then 'resumed with no open pause (ignored)'
           end as ignored_because
    from pause_events
),
kept as (
    select *, lead(event) over (partition by complaint_id order by seq) as next_event,
              lead(event_at) over (partition by complaint_id order by seq) as next_at
    from judged where ignored_because is null
)
select j.complaint_id, j.event, j.event_at,
       case when k.event = 'paused' then k.event_at end as pause_start,
       case when k.event = 'paused' then coalesce(k.next_at, getvariable('as_of')) end as pause_end,
       coalesce(k.event = 'paused' and k.next_at is null, false) as is_open,
       coalesce(j.ignored_because,
                case when k.event = 'paused' and k.next_at is null then 'paused with no resumed: the clock stays stopped up to the as-of instant' end) as finding
from judged j
left join kept k using (complaint_id, seq)

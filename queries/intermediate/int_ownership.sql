-- int_ownership: who held each complaint from when, for complaints whose flow log records a change of hands.
-- One row per holding (转办 transfers, 退回 returns). Complaints without one are held
-- throughout by the team in their export (commitment_status falls back to it). The first
-- holder (held_from = -infinity) is the team on the complaint's earliest flow-log event
-- before its first transfer, e.g. the `registered` event; then one row per `transferred`
-- or `returned` event with a team (the team that receives the complaint).
-- Columns:
--   complaint_id  VARCHAR      the complaint
--   held_from     TIMESTAMPTZ  from when (-infinity for the first holder)
--   team          VARCHAR      the team holding it; null when the log does not say
--   is_first      BOOLEAN      the first holder (首问负责制)
with changes as (
    select complaint_id, event_at, team from stg_events
    where event in ('transferred', 'returned') and team is not null
),
first_change as (
    select complaint_id, min(event_at) as first_at from changes group by all
),
first_holder as (
    select f.complaint_id, arg_min(e.team, e.seq) as team
    from first_change f
    left join stg_events e
      on e.complaint_id = f.complaint_id and e.event_at < f.first_at and e.team is not null
     and e.event not in ('transferred', 'returned')
    group by all
)
select complaint_id, '-infinity'::timestamptz as held_from, team, true as is_first from first_holder
union all
select complaint_id, event_at, team, false from changes

-- int_ownership: who held each complaint from when (转办 transfers, 退回 returns).
-- One row per holding: the first holder (held_from = -infinity, is_first) and one per
-- `transferred` or `returned` event with a team (the team that receives the complaint).
-- The first holder is the team on the complaint's earliest flow-log event before its
-- first transfer; when the log records no transfer at all, the export's team.
-- Columns: complaint_id, held_from TIMESTAMPTZ, team TEXT (null: not recorded), is_first BOOLEAN.
with changes as (
    select complaint_id, event_at, team from stg_events
    where event in ('transferred', 'returned') and team is not null
),
first_change as (
    select complaint_id, min(event_at) as first_at from changes group by all
),
earliest_other as (
    select e.complaint_id, e.team, e.event_at from stg_events e
    where e.team is not null and e.event not in ('transferred', 'returned')
    qualify row_number() over (partition by e.complaint_id order by e.seq) = 1
),
first_holder as (
    select c.complaint_id,
           case when f.complaint_id is null then coalesce(c.team, o.team)
                when o.event_at < f.first_at then o.team end as team
    from stg_complaints c
    left join first_change f using (complaint_id)
    left join earliest_other o using (complaint_id)
)
select complaint_id, '-infinity'::timestamptz as held_from, team, true as is_first from first_holder
union all
select complaint_id, event_at, team, false from changes

-- kpi_at_risk: open commitments close to breaking at the as-of instant (help-desk escalation warning).
-- One row per complaint x commitment that is not done, not yet due, with its clock
-- started, and has used at least policy at_risk.share of its allowed time. Allowed
-- time is counted the way the clock counts it: working minutes for wh / wd limits
-- (stg_calendar running totals), wall time for m / h / d.
-- Columns:
--   complaint_id   VARCHAR               the complaint
--   commitment     VARCHAR               the commitment (policy name)
--   department     VARCHAR               department holding the complaint
--   team           VARCHAR               team holding the complaint
--   handler        VARCHAR               handler holding the complaint
--   category       VARCHAR               complaint category
--   severity       VARCHAR               general | major | urgent
--   limit_text     VARCHAR               the limit that applies ("15wd")
--   started_at     TIMESTAMPTZ           when the clock started
--   due_at         TIMESTAMPTZ           when it falls due
--   elapsed_share  DOUBLE [ratio 0..1]   share of the allowed time used at the as-of instant
--   hours_left     DOUBLE [hours]        wall hours from the as-of instant to the due instant
with open_clocks as (
    -- commitment_status carries the limit's unit and the start's working position: no join
    -- back to the clock tables on (complaint_id, commitment) text keys.
    select s.complaint_id, s.commitment, s.department, s.team, s.handler, s.category, s.severity,
           s.limit_text, s.started_at, s.due_at, s.limit_unit, s.start_cum
    from commitment_status s
    where s.status = 'pending' and s.started_at is not null and s.due_at is not null
),
as_of_position as (
    -- working minutes from the calendar's start to the as-of instant
    select cal.cum_before + case when cal.is_working then wm.worked_before else 0 end as pos
    from stg_calendar cal
    join stg_working_minute wm on wm.minute = hour(getvariable('as_of')::timestamp) * 60 + minute(getvariable('as_of')::timestamp)
    where cal.day = getvariable('as_of')::timestamp::date
),
due_position as (
    select o.*, cal.cum_before + case when cal.is_working then wm.worked_before else 0 end as due_pos
    from open_clocks o
    join stg_calendar cal on cal.day = o.due_at::timestamp::date
    join stg_working_minute wm on wm.minute = hour(o.due_at::timestamp) * 60 + minute(o.due_at::timestamp)
),
shares as (
    select d.*,
           case when d.limit_unit in ('wh', 'wd')
                then (a.pos - d.start_cum) / nullif(d.due_pos - d.start_cum, 0)
                else epoch(getvariable('as_of') - d.started_at) / nullif(epoch(d.due_at - d.started_at), 0)
           end as elapsed_share
    from due_position d cross join as_of_position a
)
select complaint_id, commitment, department, team, handler, category, severity, limit_text,
       started_at, due_at, greatest(elapsed_share, 0) as elapsed_share,
       epoch(due_at - getvariable('as_of')) / 3600 as hours_left
from shares
where elapsed_share >= getvariable('at_risk_share')

-- commitment_status: the verdict on every complaint x commitment, as of the as-of instant.
-- One row per complaint x commitment, judged as of getvariable('as_of').
-- status: met (done by the due instant); breached (done, but after it); overdue
-- (not done and the due instant has passed: already a breach); pending (not
-- done, not yet due, or its clock has not started, or it is paused: an open pause
-- keeps the clock stopped up to the as-of instant); not_applicable (the
-- commitment does not cover this complaint); unknown (data missing or
-- contradictory, see data_problem; never a pass). Two kinds of unknown come from the
-- warehouse as a whole rather than the complaint: a commitment from or to a stage that no
-- import records ("no import records <stage>", stg_stage_coverage), and a clock not done and
-- due after the data ends ("data ends <instant>", stg_data_horizon): past the horizon of
-- the last export nobody knows whether it was done, so it is not called overdue. The due instant is the original
-- one moved by pauses, extensions and a reopening (int_clock_adjustment); after a
-- reopening within the policy window the stage counts as done only when it was
-- resolved again. A commitment counts in the month its (final) due instant falls
-- in (due_month, local).
-- Columns:
--   complaint_id        VARCHAR           the complaint
--   commitment          VARCHAR           the commitment (policy key)
--   department          VARCHAR           department owning the complaint
--   team                VARCHAR           team holding the complaint in the export
--   handler             VARCHAR           person handling it
--   first_handler       VARCHAR           person who took it first
--   category            VARCHAR           complaint category
--   channel             VARCHAR           channel it came in by
--   channel_kind        VARCHAR           online | offline | unknown
--   severity            VARCHAR           general | major | urgent …
--   customer_segment    VARCHAR           customer segment
--   counts_as_valid     BOOLEAN           counts in rates (not an unreasonable complaint)
--   limit_text          VARCHAR           the limit that applied ("4wh"); null when none
--   started_at          TIMESTAMPTZ       when the clock started
--   due_at              TIMESTAMPTZ       when it fell due (after pauses, extensions, a reopening)
--   done_at             TIMESTAMPTZ       when it was done (null: not by the as-of instant)
--   status              VARCHAR           met | breached | overdue | pending | not_applicable | unknown
--   late_minutes        DOUBLE [minutes]  wall minutes past due: done - due, or as-of - due when
--                       overdue; null otherwise
--   due_month           DATE              first day of the local month the due instant falls in
--   data_problem        VARCHAR           why it cannot be judged (status unknown)
--   calendar_uncovered  BOOLEAN           Monday-Friday was assumed for a day before the deadline
--   original_due_at     TIMESTAMPTZ       the due instant before pauses and extensions
--   paused_minutes      DOUBLE [minutes]  pause time not counted, in the clock's own measure
--                       (working minutes for wh/wd limits, wall minutes for m/h/d); 0 when none
--   extended_minutes    DOUBLE [minutes]  extension time honoured, same measure
--   extended_by         VARCHAR           the extensions honoured, as approved ("5wd")
--   owner_team          VARCHAR           team holding the complaint at the due instant (or at
--                       the as-of instant when that comes first), after transfers
--   first_team          VARCHAR           the first holder's team (首问负责制)
--   responsible_team    VARCHAR           the team a breach is charged to (policy ownership.breach_owner)
--   first_done_at       TIMESTAMPTZ       the stage time in the export
--   reopened_at         TIMESTAMPTZ       a reopening within reopenings.window that undid the
--                       resolution (resolution commitment only)
--   limit_unit          VARCHAR           m | h | d | wh | wd: how the limit is counted; null when none
--   start_cum           DOUBLE [minutes]  working-minute position of the start (stg_calendar running
--                       totals); null when the clock has not started
with unmeasurable as (
    -- A commitment whose start or end stage no import records cannot be measured at all.
    select pc.commitment, 'no import records ' || string_agg(s.stage, ' or ' order by s.stage) as problem
    from policy_commitment pc
    join stg_stage_coverage s on s.stage in (pc.from_stage, pc.to_stage) and not s.recorded
    group by all
),
clock as (
    select c.* exclude (done_at, clock_id), c.done_at as first_done_at, u.problem as unmeasurable, h.horizon as data_horizon,
           d.due_at as original_due_at, d.start_cum,
           coalesce(a.final_due_at, d.due_at) as due_at,
           case when a.reopened_at is not null then a.redone_at else c.done_at end as done_at,
           coalesce(d.calendar_uncovered, false) as calendar_uncovered,
           case when d.due_at is not null then coalesce(a.paused_minutes, 0) end as paused_minutes,
           case when d.due_at is not null then coalesce(a.extended_minutes, 0) end as extended_minutes,
           a.extended_by, a.reopened_at
    from int_commitment_clock c
    -- the clock's integer key (clock_id, see queries/facts/): far cheaper than (complaint_id, commitment) at millions of rows
    left join int_commitment_due d on d.clock_row = c.clock_id
    left join int_commitment_adjusted a on a.complaint_id = c.complaint_id and a.commitment = c.commitment
    left join unmeasurable u on u.commitment = c.commitment
    cross join stg_data_horizon h
),
judged as (
    select *,
           case
               when not applies then 'not_applicable'
               when unmeasurable is not null then 'unknown'
               when data_problem is not null then 'unknown'
               when started_at is null then 'pending'
               when due_at is null then 'unknown'
               when done_at is not null and done_at <= due_at then 'met'
               when done_at is not null then 'breached'
               -- Due after the data ends: whether it was done in time is not in any export yet.
               when getvariable('as_of') > due_at and due_at > data_horizon then 'unknown'
               when getvariable('as_of') > due_at then 'overdue'
               else 'pending'
           end as status
    from clock
),
first_holder as (
    select complaint_id, team as first_team from int_ownership where is_first
),
holder_at_due as (
    -- Only complaints that changed hands need a search; the rest keep their first holder.
    -- Read from the clock tables (not from judged) so the 1-row-per-clock CTE is not materialised twice.
    select d.complaint_id, d.commitment, arg_max(o.team, o.held_from) as team
    from int_commitment_due d
    left join int_commitment_adjusted a using (complaint_id, commitment)
    join int_ownership o
      on o.complaint_id = d.complaint_id and not o.is_first
     and o.held_from <= coalesce(a.final_due_at, d.due_at) and o.held_from < getvariable('as_of')
    group by all
),
holder_now as (
    -- A clock with no due instant (not started, or not applicable) is owned by whoever holds it at the as-of instant.
    select complaint_id, arg_max(team, held_from) as team
    from int_ownership
    where not is_first and held_from < getvariable('as_of')
    group by all
),
owned as (
    -- No change of hands in the log: the export's team held it throughout.
    select j.*, case when f.complaint_id is null then j.team else f.first_team end as first_team,
           coalesce(h.team, case when j.due_at is null then n.team end,
                    case when f.complaint_id is null then j.team else f.first_team end) as owner_team
    from judged j
    left join first_holder f using (complaint_id)
    left join holder_at_due h using (complaint_id, commitment)
    left join holder_now n using (complaint_id)
)
select complaint_id, commitment, department, team, handler, first_handler, category,
       channel, channel_kind, severity, customer_segment, counts_as_valid, limit_text,
       started_at, due_at, done_at, status,
       case status
           when 'breached' then epoch(done_at - due_at) / 60
           when 'overdue'  then epoch(getvariable('as_of') - due_at) / 60
       end as late_minutes,
       date_trunc('month', due_at::timestamp)::date as due_month,
       coalesce(unmeasurable, data_problem, case when status = 'unknown' then
           case when due_at > data_horizon
                then 'data ends ' || strftime(data_horizon::timestamp, '%Y-%m-%d %H:%M')
                else 'due instant beyond the loaded calendar' end end) as data_problem,
       calendar_uncovered,
       original_due_at, paused_minutes, extended_minutes, extended_by,
       owner_team, first_team,
       case getvariable('breach_owner') when 'first_team' then first_team else owner_team end as responsible_team,
       first_done_at, reopened_at, limit_unit, start_cum
from owned

-- int_clock_adjustment: how each pause, extension and reopening moved a commitment's due instant, step by step.
-- One row per clock x step (rules in the policy: commitments.*.pausable,
-- commitments.*.extendable, extensions.max_count/max_total, reopenings.*). Step 0 is the
-- original due instant; then every pause (by start), extension (by approval) and
-- reopening (of the resolution commitment, within reopenings.window of its resolution)
-- in time order, each judged against the due instant as already moved by earlier steps:
-- a pause that starts before the due instant moves it by the pause's length in the
-- commitment's own clock (working time for wh/wd limits, wall time for m/h/d), clipped to
-- [clock start, stage done, as-of]; one starting at or after it changes nothing
-- (after_due). An extension approved at or before the due instant and within the caps
-- moves it by its duration counted from the due instant on the same calendar (wd: close
-- of the N-th working day after the due day); otherwise it is ignored (after_due |
-- over_cap | unit_mismatch: a wh/wd extension of a wall clock or the other way round).
-- A reopening continues the clock (the time from resolution to reopening does not count)
-- or restarts it (a fresh period from the reopening). Positions: working clocks count
-- working seconds since the calendar's start (every working day has the same working
-- time, D = working_day_seconds, so the end of the k-th working day is k * D); wall
-- clocks count epoch seconds. Set-based: a recursive CTE takes one step per round for
-- every clock at once.
-- Columns:
--   complaint_id        VARCHAR            the complaint
--   commitment          VARCHAR            the commitment (policy key)
--   step                INTEGER            0 = the original due instant, then 1, 2, … in time order
--   kind                VARCHAR            start | pause | extension | reopen
--   event_at            TIMESTAMPTZ        the pause's start, the approval, the reopening
--   detail              VARCHAR            the extension as approved ("5wd"); continue | restart for a reopening
--   decision            VARCHAR            applied | after_due | over_cap | unit_mismatch; null for step 0
--   moved_seconds       BIGINT [seconds]   how far the step moved the due instant, in the clock's measure
--   due_pos             BIGINT [seconds]   the due position after the step (working or epoch seconds)
--   working             BOOLEAN            a working-time clock (wh/wd limit)
--   paused_seconds      BIGINT [seconds]   pause time applied so far, in the clock's measure
--   extended_seconds    BIGINT [seconds]   extension time applied so far, in the clock's measure
--   extensions_applied  INTEGER [count]    extensions applied so far
with recursive clocks as (
    select c.complaint_id, c.commitment, c.limit_unit, c.limit_amount, c.started_at, c.done_at, d.due_at,
           c.limit_unit in ('wh', 'wd') as working, pc.pausable, pc.extendable,
           c.commitment = getvariable('resolution_commitment') as is_resolution
    from int_commitment_clock c
    join int_commitment_due d using (complaint_id, commitment)
    join policy_commitment pc using (commitment)
    where c.applies and d.due_at is not null
      -- Only complaints whose log has something that can move a clock.
      and c.complaint_id in (select complaint_id from stg_events where event in ('paused', 'extension_approved', 'reopened'))
),
first_reopening as (
    select complaint_id, event_at from stg_events where event = 'reopened'
    qualify row_number() over (partition by complaint_id order by seq) = 1
),
raw_steps as (
    select cl.complaint_id, cl.commitment, 'pause' as kind, p.pause_start as event_at,
           greatest(p.pause_start, cl.started_at) as from_at,
           least(p.pause_end, coalesce(cl.done_at, p.pause_end)) as to_at,
           null::int as ext_amount, null::varchar as ext_unit, null::varchar as detail
    from clocks cl join int_pause_intervals p using (complaint_id)
    where cl.pausable and p.pause_start is not null
      and greatest(p.pause_start, cl.started_at) < least(p.pause_end, coalesce(cl.done_at, p.pause_end))
    union all
    select cl.complaint_id, cl.commitment, 'extension', e.event_at, e.event_at, e.event_at,
           e.ext_amount, e.ext_unit, e.detail
    from clocks cl join stg_events e using (complaint_id)
    where cl.extendable and e.event = 'extension_approved' and e.event_at >= cl.started_at
    union all
    select cl.complaint_id, cl.commitment, 'reopen', r.event_at, cl.done_at, r.event_at,
           null, null, getvariable('reopen_resolution_clock')
    from clocks cl join first_reopening r using (complaint_id)
    where cl.is_resolution and cl.done_at is not null and r.event_at > cl.done_at
      and epoch(r.event_at - cl.done_at) <= getvariable('reopen_window_seconds')
),
instants as (
    -- Every instant a step needs, with its position on the working calendar.
    select distinct t from (
        select from_at as t from raw_steps
        union select to_at from raw_steps
        union select due_at from clocks where (complaint_id, commitment) in (select (complaint_id, commitment) from raw_steps)
    )
),
positioned as (
    select i.t, cal.wd_index as day_wd_index, cal.is_working as day_is_working,
           hour(i.t::timestamp) * 3600 + minute(i.t::timestamp) * 60 + second(i.t::timestamp) as sec_of_day,
           ((cal.cum_before + case when cal.is_working then wm.worked_before else 0 end) * 60
             + case when cal.is_working and wm.is_working_minute then second(i.t::timestamp) else 0 end)::bigint as work_pos,
           -- The earliest instant at its working position: inside working time, or exactly where
           -- a working stretch ends (12:00:00, 18:00:00).
           cal.is_working and (wm.is_working_minute or (second(i.t::timestamp) = 0 and coalesce(prev.is_working_minute, false))) as is_earliest,
           round(epoch(i.t))::bigint as wall_pos
    from instants i
    join stg_calendar cal on cal.day = i.t::timestamp::date
    join stg_working_minute wm on wm.minute = hour(i.t::timestamp) * 60 + minute(i.t::timestamp)
    left join stg_working_minute prev on prev.minute = wm.minute - 1
),
steps as (
    select s.*, cl.working, cl.limit_unit, cl.limit_amount,
           case when cl.working then f.work_pos else f.wall_pos end as from_pos,
           case when cl.working then t.work_pos else t.wall_pos end as to_pos,
           f.is_earliest or not cl.working as from_is_earliest,
           f.day_is_working as from_day_is_working, f.day_wd_index as from_wd_index, f.sec_of_day as from_sec,
           t.day_wd_index as to_day_wd_index,
           row_number() over (partition by s.complaint_id, s.commitment order by s.event_at, s.kind) as step
    from raw_steps s
    join clocks cl using (complaint_id, commitment)
    join positioned f on f.t = s.from_at
    join positioned t on t.t = s.to_at
),
constants as (
    select getvariable('working_day_seconds')::bigint as d, max(close_minute) * 60 as close_sec from stg_calendar
),
walk as (
    -- Step 0: the original due instant of every clock that has something to apply.
    select cl.complaint_id, cl.commitment, 0 as step, 'start' as kind, cl.due_at as event_at,
           null::varchar as detail, null::varchar as decision, 0::bigint as moved_seconds,
           (case when cl.working then p.work_pos else p.wall_pos end)::bigint as due_pos, cl.working,
           0::bigint as paused_seconds, 0::bigint as extended_seconds, 0 as extensions_applied
    from clocks cl join positioned p on p.t = cl.due_at
    where (cl.complaint_id, cl.commitment) in (select (complaint_id, commitment) from raw_steps)
    union all
    select complaint_id, commitment, step, kind, event_at, detail, decision,
           case when decision = 'applied' then moved end,
           due_pos + case when decision = 'applied' then moved else 0 end, working,
           paused_seconds + case when decision = 'applied' and kind = 'pause' then moved else 0 end,
           extended_seconds + case when decision = 'applied' and kind = 'extension' then moved else 0 end,
           extensions_applied + case when decision = 'applied' and kind = 'extension' then 1 else 0 end
    from (
        select *,
               case kind
                   when 'pause' then case when before_due then 'applied' else 'after_due' end
                   when 'extension' then case
                       when moved is null then 'unit_mismatch'
                       when not at_or_before_due then 'after_due'
                       when extensions_applied + 1 > coalesce(getvariable('extension_max_count'), extensions_applied + 1)
                         or extended_seconds + moved > coalesce(case when working then getvariable('extension_cap_working_seconds')
                                                                     else getvariable('extension_cap_wall_seconds') end,
                                                                extended_seconds + moved) then 'over_cap'
                       else 'applied' end
                   else 'applied'
               end as decision
        from (
            select w.complaint_id, w.commitment, s.step, s.kind, s.event_at, s.detail, w.due_pos, w.working,
                   w.paused_seconds, w.extended_seconds, w.extensions_applied,
                   -- Equal positions: the instant may still lie before a wd clock's deadline at 24:00.
                   s.from_pos < w.due_pos
                     or (s.from_pos = w.due_pos and w.working and s.limit_unit = 'wd' and w.due_pos % k.d = 0
                         and s.from_day_is_working and s.from_wd_index = w.due_pos // k.d and s.from_sec < k.close_sec) as before_due,
                   s.from_pos < w.due_pos
                     or (s.from_pos = w.due_pos and (s.from_is_earliest
                         or (w.working and s.limit_unit = 'wd' and w.due_pos % k.d = 0
                             and s.from_day_is_working and s.from_wd_index = w.due_pos // k.d and s.from_sec <= k.close_sec))) as at_or_before_due,
                   case s.kind
                       when 'pause' then s.to_pos - s.from_pos
                       when 'extension' then case
                           when w.working and s.ext_unit = 'wd' then ((w.due_pos + k.d - 1) // k.d + s.ext_amount) * k.d - w.due_pos
                           when w.working and s.ext_unit = 'wh' then s.ext_amount * 3600
                           when not w.working and s.ext_unit in ('m', 'h', 'd') then s.ext_amount * case s.ext_unit when 'm' then 60 when 'h' then 3600 else 86400 end
                       end
                       when 'reopen' then case
                           when s.detail = 'continue' then s.to_pos - s.from_pos
                           when w.working and s.limit_unit = 'wd' then (s.to_day_wd_index + s.limit_amount) * k.d - w.due_pos
                           when w.working then s.to_pos + s.limit_amount * 3600 - w.due_pos
                           else s.to_pos + s.limit_amount * case s.limit_unit when 'm' then 60 when 'h' then 3600 else 86400 end - w.due_pos
                       end
                   end::bigint as moved
            from walk w
            join steps s on s.complaint_id = w.complaint_id and s.commitment = w.commitment and s.step = w.step + 1
            cross join constants k
        ) candidate
    ) judged
)
select complaint_id, commitment, step, kind, event_at, detail, decision, moved_seconds, due_pos,
       working, paused_seconds, extended_seconds, extensions_applied
from walk

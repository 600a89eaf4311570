-- kpi_fact_monthly: every headline KPI's counts at the finest grain the reports split them by.
-- One row per month x department x team x channel kind x parity segment x KPI: the
-- numerator and denominator of the KPI's rate for the complaints of that cell. Every
-- figure that splits or totals these KPIs (kpi_unit_monthly for the organisation,
-- departments and teams; kpi_parity_monthly for channel kinds and segments) is a sum of
-- these rows, as are kpi_timeliness_monthly, kpi_resolution_monthly and kpi_satisfaction_monthly
-- (and so the tiles, kpi_summary_monthly), so groups add up to their whole by construction.
-- Each KPI's rule is here, and only here:
--   timeliness:<commitment>  met / (met + breached + overdue), by the month the commitment fell due;
--                            pending and unknown clocks are kept in `pending` and `unknown`
--   resolution_rate          resolved / due, of the resolution commitment (policy resolution.commitment)
--                            by due month, invalid complaints left out when policy
--                            resolution.exclude_invalid; a resolution undone by a reopening within
--                            the window is not one (实际解决率). A clock that cannot be judged
--                            (status unknown) is in neither: it is counted in `unknown`
--   reopen_rate              resolved ones the export counts reopenings for / resolved
--   satisfaction_rate        satisfied / surveyed, by the month feedback was given (an export with
--                            no feedback time: the month it was resolved, else received)
--   satisfaction_mean        score_sum / denominator (surveyed); no numerator
--   survey_coverage          surveyed / gave feedback; a score with no survey time counts as surveyed
--                            once its feedback (or resolution, or receipt) is past the as-of instant
--   return_rate              (回退率, only when the policy sets targets.return_rate_max) complaints the
--                            unit sent back at least once (a `returned` event while it held them)
--                            / complaints assigned to it, by the month it was assigned them. A
--                            unit is assigned a complaint by each holding (int_ownership: the
--                            first holder from the month of receipt, each transfer or return from
--                            its own month), or, with no change of hands in the log, by the
--                            export's team from the month of receipt. A holding team's
--                            department is the one its complaints name most often in the export.
-- An approved appeal filed in time (kpi_appeals, status applied) takes what it names out of every
-- KPI here: a commitment's clock out of timeliness (and of the resolution and reopen rates when it
-- is the resolution commitment); a whole complaint's clocks, its satisfaction and survey figures
-- and its assignments (return rate) out of all of them. commitment_status keeps the verdict, and
-- `appealed` counts what was taken out, where it would have counted, so a unit's figure plus
-- what its appeals took out is the raw count.
-- `unknown` is what a rate could not judge: the share judged, denominator / (denominator +
-- unknown), is what kpi_unit_monthly holds against policy targets.min_judged_share.
-- Columns:
--   month         DATE              first day of the month
--   department    VARCHAR           department owning the complaints
--   team          VARCHAR           team owning them in the export
--   channel_kind  VARCHAR           online | offline | unknown
--   segment       VARCHAR           the customer segment when policy parity.segments names it, else others
--   kpi           VARCHAR           KPI name
--   numerator     BIGINT [count]    what the rate counts (null for satisfaction_mean)
--   denominator   BIGINT [count]    what it is counted over
--   score_sum     DOUBLE [points]   satisfaction_mean: sum of the 0-100 scores surveyed; else null
--                                   (summed as DECIMAL(38,12), each score to 12 decimals: a DOUBLE sum
--                                   depends on the order threads add rows in, and the same data must
--                                   give the same digits)
--   breached      BIGINT [count]    timeliness: clocks done after their due instant; else null
--   overdue       BIGINT [count]    timeliness: clocks not done and past due; else null
--   pending       BIGINT [count]    timeliness: clocks due in the month not yet judged (pending); else null
--   unknown       BIGINT [count]    timeliness and resolution_rate: clocks due in the month that cannot
--                                   be judged (status unknown); 0 for the other KPIs
--   on_time       BIGINT [count]    resolution_rate: resolved by the due instant (status met), not undone; else null
--   appealed      BIGINT [count]    what applied appeals took out of the denominator (clocks, surveyed
--                                   or feedback complaints, assignments); reopen_rate: of the resolved
with parity_segment as (
    select segment from policy_parity_segment
),
appealed_clock as (
    select complaint_id, commitment from kpi_appeals where status = 'applied' and commitment is not null
),
appealed_complaint as (
    select distinct complaint_id from kpi_appeals where status = 'applied' and commitment is null
),
unit_clocks as (
    -- Every clock, flagged when an applied appeal takes it out (counted apart, in `appealed`).
    select s.*, a.complaint_id is not null or w.complaint_id is not null as appealed
    from commitment_status s
    left join appealed_clock a using (complaint_id, commitment)
    left join appealed_complaint w using (complaint_id)
),
due_commitments as (
    -- pending and unknown are kept so a month with nothing judged yet still has its row.
    select due_month as month, department, team, channel_kind,
           case when customer_segment in (from parity_segment) then customer_segment else 'others' end as segment,
           commitment, status, appealed
    from unit_clocks
    where due_month is not null and status <> 'not_applicable'
),
timeliness as (
    select month, department, team, channel_kind, segment, 'timeliness:' || commitment as kpi,
           count(*) filter (where not appealed and status = 'met') as numerator,
           count(*) filter (where not appealed and status in ('met', 'breached', 'overdue')) as denominator,
           null::double as score_sum,
           count(*) filter (where not appealed and status = 'breached') as breached,
           count(*) filter (where not appealed and status = 'overdue') as overdue,
           count(*) filter (where not appealed and status = 'pending') as pending,
           count(*) filter (where not appealed and status = 'unknown') as unknown,
           null::bigint as on_time,
           count(*) filter (where appealed and status in ('met', 'breached', 'overdue')) as appealed
    from due_commitments
    group by all
),
resolution_clock as (
    select s.due_month as month, s.department, s.team, s.channel_kind,
           case when s.customer_segment in (from parity_segment) then s.customer_segment else 'others' end as segment,
           s.status, s.done_at, s.reopened_at, c.reopened_count, s.status = 'unknown' as cannot_judge, s.appealed
    from unit_clocks s
    join stg_complaints c using (complaint_id)
    where s.commitment = getvariable('resolution_commitment')
      and s.due_month is not null
      and s.status <> 'not_applicable'
      and (s.counts_as_valid or not getvariable('resolution_exclude_invalid'))
),
resolution_counts as (
    select month, department, team, channel_kind, segment,
           count(*) filter (where not appealed and not cannot_judge) as due,
           count(*) filter (where not appealed and not cannot_judge and done_at is not null and reopened_at is null) as resolved,
           count(*) filter (where not appealed and status = 'met' and reopened_at is null) as resolved_on_time,
           count(*) filter (where not appealed and not cannot_judge and done_at is not null and reopened_count > 0) as reopened,
           count(*) filter (where not appealed and cannot_judge) as unknown,
           count(*) filter (where appealed and not cannot_judge) as appealed_due,
           count(*) filter (where appealed and not cannot_judge and done_at is not null and reopened_at is null) as appealed_resolved
    from resolution_clock
    group by all
),
feedback_given as (
    -- An export with scores but no feedback or survey times (a support-ticket export) still has
    -- satisfaction: the score counts in the month the complaint was resolved, else received.
    select c.*, coalesce(c.feedback_at, c.resolved_at, c.received_at) as feedback_time, w.complaint_id is not null as appealed
    from stg_complaints c
    left join appealed_complaint w using (complaint_id)
),
feedback_cohort as (
    select date_trunc('month', feedback_time::timestamp)::date as month, department, team, channel_kind,
           case when customer_segment in (from parity_segment) then customer_segment else 'others' end as segment,
           satisfaction is not null and coalesce(survey_at, feedback_time) < getvariable('as_of') as surveyed,
           satisfaction_100, is_satisfied, appealed
    from feedback_given
    where feedback_time < getvariable('as_of')
      -- given feedback: the export says when, or it holds a score (the answer was given)
      and (feedback_at is not null or satisfaction is not null)
),
return_measured as (
    -- The return rate is measured only under a policy that sets its target (policy_target has it):
    -- otherwise no row of it, and nothing of it is worked out (every branch below is cut here).
    select count(*) > 0 as measured from policy_target where kpi = 'return_rate'
),
holdings as (
    -- Every holding with a team, in order; a complaint with no change of hands is held by its export team.
    select o.complaint_id, o.team, case when o.held_from = '-infinity' then c.received_at else o.held_from end as assigned_at,
           o.held_from as held_from
    from int_ownership o join stg_complaints c using (complaint_id)
    where o.team is not null and (select measured from return_measured)
    union all
    select c.complaint_id, c.team, c.received_at, '-infinity'::timestamptz
    from stg_complaints c anti join int_ownership o using (complaint_id)
    where c.team is not null and c.received_at is not null and (select measured from return_measured)
),
returns_by as (
    -- A `returned` event ends the holding before it: the unit that held the complaint sent it back.
    select h.complaint_id, h.team, h.held_from
    from (select complaint_id, event_at from stg_events where event = 'returned') r
    asof join holdings h on h.complaint_id = r.complaint_id and r.event_at > h.held_from
),
team_department as (
    select team, arg_max(department, n) as department
    from (select team, department, count(*) as n from stg_complaints where team is not null group by all)
    group by all
),
return_counts as (
    select date_trunc('month', h.assigned_at::timestamp)::date as month,
           coalesce(d.department, c.department) as department, h.team, c.channel_kind,
           case when c.customer_segment in (from parity_segment) then c.customer_segment else 'others' end as segment,
           count(distinct h.complaint_id) filter (where w.complaint_id is null) as assigned,
           count(distinct h.complaint_id) filter (where w.complaint_id is null and b.complaint_id is not null) as returned,
           count(distinct h.complaint_id) filter (where w.complaint_id is not null) as appealed
    from holdings h
    join stg_complaints c using (complaint_id)
    left join appealed_complaint w on w.complaint_id = h.complaint_id
    left join team_department d on d.team = h.team
    left join (select distinct complaint_id, team, held_from from returns_by) b
      on b.complaint_id = h.complaint_id and b.team = h.team and b.held_from = h.held_from
    where h.assigned_at < getvariable('as_of')
    group by all
),
satisfaction_counts as (
    select month, department, team, channel_kind, segment,
           count(*) filter (where not appealed) as given_feedback,
           count(*) filter (where not appealed and surveyed) as surveyed,
           count(*) filter (where not appealed and surveyed and is_satisfied) as satisfied,
           (sum(satisfaction_100::decimal(38, 12)) filter (where not appealed and surveyed))::double as score_sum,
           count(*) filter (where appealed) as appealed_feedback,
           count(*) filter (where appealed and surveyed) as appealed_surveyed
    from feedback_cohort
    group by all
)
from timeliness
union all
select month, department, team, channel_kind, segment, 'resolution_rate', resolved, due, null, null, null, null, unknown, resolved_on_time, appealed_due from resolution_counts
union all
select month, department, team, channel_kind, segment, 'reopen_rate', reopened, resolved, null, null, null, null, 0, null, appealed_resolved from resolution_counts
union all
select month, department, team, channel_kind, segment, 'satisfaction_rate', satisfied, surveyed, null, null, null, null, 0, null, appealed_surveyed from satisfaction_counts
union all
select month, department, team, channel_kind, segment, 'satisfaction_mean', null, surveyed, score_sum, null, null, null, 0, null, appealed_surveyed from satisfaction_counts
union all
select month, department, team, channel_kind, segment, 'survey_coverage', surveyed, given_feedback, null, null, null, null, 0, null, appealed_feedback from satisfaction_counts
union all
select month, department, team, channel_kind, segment, 'return_rate', returned, assigned, null, null, null, null, 0, null, appealed from return_counts

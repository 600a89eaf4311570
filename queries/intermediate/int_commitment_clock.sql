-- int_commitment_clock: does each commitment apply to each complaint, which limit, when its clock ran.
-- One row per complaint x commitment. A commitment applies when the complaint
-- matches its applies_to selector and one of its `within` rules (first match
-- wins). Stage times later than the as-of instant (getvariable('as_of')) have
-- not happened yet as of it.
-- Columns:
--   complaint_id      VARCHAR      the complaint
--   commitment        VARCHAR      the commitment (policy key)
--   department        VARCHAR      department owning the complaint
--   team              VARCHAR      team owning the complaint
--   handler           VARCHAR      person handling it
--   first_handler     VARCHAR      person who took it first
--   category          VARCHAR      complaint category
--   channel           VARCHAR      channel it came in by
--   channel_kind      VARCHAR      online | offline | unknown
--   severity          VARCHAR      general | major | urgent …
--   customer_segment  VARCHAR      customer segment
--   counts_as_valid   BOOLEAN      counts in rates (not an unreasonable complaint)
--   applies           BOOLEAN      the commitment covers this complaint
--   rule_no           INTEGER      which `within` rule matched (1-based)
--   limit_amount      INTEGER      the limit's number
--   limit_unit        VARCHAR      m | h | d | wh | wd
--   limit_text        VARCHAR      the limit as written in the policy ("4wh")
--   received_at       TIMESTAMPTZ  when the complaint was received
--   started_at        TIMESTAMPTZ  when the clock started (null: not yet)
--   done_at           TIMESTAMPTZ  when the clock stopped (null: not yet)
--   data_problem      VARCHAR      why the row cannot be judged; null when it can (includes data-quality findings, view findings, on either stage)
with quality as (
    -- Data-quality findings per complaint and field: few, so joined by key rather than
    -- looked up per clock (a lateral lookup cost seconds per million complaints).
    select complaint_id as flagged_id, field as flagged_field, min(finding) as finding
    from findings
    where category = 'data_quality'
    group by all
),
complaints as (
    -- The complaint's stage times as one list in policy_stage order (stg_complaints' *_at
    -- columns, which are the stages in that order): a clock reads its two ends by position,
    -- as fast as reading two columns (joining the long stg_complaint_stage twice per clock
    -- cost about twice this file's time at 100k complaints).
    select *, [*columns('_at$')] as stage_times from stg_complaints
),
commitments as (
    select pc.*, f.position as from_position, t.position as to_position
    from policy_commitment pc
    join policy_stage f on f.stage = pc.from_stage
    join policy_stage t on t.stage = pc.to_stage
),
profiles as (
    -- Rules are matched once per distinct complaint profile, not once per complaint.
    select distinct severity, channel, channel_kind, customer_segment from stg_complaints
),
profile_rule as (
    select p.severity, p.channel, p.customer_segment, pc.commitment,
           r.rule_no, r.limit_amount, r.limit_unit, r.limit_text
    from profiles p
    cross join policy_commitment pc
    left join policy_commitment_rule r
      on r.commitment = pc.commitment
     and (pc.sel_severity     is null or list_contains(pc.sel_severity, p.severity))
     and (pc.sel_channel      is null or list_contains(pc.sel_channel, p.channel))
     and (pc.sel_channel_kind is null or list_contains(pc.sel_channel_kind, p.channel_kind))
     and (pc.sel_segment      is null or list_contains(pc.sel_segment, p.customer_segment))
     and (r.sel_severity      is null or list_contains(r.sel_severity, p.severity))
     and (r.sel_channel       is null or list_contains(r.sel_channel, p.channel))
     and (r.sel_channel_kind  is null or list_contains(r.sel_channel_kind, p.channel_kind))
     and (r.sel_segment       is null or list_contains(r.sel_segment, p.customer_segment))
    qualify row_number() over (partition by p.severity, p.channel, p.customer_segment, pc.commitment
                               order by r.rule_no nulls last) = 1
),
clocks as (
    select c.complaint_id, pc.commitment, pc.from_stage, pc.to_stage,
           c.department, c.team, c.handler, c.first_handler, c.category, c.channel, c.channel_kind,
           c.severity, c.customer_segment, c.counts_as_valid, c.received_at,
           pr.rule_no is not null as applies, pr.rule_no, pr.limit_amount, pr.limit_unit, pr.limit_text,
           c.stage_times[pc.from_position] as from_at, c.stage_times[pc.to_position] as to_at
    from complaints c
    cross join commitments pc
    left join profile_rule pr
      on pr.commitment = pc.commitment
     and pr.severity is not distinct from c.severity
     and pr.channel is not distinct from c.channel
     and pr.customer_segment is not distinct from c.customer_segment
)
select complaint_id, commitment, department, team, handler, first_handler, category, channel,
       channel_kind, severity, customer_segment, counts_as_valid, applies, rule_no,
       limit_amount, limit_unit, limit_text, received_at,
       case when from_at < getvariable('as_of') then from_at end as started_at,
       case when to_at   < getvariable('as_of') then to_at   end as done_at,
       case
           when received_at is null then 'received_at missing'
           when from_at < received_at then from_stage || ' before received_at'
           when to_at < from_at then to_stage || ' before ' || from_stage
           when to_at is not null and from_at is null then to_stage || ' recorded but ' || from_stage || ' missing'
           -- A data-quality finding on either end of the clock (e.g. a time after the export was made).
           else least(qf.finding, qt.finding)
       end as data_problem
from clocks
left join quality qf on qf.flagged_id = clocks.complaint_id and qf.flagged_field = clocks.from_stage
left join quality qt on qt.flagged_id = clocks.complaint_id and qt.flagged_field = clocks.to_stage

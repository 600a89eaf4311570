-- event_findings: what the flow log shows that an assessor must look at.
-- One row per finding. pause_ignored: a `paused` while already paused, or a `resumed`
-- with no open pause. pause_open: a pause with no `resumed` by the as-of instant (clock
-- stopped). extension_after_due: approved after the due instant had passed (ignored).
-- extension_over_cap: beyond policy extensions.max_count / max_total (ignored).
-- extension_unit_mismatch: a wh/wd extension of a wall clock, or m/h/d of a working clock
-- (ignored). stage_event_disagrees: the first stage event (e.g. `resolved`, before any
-- reopening) is not at the time the complaint export records for that stage (an empty
-- export stage is filled from the log: not a finding). unknown_complaint: an event for a
-- complaint no export contains. From the appeals (申诉, kpi_appeals), ignored ones:
-- appeal_after_window (filed after policy appeals.window), appeal_unknown_complaint,
-- appeal_unknown_commitment (event `appeal`, event_at the filing time).
-- Columns:
--   finding       VARCHAR      the kind of finding (above)
--   complaint_id  VARCHAR      the complaint
--   commitment    VARCHAR      the commitment it is about; null when not about one clock
--   event         VARCHAR      the event (canonical name)
--   event_at      TIMESTAMPTZ  when
--   detail        VARCHAR      what was expected, or why
with pauses as (
    select case when finding like 'paused with no resumed%' then 'pause_open' else 'pause_ignored' end as finding,
           complaint_id, null::varchar as commitment, event, event_at, finding as detail
    from int_pause_intervals where finding is not null
),
extensions as (
    select 'extension_' || decision as finding, a.complaint_id, a.commitment, 'extension_approved' as event, a.event_at,
           a.detail || case decision
               when 'after_due' then ' approved after the due instant had passed (originally due ' || strftime(prior.due_at_local, '%Y-%m-%d %H:%M') || ')'
               when 'over_cap' then ' beyond the policy cap'
               else ' does not fit the clock' end as detail
    from int_clock_adjustment a
    left join (
        select complaint_id, commitment, original_due_at::timestamp as due_at_local from commitment_status
    ) prior using (complaint_id, commitment)
    where a.kind = 'extension' and a.decision <> 'applied'
),
first_reopening as (
    select complaint_id, min(seq) as seq from stg_events where event = 'reopened' group by all
),
first_stage_event as (
    -- Stage events after a reopening record the second round (resolved again), not the export's stage.
    select e.complaint_id, e.event, e.event_at from stg_events e
    semi join policy_stage s on s.event = e.event
    left join first_reopening r using (complaint_id)
    where r.seq is null or e.seq < r.seq
    qualify row_number() over (partition by e.complaint_id, e.event order by e.seq) = 1
),
latest_export as (
    -- The export as written (stg_complaints fills empty stages from the log).
    select * from complaint_versions
    qualify row_number() over (partition by complaint_id order by import_id desc, line_no desc) = 1
),
export_stage as (
    -- One row per recorded stage, named by the event that records it (policy_stage).
    select x.complaint_id, s.event, x.exported_at
    from (unpivot (select complaint_id, columns('_at$') from latest_export)
          on columns(* exclude (complaint_id)) into name stage value exported_at) x
    join policy_stage s using (stage)
),
stages as (
    select 'stage_event_disagrees' as finding, f.complaint_id, null::varchar as commitment, f.event, f.event_at,
           'the complaint export says ' || strftime(x.exported_at::timestamp, '%Y-%m-%d %H:%M:%S') as detail
    from first_stage_event f
    join export_stage x using (complaint_id, event)
    where x.exported_at <> f.event_at
),
unknown as (
    select 'unknown_complaint' as finding, e.complaint_id, null::varchar as commitment, e.event, e.event_at,
           'no complaint export contains ' || e.complaint_id as detail
    from stg_events e
    where not exists (select 1 from stg_complaints c where c.complaint_id = e.complaint_id)
)
select * from pauses
union all select * from extensions
union all select * from stages
union all select * from unknown
union all
select 'appeal_' || case status when 'late' then 'after_window' else status end, complaint_id, commitment, 'appeal', filed_at,
       case status
           when 'late' then 'filed after the appeal window, which ended ' || strftime(window_ends_at, '%Y-%m-%d %H:%M')
                            || ' (' || getvariable('appeal_window_wd') || ' working days after ' || strftime(verdict_month, '%Y-%m') || ')'
           when 'unknown_complaint' then 'no complaint export contains ' || complaint_id
           else 'the policy has no commitment ' || commitment end
from kpi_appeals
where status in ('late', 'unknown_complaint', 'unknown_commitment')

-- kpi_appeals: every appeal (申诉) known by the as-of instant, and what it does to the unit's figures.
-- One row per appeal: complaint, commitment (null: the whole complaint) and filing time, in the
-- version of the latest import that carried it (a pending appeal decided in a later export).
-- An appeal decided after the as-of is still pending as of it. Its window: it must be filed by
-- close of business of the policy appeals.window-th working day after the end of the month
-- its verdict falls in (a commitment: the month the clock fell due; the whole complaint: the
-- month it was received), on the working-day calendar; one filed later is `late`, ignored
-- and listed in event_findings, as is one naming no complaint or no commitment of the policy.
-- An `applied` appeal (approved, in time) takes what it names out of every KPI of
-- kpi_fact_monthly (the clock, or every clock, score and assignment of the complaint), and so
-- out of the unit's figures; commitment_status and breach_list keep the verdict as it was.
-- Columns:
--   complaint_id    VARCHAR      the complaint
--   commitment      VARCHAR      the commitment appealed; null: the whole complaint
--   filed_at        TIMESTAMPTZ  when it was filed
--   decided_at      TIMESTAMPTZ  when it was decided (null while pending as of the as-of)
--   decision        VARCHAR      approved | rejected | pending (as of the as-of)
--   decision_raw    VARCHAR      as the export wrote it
--   department      VARCHAR      the complaint's department
--   team            VARCHAR      the complaint's team
--   verdict_status  VARCHAR      the appealed clock's status (commitment_status); null for a whole complaint
--   verdict_month   DATE         the month the verdict falls in (null: the clock is not due yet)
--   window_ends_at  TIMESTAMPTZ  the last instant it may be filed (null: no verdict month yet, or past the calendar)
--   status          VARCHAR      applied | rejected | pending | late | unknown_complaint | unknown_commitment
--   import_id       INTEGER      the import this version is from
--   line_no         BIGINT       its line there
with appeals as (
    select complaint_id, commitment, filed_at,
           case when decided_at < getvariable('as_of') then decided_at end as decided_at,
           case when decided_at < getvariable('as_of') then decision else 'pending' end as decision,
           decision_raw, import_id, line_no
    from appeal_versions
    where filed_at < getvariable('as_of')
    qualify row_number() over (partition by complaint_id, commitment, filed_at order by import_id desc, line_no desc) = 1
),
placed as (
    select a.*, c.department, c.team, c.complaint_id is not null as known_complaint,
           a.commitment is null or a.commitment in (select commitment from policy_commitment) as known_commitment,
           s.status as verdict_status,
           case when a.commitment is null then date_trunc('month', c.received_at::timestamp)::date else s.due_month end as verdict_month
    from appeals a
    left join stg_complaints c using (complaint_id)
    left join commitment_status s on s.complaint_id = a.complaint_id and s.commitment = a.commitment
),
windowed as (
    -- The first of the next month does not count (Civil Code art. 201): the N-th working day after it.
    select p.*, (due.day::timestamp + to_minutes(due.close_minute))::timestamptz as window_ends_at
    from placed p
    left join stg_calendar start_day on start_day.day = (p.verdict_month + interval 1 month)::date
    left join stg_calendar due on due.wd_index = start_day.wd_index + getvariable('appeal_window_wd') and due.is_working
)
select complaint_id, commitment, filed_at, decided_at, decision, decision_raw, department, team,
       verdict_status, verdict_month, window_ends_at,
       case when not known_complaint then 'unknown_complaint'
            when not known_commitment then 'unknown_commitment'
            when filed_at > window_ends_at then 'late'
            when decision = 'approved' then 'applied'
            else decision end as status,
       import_id, line_no
from windowed

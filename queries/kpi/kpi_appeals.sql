-- kpi_appeals: every appeal (申诉) known by the time it can change a month, and what it does to the unit's figures.
-- One row per appeal: complaint, commitment (null: the whole complaint) and filing time, in the
-- version of the latest import that carried it (a pending appeal decided in a later export).
-- Appeals come after the verdict's month has ended, so a month judged at its end would never
-- see one: an appeal counts as known by the close of its verdict's month (stg_month_close,
-- policy reports.close_after), when the month's figures are published, or by the as-of when
-- one is given (--as-of; variable appeals_known_by, infinity otherwise), whichever is earlier.
-- Filed after that it is not known; decided after it, still pending. Its window: it must be filed by
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
--   decided_at      TIMESTAMPTZ  when it was decided (null while pending as of known_by)
--   decision        VARCHAR      approved | rejected | pending (as of known_by)
--   decision_raw    VARCHAR      as the export wrote it
--   department      VARCHAR      the complaint's department
--   team            VARCHAR      the complaint's team
--   verdict_status  VARCHAR      the appealed clock's status (commitment_status); null for a whole complaint
--   verdict_month   DATE         the month the verdict falls in (null: the clock is not due yet)
--   window_ends_at  TIMESTAMPTZ  the last instant it may be filed (null: no verdict month yet, or past the calendar)
--   known_by        TIMESTAMPTZ  what is known of it by this instant counts: the verdict month's close, or the as-of given
--   status          VARCHAR      applied | rejected | pending | late | unknown_complaint | unknown_commitment
--   import_id       INTEGER      the import this version is from
--   line_no         BIGINT       its line there
with appeals as (
    select complaint_id, commitment, filed_at, decided_at, decision, decision_raw, import_id, line_no
    from appeal_versions
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
bounded as (
    -- least() passes over a null: no verdict month (or a close beyond the calendar) leaves the as-of bound.
    select p.*, least(mc.closes_at, getvariable('appeals_known_by')) as known_by
    from placed p
    left join stg_month_close mc on mc.month = p.verdict_month
),
known as (
    -- Filed by then it is known; decided after it, still pending.
    select * exclude (decided_at, decision),
           case when decided_at < known_by then decided_at end as decided_at,
           case when decided_at < known_by then decision else 'pending' end as decision
    from bounded
    where filed_at < known_by
),
windowed as (
    -- The first of the next month does not count (Civil Code art. 201): the N-th working day after it.
    select k.*, (due.day::timestamp + to_minutes(due.close_minute))::timestamptz as window_ends_at
    from known k
    left join stg_calendar start_day on start_day.day = (k.verdict_month + interval 1 month)::date
    left join stg_calendar due on due.wd_index = start_day.wd_index + getvariable('appeal_window_wd') and due.is_working
)
select complaint_id, commitment, filed_at, decided_at, decision, decision_raw, department, team,
       verdict_status, verdict_month, window_ends_at, known_by,
       case when not known_complaint then 'unknown_complaint'
            when not known_commitment then 'unknown_commitment'
            when filed_at > window_ends_at then 'late'
            when decision = 'approved' then 'applied'
            else decision end as status,
       import_id, line_no
from windowed

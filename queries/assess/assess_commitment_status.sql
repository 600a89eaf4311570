-- assess_commitment_status: the status of every commitment of every complaint in
-- the quarter: complaints received in the quarter (all their commitments, also
-- pending and not applicable ones), and every commitment counted in the quarter's
-- KPIs (due in the quarter, whenever the complaint came in).
-- One row per complaint x commitment. No personal data: customer name, phone,
-- ID and e-mail are not selected (the complaint_id leads to the source record).
-- Parameters: $quarter_start DATE, $quarter_end DATE (first day after).
-- Columns: complaint_id, commitment, department, team, handler, first_handler,
--   category, channel, channel_kind, severity, customer_segment, counts_as_valid
--   BOOLEAN, limit_text TEXT, started_at, due_at, done_at TIMESTAMPTZ (policy zone),
--   status TEXT, late_minutes DOUBLE, due_month DATE, data_problem TEXT,
--   calendar_uncovered BOOLEAN, counted_in_quarter BOOLEAN (due in the quarter
--   and judged: the rows behind the quarter's timeliness KPIs).
with in_quarter as (
    select s.*,
           s.due_month >= $quarter_start::date and s.due_month < $quarter_end::date as due_in_quarter,
           s.received_at::timestamp >= $quarter_start::date
             and s.received_at::timestamp < $quarter_end::date as received_in_quarter
    from (select cs.*, c.received_at from commitment_status cs join stg_complaints c using (complaint_id)) s
)
select q.complaint_id, q.commitment, q.department, q.team, q.handler, q.first_handler,
       q.category, q.channel, q.channel_kind, q.severity, q.customer_segment, q.counts_as_valid,
       q.limit_text, q.started_at, q.due_at, q.done_at, q.status, q.late_minutes, q.due_month,
       q.data_problem, q.calendar_uncovered,
       coalesce(q.due_in_quarter, false) and q.status <> 'not_applicable' as counted_in_quarter
from in_quarter q
join policy_commitment p using (commitment)
where q.due_in_quarter or q.received_in_quarter
order by q.complaint_id, p.ord

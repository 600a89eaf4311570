-- story_commitments: every commitment of the complaints whose clock story is written, with its verdict.
-- One row per complaint x commitment that applies, for the complaints named in $ids (the
-- breach lists' rows a page links to), in the policy's commitment order.
-- Parameters:
--   $ids  VARCHAR = ''  the complaint ids, separated by ASCII unit separators (chr(31))
-- Columns:
--   complaint_id         VARCHAR           the complaint
--   commitment           VARCHAR           the commitment (policy key)
--   limit_text           VARCHAR           the limit ("3wd")
--   limit_unit           VARCHAR           m | h | d | wh | wd
--   started_at           TIMESTAMPTZ       when the clock started
--   original_due_at      TIMESTAMPTZ       when it fell due before pauses and extensions
--   due_at               TIMESTAMPTZ       when it fell due
--   done_at              TIMESTAMPTZ       when it was done (null: not by the as-of instant)
--   status               VARCHAR           met | breached | overdue | pending | unknown
--   data_problem         VARCHAR           why it cannot be judged (unknown)
--   paused_minutes       DOUBLE [minutes]  pause time not counted, in the clock's measure
--   extended_by          VARCHAR           the extensions honoured
--   owner_team           VARCHAR           team holding it at the due instant
--   responsible_team     VARCHAR           team a breach is charged to
--   late_clock_minutes   DOUBLE [minutes]  how late in the clock's measure (breached, overdue; breach_clock)
--   working_day_minutes  DOUBLE [minutes]  working minutes in a working day
--   commitment_order     BIGINT            the commitment's place in the policy
with ids as (select unnest(string_split($ids, chr(31))) as complaint_id)
select s.complaint_id, s.commitment, s.limit_text, s.limit_unit, s.started_at, s.original_due_at, s.due_at,
       s.done_at, s.status, s.data_problem, s.paused_minutes, s.extended_by, s.owner_team, s.responsible_team,
       c.late_clock_minutes, getvariable('working_day_seconds') / 60.0 as working_day_minutes, o.ord::bigint as commitment_order
from commitment_status s
join ids using (complaint_id)
left join breach_clock c using (complaint_id, commitment)
left join policy_commitment o using (commitment)   -- ord: the commitment's place in the policy
where s.status <> 'not_applicable'
order by s.complaint_id, o.ord

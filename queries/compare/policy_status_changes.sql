-- policy_status_changes: the complaints whose status for a commitment differs between the
-- policy in force and another one, among those falling due in the month under either.
-- One row per complaint x commitment that changes. Reads whatif_status_current and
-- whatif_status_other, which `--compare-policy` fills from whatif_status.sql.
-- Parameters:
--   $month  MONTH  reporting month (2025-10)
-- Columns:
--   complaint_id    VARCHAR      the complaint
--   commitment      VARCHAR      the commitment (policy key)
--   department      VARCHAR      department owning the complaint
--   current_status  VARCHAR      status under the policy in force (null: no such commitment there)
--   other_status    VARCHAR      status under the other policy (null: no such commitment there)
--   current_limit   VARCHAR      limit applied under the policy in force
--   other_limit     VARCHAR      limit applied under the other policy
--   current_due_at  TIMESTAMPTZ  due instant under the policy in force
--   other_due_at    TIMESTAMPTZ  due instant under the other policy
with both_policies as (
    select coalesce(c.complaint_id, o.complaint_id) as complaint_id,
           coalesce(c.commitment, o.commitment) as commitment,
           coalesce(c.department, o.department) as department,
           c.status as current_status, o.status as other_status,
           c.limit_text as current_limit, o.limit_text as other_limit,
           c.due_at as current_due_at, o.due_at as other_due_at,
           c.due_month as current_due_month, o.due_month as other_due_month
    from whatif_status_current c
    full join whatif_status_other o using (complaint_id, commitment)
)
select complaint_id, commitment, department, current_status, other_status,
       current_limit, other_limit, current_due_at, other_due_at
from both_policies
where current_status is distinct from other_status
  and (current_due_month = $month::date or other_due_month = $month::date)
order by commitment, complaint_id

-- stg_complaints: the current version of every complaint.
-- One row per complaint_id: the version from the latest import that carried it
-- (older versions stay in complaint_versions: history is never overwritten).
-- Columns:
--   *                  every canonical export column of complaint_versions (complaint_id,
--                      channel, department, received_at … archived_at, satisfaction …), plus
--   channel_kind       VARCHAR            online | offline (policy channels) | unknown
--   counts_as_valid    BOOLEAN            is_valid, where an empty value means valid
--   satisfaction_100   DOUBLE [0..100]    satisfaction rescaled by policy satisfaction.scale_max
--   is_satisfied       BOOLEAN            satisfaction >= policy satisfaction.satisfied_at (null when not surveyed)
--   customer_key       VARCHAR            pseudonymous customer: keyed hash (HMAC-SHA256, key kept outside
--                                         the reports) of customer_id, or of the mobile number (last 11
--                                         digits) when there is no id; links a customer's complaints
--                                         without saying who they are
with latest as (
    select *
    from complaint_versions
    qualify row_number() over (partition by complaint_id order by import_id desc, line_no desc) = 1
)
select l.*,
       coalesce(c.channel_kind, 'unknown')                                   as channel_kind,
       coalesce(l.is_valid, true)                                            as counts_as_valid,
       100.0 * l.satisfaction / getvariable('satisfaction_scale_max')       as satisfaction_100,
       l.satisfaction >= getvariable('satisfied_at')                         as is_satisfied,
       pledge_customer_key(coalesce(
           nullif(trim(l.customer_id), ''),
           'tel:' || nullif(right(regexp_replace(l.customer_phone, '[^0-9]', '', 'g'), 11), '')
       ))                                                                    as customer_key
from latest l
left join policy_channel c on c.channel = l.channel

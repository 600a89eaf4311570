-- fast_first_response_by_channel: share of complaints with a first response within the fast line, by channel.
-- One row per channel of the complaints received in the reporting month (local time), most
-- complaints first. The line is the policy's parameters.fast_first_response (wall-clock time,
-- nights and holidays included: it is a customer-experience line, not a commitment clock).
-- As of the as-of instant: a complaint not answered yet counts as not within the line once the
-- line has passed, and is left out while it has not; a first response recorded before receipt
-- is a data problem, counted as unknown and left out of the share.
-- Parameters:
--   $month                MONTH     reporting month (2025-10)
--   $fast_first_response  INTERVAL  the line (from the policy; e.g. 1 hour)
-- Columns:
--   channel        VARCHAR               channel the complaint came in by
--   channel_kind   VARCHAR               online | offline | unknown
--   received       BIGINT [count]        complaints received in the month
--   within_line    BIGINT [count]        first response within the line
--   missed_line    BIGINT [count]        first response later than the line, or none once it passed
--   not_yet        BIGINT [count]        no response yet, line not passed at the as-of instant
--   unknown        BIGINT [count]        first response recorded before receipt
--   share_within   DOUBLE [ratio 0..1]   within_line / (within_line + missed_line); null with none judged
--   line_minutes   DOUBLE [minutes]      the line, in minutes
with received_in_month as (
    select channel, channel_kind, received_at,
           case when first_response_at < getvariable('as_of') then first_response_at end as first_response_at
    from stg_complaints
    where date_trunc('month', received_at::timestamp) = $month::date
      and received_at < getvariable('as_of')
),
judged as (
    select channel, channel_kind,
           case
               when first_response_at < received_at then 'unknown'
               when first_response_at <= received_at + $fast_first_response then 'within'
               when first_response_at is not null then 'missed'
               when received_at + $fast_first_response < getvariable('as_of') then 'missed'
               else 'not_yet'
           end as verdict
    from received_in_month
),
counted as (
    select channel, channel_kind,
           count(*)                                    as received,
           count(*) filter (where verdict = 'within')  as within_line,
           count(*) filter (where verdict = 'missed')  as missed_line,
           count(*) filter (where verdict = 'not_yet') as not_yet,
           count(*) filter (where verdict = 'unknown') as unknown
    from judged
    group by all
)
select channel, channel_kind, received, within_line, missed_line, not_yet, unknown,
       within_line / nullif(within_line + missed_line, 0) as share_within,
       epoch($fast_first_response) / 60 as line_minutes
from counted
order by received desc, channel

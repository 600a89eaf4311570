-- kpi_parity_monthly: the service KPIs per month for each channel kind and each special customer segment.
-- One row per month x dimension x group x KPI (those in policy parity.kpis), so
-- equal service can be compared (seed 001): channel kinds online, offline; the
-- segments named in policy parity.segments plus 'others' (every customer in none
-- of them). Same rules as kpi_timeliness/resolution/satisfaction_monthly.
-- Columns:
--   month        DATE                  first day of the month
--   dimension    VARCHAR               channel_kind | segment
--   grp          VARCHAR               online | offline | unknown, or a segment name | others
--   kpi          VARCHAR               KPI name (timeliness, timeliness:<commitment>, resolution_rate, …)
--   numerator    DOUBLE [count]        what the rate counts (met, resolved, satisfied, surveyed)
--   denominator  DOUBLE [count]        what it is counted over
--   actual       DOUBLE [ratio 0..1]   numerator / denominator; null with a zero denominator
with grouped_commitments as (
    -- commitment_status carries each complaint's channel kind and segment: no join back to complaints.
    select s.due_month as month, s.channel_kind,
           case when s.customer_segment in (select segment from policy_parity_segment) then s.customer_segment
                else 'others' end as segment,
           s.commitment, s.status, s.done_at, s.counts_as_valid
    from commitment_status s
    where s.due_month is not null and s.status <> 'not_applicable'
),
by_group as (
    select 'channel_kind' as dimension, channel_kind as grp, * exclude (channel_kind, segment) from grouped_commitments
    union all
    select 'segment', segment, * exclude (channel_kind, segment) from grouped_commitments
),
timeliness as (
    select month, dimension, grp, coalesce('timeliness:' || commitment, 'timeliness') as kpi,
           count(*) filter (where status = 'met') as numerator,
           count(*) filter (where status in ('met', 'breached', 'overdue')) as denominator
    from by_group
    group by grouping sets ((month, dimension, grp), (month, dimension, grp, commitment))
),
resolution as (
    select month, dimension, grp, 'resolution_rate' as kpi,
           count(*) filter (where done_at is not null) as numerator, count(*) as denominator
    from by_group
    where commitment = getvariable('resolution_commitment')
      and (counts_as_valid or not getvariable('resolution_exclude_invalid'))
    group by all
),
feedback_cohort as (
    select date_trunc('month', c.feedback_at::timestamp)::date as month, c.channel_kind,
           case when c.customer_segment in (select segment from policy_parity_segment) then c.customer_segment
                else 'others' end as segment,
           c.survey_at <= getvariable('as_of') and c.satisfaction is not null as surveyed, c.is_satisfied
    from stg_complaints c
    where c.feedback_at <= getvariable('as_of')
),
feedback_by_group as (
    select month, 'channel_kind' as dimension, channel_kind as grp, surveyed, is_satisfied from feedback_cohort
    union all
    select month, 'segment', segment, surveyed, is_satisfied from feedback_cohort
),
satisfaction as (
    select month, dimension, grp, 'satisfaction_rate' as kpi,
           count(*) filter (where surveyed and is_satisfied) as numerator, count(*) filter (where surveyed) as denominator
    from feedback_by_group
    group by all
    union all
    select month, dimension, grp, 'survey_coverage', count(*) filter (where surveyed), count(*)
    from feedback_by_group
    group by all
),
all_kpis as (
    select * from timeliness union all select * from resolution union all select * from satisfaction
)
select month, dimension, grp, kpi, numerator::double as numerator, denominator::double as denominator,
       numerator / nullif(denominator, 0) as actual
from all_kpis
where kpi in (select kpi from policy_parity_kpi)

-- kpi_parity_monthly: the service KPIs per month for each channel kind and each special customer segment.
-- One row per month x dimension x group x KPI (those in policy parity.kpis), so
-- equal service can be compared (seed 001): channel kinds online, offline (and unknown,
-- a channel the policy does not list); the segments named in policy parity.segments plus
-- 'others' (every customer in none of them). The counts are sums of kpi_fact_monthly, the
-- same facts the organisation's figures are summed from, so the groups of a dimension add
-- up to the organisation (queries/tests/kpi_groups_add_up.sql checks it). Score sums are added
-- as DECIMAL(38,12), exactly: the same data give the same digits in any order of addition.
-- Columns:
--   month        DATE                  first day of the month
--   dimension    VARCHAR               channel_kind | segment
--   grp          VARCHAR               online | offline | unknown, or a segment name | others
--   kpi          VARCHAR               KPI name (timeliness, timeliness:<commitment>, resolution_rate, …)
--   numerator    DOUBLE [count]        what the rate counts (met, resolved, satisfied, surveyed)
--   denominator  DOUBLE [count]        what it is counted over
--   actual       DOUBLE [ratio 0..1]   numerator / denominator; null with a zero denominator
--                                      (satisfaction_mean: the mean score, points 0..100)
with split as (
    select month, 'channel_kind' as dimension, channel_kind as grp, kpi, numerator, denominator, score_sum from kpi_fact_monthly
    union all
    select month, 'segment', segment, kpi, numerator, denominator, score_sum from kpi_fact_monthly
),
grouped as (
    select month, dimension, grp, kpi, sum(numerator) as numerator, sum(denominator) as denominator, sum(score_sum::decimal(38, 12))::double as score_sum
    from split
    group by all
    union all
    -- timeliness over every commitment: the commitments' counts added up.
    select month, dimension, grp, 'timeliness', sum(numerator), sum(denominator), null
    from split
    where kpi like 'timeliness:%'
    group by all
)
select month, dimension, grp, kpi, numerator::double as numerator, denominator::double as denominator,
       case when kpi = 'satisfaction_mean' then score_sum / nullif(denominator, 0)
            else numerator / nullif(denominator, 0) end as actual
from grouped
where kpi in (select kpi from policy_parity_kpi)

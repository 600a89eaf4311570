-- unit_ranking: every department or team of the month by composite score: the index of the review pages.
-- One row per unit of the level, best first.
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
-- Columns:
--   unit           VARCHAR                  department or team name
--   department     VARCHAR                  its department
--   composite      DOUBLE [points 0..100]   weighted score
--   rank           BIGINT                   1 = best
--   units_ranked   BIGINT [count]           units of the level ranked
--   org_composite  DOUBLE [points 0..100]   the organisation's score
--   kpis_missed    BIGINT [count]           KPIs of the unit's scorecard below target: the red rows of its
--                  review page (unit_scorecard.sql), so the reader can count them there
--   kpis_unjudged  BIGINT [count]           KPIs of the scorecard that cannot be judged (too much unknown):
--                  neither met nor missed
--   kpis_total     BIGINT [count]           KPIs on the unit's scorecard (what the two counts are out of)
--   breaches       BIGINT [count]           breached + overdue commitments due in the month
with missed as (
    -- Every KPI the review page's scorecard lists (the same rows as unit_scorecard.sql): a count of
    -- five headline KPIs read "3" beside a page showing 11 red.
    select unit, count(*) filter (where on_target = false) as kpis_missed,
           count(*) filter (where judgeable = false) as kpis_unjudged,
           count(*) as kpis_total
    from kpi_unit_monthly
    join policy_target using (kpi)
    where month = $month::date and level = $level
    group by unit
),
breaches as (
    select unit, denominator - numerator as breaches
    from kpi_unit_monthly
    where month = $month::date and level = $level and kpi = 'timeliness'
)
select c.unit, c.department, c.composite, c.rank, c.units_ranked, c.org_composite,
       coalesce(m.kpis_missed, 0) as kpis_missed, coalesce(m.kpis_unjudged, 0) as kpis_unjudged,
       coalesce(m.kpis_total, 0) as kpis_total,
       coalesce(b.breaches, 0)::bigint as breaches
from kpi_composite_monthly c
left join missed m using (unit)
left join breaches b using (unit)
where c.month = $month::date and c.level = $level
order by c.rank, c.unit

-- unit_ranking: every department or team of the month by composite score, with
-- how many headline KPIs it missed: the index of the performance-review pages.
-- Parameters: $month DATE, $level TEXT (department | team)
-- Columns: unit TEXT, department TEXT, composite DOUBLE (0..100), rank BIGINT,
--   units_ranked BIGINT, org_composite DOUBLE, kpis_missed BIGINT (headline KPIs
--   below target), breaches BIGINT (breached + overdue commitments due in the month)
with missed as (
    select unit, count(*) filter (where on_target = false) as kpis_missed
    from kpi_unit_monthly
    where month = $month::date and level = $level
      and kpi in ('timeliness', 'resolution_rate', 'satisfaction_rate', 'survey_coverage', 'reopen_rate')
    group by unit
),
breaches as (
    select unit, denominator - numerator as breaches
    from kpi_unit_monthly
    where month = $month::date and level = $level and kpi = 'timeliness'
)
select c.unit, c.department, c.composite, c.rank, c.units_ranked, c.org_composite,
       coalesce(m.kpis_missed, 0) as kpis_missed, coalesce(b.breaches, 0)::bigint as breaches
from kpi_composite_monthly c
left join missed m using (unit)
left join breaches b using (unit)
where c.month = $month::date and c.level = $level
order by c.rank, c.unit

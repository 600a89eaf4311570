-- assess_appeal_effects: every figure of the quarter an approved appeal changed, without and with the appeals.
-- One row per period (each month of the quarter, and the quarter) x level (organisation,
-- department, team) x unit x KPI whose counts differ between the figure with no appeal applied
-- and the figure as reported (kpi_unit_monthly, every applied appeal taken out). The figure
-- with no appeal applied is assess_unit_monthly_unappealed: kpi_unit_monthly worked out again by
-- the pack's own kpi_fact_monthly.sql and kpi_unit_monthly.sql with every appeal read as not
-- applied (src/apps/assess/unappealed.ts makes it before the evidence is written), so each
-- KPI's rule is the one written in kpi_fact_monthly, not a second copy of it. A quarter's counts
-- add up its months' (as assess_kpi). `appeals` names the applied appeals that can have changed
-- the figure: of the unit's complaints (every one for the organisation), a commitment's in the
-- month its clock fell due and for the KPIs it counts in (timeliness, its own timeliness and,
-- for the resolution commitment, the resolution and reopen rates), a whole complaint's for any
-- KPI and month; with several, the change is theirs together. It is empty only for a return
-- rate of a team that held another unit's complaint.
-- Parameters:
--   $quarter_start  DATE  first day of the quarter
--   $quarter_end    DATE  first day after the quarter
-- Columns:
--   period                  VARCHAR             month ('2025-10') or quarter ('2025Q4')
--   period_kind             VARCHAR             month | quarter
--   period_start            DATE                first day of the period
--   level                   VARCHAR             organisation | department | team
--   department              VARCHAR             the department (empty for the organisation)
--   team                    VARCHAR             the team (empty above team level)
--   unit                    VARCHAR             department or team name (empty for the organisation)
--   kpi                     VARCHAR             the KPI (timeliness, timeliness:<commitment>, resolution_rate, …)
--   numerator_unappealed    DOUBLE [count]      what the rate counts with no appeal applied (score sum for satisfaction_mean)
--   denominator_unappealed  DOUBLE [count]      what it is counted over with no appeal applied
--   actual_unappealed       DOUBLE [ratio 0..1] the value with no appeal applied (0..100 for satisfaction_mean)
--   numerator               DOUBLE [count]      as reported, the applied appeals taken out
--   denominator             DOUBLE [count]      as reported
--   actual                  DOUBLE [ratio 0..1] as reported
--   appeals                 VARCHAR             the applied appeals behind the change: complaint:commitment,
--                                               or the complaint alone for a whole complaint; '; ' between them
--   appeals_counted         BIGINT [count]      how many appeals `appeals` names
with figures as (
    select 'reported' as source, month, level, department, team, unit, kpi, denominator,
           case when kpi = 'satisfaction_mean' then actual * denominator else numerator end as numerator
    from kpi_unit_monthly
    where month >= $quarter_start::date and month < $quarter_end::date
    union all
    select 'unappealed', month, level, department, team, unit, kpi, denominator,
           case when kpi = 'satisfaction_mean' then actual * denominator else numerator end
    from assess_unit_monthly_unappealed
    where month >= $quarter_start::date and month < $quarter_end::date
),
monthly as (
    select strftime(month, '%Y-%m') as period, 'month' as period_kind, month as period_start, level, department, team, unit, kpi,
           sum(numerator) filter (where source = 'unappealed') as numerator_unappealed,
           sum(denominator) filter (where source = 'unappealed') as denominator_unappealed,
           sum(numerator) filter (where source = 'reported') as numerator,
           sum(denominator) filter (where source = 'reported') as denominator
    from figures
    group by all
),
quarterly as (
    select year($quarter_start::date) || 'Q' || quarter($quarter_start::date), 'quarter', $quarter_start::date,
           level, department, team, unit, kpi,
           sum(numerator_unappealed), sum(denominator_unappealed), sum(numerator), sum(denominator)
    from monthly
    group by all
),
changed as (
    select * from (from monthly union all from quarterly)
    where numerator is distinct from numerator_unappealed or denominator is distinct from denominator_unappealed
),
applied as (
    select complaint_id, commitment, department, team, verdict_month from kpi_appeals where status = 'applied'
),
named as (
    select c.period, c.period_kind, c.period_start, c.level, c.department, c.team, c.unit, c.kpi,
           string_agg(a.complaint_id || coalesce(':' || a.commitment, ''), '; ' order by a.complaint_id, a.commitment nulls first) as appeals,
           count(a.complaint_id) as appeals_counted
    from changed c
    left join applied a
      on (c.level = 'organisation' or (a.department = c.department and (c.level = 'department' or a.team = c.team)))
     and (a.commitment is null
          or ((c.kpi in ('timeliness', 'timeliness:' || a.commitment)
               or (a.commitment = getvariable('resolution_commitment') and c.kpi in ('resolution_rate', 'reopen_rate')))
              and (a.verdict_month = c.period_start
                   or (c.period_kind = 'quarter' and a.verdict_month >= $quarter_start::date and a.verdict_month < $quarter_end::date))))
    group by all
)
select c.period, c.period_kind, c.period_start, c.level, c.department, c.team, c.unit, c.kpi,
       c.numerator_unappealed::double as numerator_unappealed, c.denominator_unappealed::double as denominator_unappealed,
       c.numerator_unappealed / nullif(c.denominator_unappealed, 0) as actual_unappealed,
       c.numerator::double as numerator, c.denominator::double as denominator,
       c.numerator / nullif(c.denominator, 0) as actual,
       n.appeals, n.appeals_counted
from changed c
join named n on n.period = c.period and n.level = c.level and n.kpi = c.kpi
            and n.department is not distinct from c.department and n.team is not distinct from c.team
order by c.period_kind, c.period_start,
         case c.level when 'organisation' then 0 when 'department' then 1 else 2 end, c.department nulls first, c.team nulls first, c.kpi

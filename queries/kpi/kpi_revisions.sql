-- kpi_revisions: published figures that this session's recomputation reads differently, and why.
-- One row per closed month x level x unit x KPI whose counts or value, recomputed now,
-- differ from the published ones (kpi_published_monthly), or whose unit is gone; months
-- published as of a later instant than this session's are left out (not ended yet here). The
-- published figure stands and is what months are compared with; this says how it would
-- read today. Why, in reason, every cause that applies: "policy changed" (the policy file's
-- text differs from the one in force at the close), "data added after close (N imports)"
-- (imports loaded after the close's last one), "recomputed at another as-of" (this session
-- judges the month at a later or earlier instant than its end: clocks have moved on since,
-- not a revision of the month as published; like_for_like is false).
-- Columns:
--   month               DATE                  first day of the closed month
--   level               VARCHAR               organisation | department | team
--   department          VARCHAR               the department (null for the organisation)
--   team                VARCHAR               the team (null above team level)
--   unit                VARCHAR               department or team name (null for the organisation)
--   kpi                 VARCHAR               KPI name
--   published_actual    DOUBLE [ratio 0..1]   the value published at the close (satisfaction_mean: points)
--   recomputed_actual   DOUBLE [same unit]    the value recomputed in this session (null: unit gone)
--   difference          DOUBLE [same unit]    recomputed_actual - published_actual
--   published_numerator    DOUBLE [count]     the published counts
--   published_denominator  DOUBLE [count]     ...
--   recomputed_numerator   DOUBLE [count]     the recomputed counts
--   recomputed_denominator DOUBLE [count]     ...
--   published_as_of     TIMESTAMPTZ           the instant the published figure was computed at
--   recomputed_as_of    TIMESTAMPTZ           this session's as-of
--   like_for_like       BOOLEAN               both at the same as-of: a revision of the month as published
--   policy_changed      BOOLEAN               the policy text differs from the close's
--   imports_after_close BIGINT [count]        imports loaded after the close's last one
--   closed_at           TIMESTAMPTZ           when the published figure was closed
--   reason              VARCHAR               the causes above, joined by "; " (none of them: the SQL or
--                                             Pledge changed since the close)
with recomputed as (
    select month, level, department, team, kpi, numerator, denominator, actual
    from kpi_unit_monthly
    where month in (select month from kpi_published_monthly)
),
compared as (
    select p.month, p.level, p.department, p.team, p.unit, p.kpi,
           p.actual as published_actual, r.actual as recomputed_actual, r.actual - p.actual as difference,
           p.numerator as published_numerator, p.denominator as published_denominator,
           r.numerator as recomputed_numerator, r.denominator as recomputed_denominator,
           p.as_of as published_as_of, getvariable('as_of') as recomputed_as_of,
           p.as_of = getvariable('as_of') as like_for_like,
           p.policy_sha256 <> getvariable('policy_sha256') as policy_changed,
           (select count(*) from imports i where i.import_id > coalesce(p.last_import_id, 0)) as imports_after_close,
           p.closed_at,
           -- Counts are exact; a value is compared to 1e-9 (a sum of scores may be added up in another order).
           r.kpi is null
             or r.numerator is distinct from p.numerator or r.denominator is distinct from p.denominator
             or (r.actual is null) <> (p.actual is null) or abs(r.actual - p.actual) > 1e-9 as differs
    from kpi_published_monthly p
    left join recomputed r on r.month = p.month and r.level = p.level and r.kpi = p.kpi
                          and r.department is not distinct from p.department and r.team is not distinct from p.team
)
select month, level, department, team, unit, kpi, published_actual, recomputed_actual, difference,
       published_numerator, published_denominator, recomputed_numerator, recomputed_denominator,
       published_as_of, recomputed_as_of, like_for_like, policy_changed, imports_after_close, closed_at,
       coalesce(nullif(concat_ws('; ',
           case when policy_changed then 'policy changed' end,
           case when imports_after_close > 0 then 'data added after close (' || imports_after_close
                || case when imports_after_close = 1 then ' import)' else ' imports)' end end,
           case when not like_for_like then 'recomputed at another as-of (' || strftime(recomputed_as_of, '%Y-%m-%d %H:%M')
                || ', published as of ' || strftime(published_as_of, '%Y-%m-%d %H:%M') || ')' end), ''),
           'the queries or Pledge changed since the close') as reason
from compared
where differs
  -- A month judged before its end (an as-of earlier than the published one) is not revised by it.
  and published_as_of <= recomputed_as_of

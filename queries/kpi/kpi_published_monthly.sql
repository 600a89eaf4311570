-- kpi_published_monthly: the figures of closed months, as they were published.
-- One row per closed month x level x unit x KPI, from the month's latest close (pledge
-- close; a --reclose supersedes the earlier close, which stays in published_kpi as history).
-- The figures were computed at the month's own as-of (its end) with the data and policy of
-- the close, and are never recomputed: a later recomputation that reads differently is a
-- revision (kpi_revisions).
-- Columns:
--   month           DATE                  first day of the closed month
--   level           VARCHAR               organisation | department | team
--   department      VARCHAR               the department (null for the organisation)
--   team            VARCHAR               the team (null above team level)
--   unit            VARCHAR               department or team name (null for the organisation)
--   kpi             VARCHAR               KPI name
--   numerator       DOUBLE [count]        what the rate counted (null for satisfaction_mean)
--   denominator     DOUBLE [count]        what it was counted over
--   actual          DOUBLE [ratio 0..1]   the published value (satisfaction_mean: points 0..100)
--   unknown         DOUBLE [count]        what could not be judged at the close
--   judged_share    DOUBLE [ratio 0..1]   denominator / (denominator + unknown)
--   on_target       BOOLEAN               the verdict as published; null: it could not be judged
--   as_of           TIMESTAMPTZ           the instant it was computed at (the end of the month)
--   closed_at       TIMESTAMPTZ           when the close was made
--   close_no        INTEGER               1 for the first close, more after --reclose
--   close_reason    VARCHAR               pledge close | settled (…) | --reclose: …
--   policy_file     VARCHAR               the policy file in force at the close
--   policy_sha256   VARCHAR               SHA-256 of its text
--   last_import_id  INTEGER               the latest import the figures saw
--   pledge_version  VARCHAR               the Pledge that computed them
with latest as (
    select month, max(close_no) as close_no from published_kpi group by month
)
select p.month, p.level, p.department, p.team, p.unit, p.kpi, p.numerator, p.denominator, p.actual,
       p.unknown, p.judged_share, p.on_target, p.as_of, p.closed_at, p.close_no, p.close_reason, p.policy_file, p.policy_sha256, p.last_import_id, p.pledge_version
from published_kpi p
join latest l using (month, close_no)

-- revisions: published figures of a closed month that read differently recomputed at the same as-of.
-- One row per level x unit x KPI of the month whose figure, recomputed at the instant it was
-- published at (the month's end), differs from the published one (kpi_revisions, like for
-- like only: a difference that is only the clocks having moved on since is not a revision).
-- Organisation first, then departments and teams; in the tiles' KPI order.
-- Parameters:
--   $month  MONTH  the closed month (2025-10 or 2025-10-01)
-- Columns:
--   month              DATE                  first day of the month
--   level              VARCHAR               organisation | department | team
--   unit               VARCHAR               department or team (null for the organisation)
--   kpi                VARCHAR               KPI name
--   published_actual   DOUBLE [ratio 0..1]   as published (satisfaction_mean: points)
--   recomputed_actual  DOUBLE [same unit]    as recomputed now (null: the unit is gone)
--   difference         DOUBLE [same unit]    recomputed_actual - published_actual
--   reason             VARCHAR               why: policy changed, data added after close, …
--   closed_at          TIMESTAMPTZ           when the published figure was closed
select r.month, r.level, r.unit, r.kpi, r.published_actual, r.recomputed_actual, r.difference, r.reason, r.closed_at
from kpi_revisions r
left join policy_target t using (kpi)
where r.month = $month::date and r.like_for_like
order by case r.level when 'organisation' then 1 when 'department' then 2 else 3 end, t.kpi_order nulls last, r.kpi, r.unit

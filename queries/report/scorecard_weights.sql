-- scorecard_weights: the weights of the composite score (policy scorecard.weights).
-- One row per weighted KPI, heaviest first.
-- Columns:
--   kpi     VARCHAR               KPI name
--   weight  DOUBLE                as written in the policy
--   share   DOUBLE [ratio 0..1]   weight / the sum of the weights
select kpi, weight, share from policy_scorecard_weight order by share desc, kpi

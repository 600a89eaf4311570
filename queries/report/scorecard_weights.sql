-- scorecard_weights: the weights of the composite score (policy scorecard.weights).
-- Columns: kpi TEXT, weight DOUBLE (as written), share DOUBLE (0..1 of the total)
select kpi, weight, share from policy_scorecard_weight order by share desc, kpi

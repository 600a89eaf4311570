-- assess_sample: the spot-check sample (抽查), stratified and drawn from a stated seed.
-- One row per complaint drawn, for an assessor to check against the source
-- record. Population: every complaint with at least one commitment counted in
-- the quarter (due in the quarter and applicable). Its outcome is the worst of
-- those: breached (any breached or overdue), else unknown (any data problem),
-- else pending, else met. Strata: the combination of the columns named in
-- $strata (policy assessment.sample.strata). Allocation: each stratum gets its
-- proportional share of $sample_size (population x size / total, rounded down,
-- the units left over going to the largest remainders, ties by stratum name), at
-- least $min_per_stratum, never more than it holds. Draw: within a stratum,
-- complaints in order of the SHA-256 (hex) of '<seed>:<complaint_id>', the first
-- `allocated` of them: the same seed and inputs always draw the same sample, and
-- anyone can redraw it with any SHA-256 tool. No personal data.
-- Parameters:
--   $quarter_start    DATE     first day of the quarter
--   $quarter_end      DATE     first day after the quarter
--   $seed             BIGINT   the seed (policy assessment.sample.seed or --seed)
--   $sample_size      INTEGER  complaints to draw (policy assessment.sample.size)
--   $min_per_stratum  INTEGER  at least this many per non-empty stratum
--   $strata           VARCHAR  comma-separated: department, outcome, severity, channel_kind
-- Columns:
--   stratum             VARCHAR             the stratum's values joined by ' | '
--   stratum_population  BIGINT [count]      complaints in the stratum
--   stratum_allocated   BIGINT [count]      complaints drawn from it
--   draw_rank           BIGINT              1 = first drawn in its stratum
--   draw_key            VARCHAR             sha256('<seed>:<complaint_id>')
--   complaint_id        VARCHAR             the complaint
--   department          VARCHAR             department owning it
--   outcome             VARCHAR             breached | unknown | pending | met
--   severity            VARCHAR             general | major | urgent
--   channel             VARCHAR             channel it came in by
--   channel_kind        VARCHAR             online | offline | unknown
--   category            VARCHAR             complaint category
--   team                VARCHAR             team owning it
--   handler             VARCHAR             person handling it
--   first_handler       VARCHAR             first person to take it
--   received_at         TIMESTAMPTZ         stage times as recorded in the export
--   registered_at       TIMESTAMPTZ
--   first_response_at   TIMESTAMPTZ
--   escalated_at        TIMESTAMPTZ
--   plan_at             TIMESTAMPTZ
--   resolved_at         TIMESTAMPTZ
--   feedback_at         TIMESTAMPTZ
--   survey_at           TIMESTAMPTZ
--   satisfaction        DOUBLE              score on the policy's scale
--   archived_at         TIMESTAMPTZ
--   statuses            VARCHAR             every commitment: its status as of the as-of instant
with counted as (
    select complaint_id, department, status
    from commitment_status
    where due_month >= $quarter_start::date and due_month < $quarter_end::date
      and status <> 'not_applicable'
),
population as (
    select complaint_id, any_value(department) as department,
           case when bool_or(status in ('breached', 'overdue')) then 'breached'
                when bool_or(status = 'unknown') then 'unknown'
                when bool_or(status = 'pending') then 'pending'
                else 'met' end as outcome
    from counted
    group by complaint_id
),
chosen_strata as (
    select string_split($strata, ',') as columns
),
stratified as (
    select p.complaint_id, p.department, p.outcome, c.severity, c.channel, c.channel_kind,
           concat_ws(' | ',
               case when list_contains(s.columns, 'department')   then coalesce(p.department, '(none)') end,
               case when list_contains(s.columns, 'outcome')      then p.outcome end,
               case when list_contains(s.columns, 'severity')     then coalesce(c.severity, '(none)') end,
               case when list_contains(s.columns, 'channel_kind') then c.channel_kind end) as stratum,
           sha256($seed::bigint::varchar || ':' || p.complaint_id) as draw_key
    from population p
    join stg_complaints c using (complaint_id)
    cross join chosen_strata s
),
strata as (
    select stratum, count(*) as population from stratified group by stratum
),
proportional_share as (
    select stratum, population,
           $sample_size::int * population / sum(population) over () as exact_share
    from strata
),
rounded_down as (
    select *, floor(exact_share)::bigint as base,
           row_number() over (order by exact_share - floor(exact_share) desc, stratum) as remainder_rank
    from proportional_share
),
allocation as (
    select stratum, population,
           least(population, greatest($min_per_stratum::int,
                 base + case when remainder_rank <= $sample_size::int - sum(base) over () then 1 else 0 end)) as allocated
    from rounded_down
),
drawn as (
    select s.*, a.population as stratum_population, a.allocated as stratum_allocated,
           row_number() over (partition by s.stratum order by s.draw_key, s.complaint_id) as draw_rank
    from stratified s
    join allocation a using (stratum)
),
statuses as (
    select cs.complaint_id, string_agg(cs.commitment || ': ' || cs.status, '; ' order by p.ord) as statuses
    from commitment_status cs
    join policy_commitment p using (commitment)
    where cs.complaint_id in (select complaint_id from drawn where draw_rank <= stratum_allocated)
    group by cs.complaint_id
)
select d.stratum, d.stratum_population, d.stratum_allocated, d.draw_rank, d.draw_key,
       d.complaint_id, d.department, d.outcome, d.severity, d.channel, d.channel_kind,
       c.* exclude (complaint_id),
       st.statuses
from drawn d
-- Every stage time (the *_at columns, policy_stage) with the satisfaction score, in export order.
join (select complaint_id, category, team, handler, first_handler,
             columns(x -> regexp_matches(x, '_at$') or x = 'satisfaction')
      from stg_complaints) c using (complaint_id)
left join statuses st using (complaint_id)
where d.draw_rank <= d.stratum_allocated
order by d.stratum, d.draw_rank

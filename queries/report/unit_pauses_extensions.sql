-- unit_pauses_extensions: a department's or team's pauses and extensions in the month, from the flow log.
-- One row. Counted per commitment clock the event touched (a pause of a complaint stops
-- each of its pausable clocks), by the event's local month; the unit is the complaint's
-- department or team in the export. Extensions approved after the due instant or beyond
-- the policy's caps were ignored for the status (see event_findings).
-- Parameters:
--   $month  MONTH  reporting month (2025-10 or 2025-10-01)
--   $level  VARCHAR = department  department | team
--   $unit   VARCHAR = ''          the department's or the team's name
-- Columns:
--   clocks_paused         BIGINT [count]   commitment clocks a pause moved
--   paused_hours          DOUBLE [hours]   the time those pauses took off, in each clock's own measure
--   clocks_extended       BIGINT [count]   commitment clocks an extension moved
--   extensions_after_due  BIGINT [count]   extensions approved after the due instant had passed
--   extensions_over_cap   BIGINT [count]   extensions beyond the policy's caps
with unit_steps as (
    select a.kind, a.decision, a.moved_seconds
    from int_clock_adjustment a
    join stg_complaints c using (complaint_id)
    where a.kind in ('pause', 'extension')
      and date_trunc('month', a.event_at::timestamp)::date = $month::date
      and (case $level when 'team' then c.team else c.department end) = $unit
)
select count(*) filter (where kind = 'pause' and decision = 'applied')                          as clocks_paused,
       coalesce(round(sum(moved_seconds) filter (where kind = 'pause' and decision = 'applied') / 3600, 1), 0)::double as paused_hours,
       count(*) filter (where kind = 'extension' and decision = 'applied')                      as clocks_extended,
       count(*) filter (where kind = 'extension' and decision = 'after_due')                    as extensions_after_due,
       count(*) filter (where kind = 'extension' and decision = 'over_cap')                     as extensions_over_cap
from unit_steps

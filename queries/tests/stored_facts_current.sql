-- stored_facts_current: the clock facts in force were computed from this policy, calendar, key and SQL.
-- A row is a problem with the stored facts (queries/facts/): their latest build's fingerprint
-- is not that of what the session loaded (run pledge build), they miss imports, a stored
-- complaint is also worked out live, or a stored clock has no stored complaint.
-- Columns:
--   problem  VARCHAR  what is wrong
--   detail   VARCHAR  the fingerprint, import or complaint concerned
with latest as (
    select * from main.fact_build order by built_at desc limit 1
)
select 'built from something else' as problem, fingerprint as detail from latest
where fingerprint <> getvariable('facts_fingerprint')
union all
select 'imports after the last build', max(import_id)::varchar from imports
having max(import_id) > (select last_import_id from latest)
union all
select 'stored and live', complaint_id from main.fact_complaint
where complaint_id in (select complaint_id from stg_complaints except all select complaint_id from main.fact_complaint)
union all
select 'clock without its complaint', complaint_id from main.fact_clock
where complaint_id not in (select complaint_id from main.fact_complaint)

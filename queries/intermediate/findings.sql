-- findings: what the exports themselves give away: contradictions and signs of tampering.
-- One row per finding, by category, complaint, field and import.
-- data_quality: the current version of a complaint contradicts itself (a stage before
-- received_at, feedback before resolution, a survey before feedback, a time later than
-- the export it came in was made). It loads, but every clock on that stage is unknown.
-- tamper: between two versions of a complaint (two imports, in import order) a stage time
-- moved earlier or was erased, the severity was lowered (policy severities order), or the
-- complaint is missing from a later full export (禁止篡改、隐瞒或销毁投诉记录).
-- Columns:
--   category       VARCHAR   data_quality | tamper
--   finding        VARCHAR   what was found ("resolved_at moved earlier", "severity lowered" …)
--   complaint_id   VARCHAR   the complaint
--   field          VARCHAR   the column concerned (complaint_id for a missing record)
--   old_value      VARCHAR   the earlier version's value (times local to the policy zone); null for data_quality
--   new_value      VARCHAR   the later (or current) version's value; null when erased or missing
--   old_file       VARCHAR   file of the earlier version
--   new_file       VARCHAR   file of the later version (the one that raised the finding)
--   old_import_id  INTEGER   import of the earlier version
--   new_import_id  INTEGER   import that raised the finding
with stage_times as (
    -- One row per complaint version x recorded stage time (every *_at column is a stage).
    unpivot (select complaint_id, import_id, line_no, received_at as received, columns('_at$') from complaint_versions)
    on columns(c -> regexp_matches(c, '_at$')) into name field value stage_at
),
current_stage_times as (
    select s.* from stage_times s
    semi join stg_complaints c using (complaint_id, import_id, line_no)
),
receipt as (
    -- The first stage, which every other stage follows.
    select stage from policy_stage where position = 1
),
before_receipt as (
    select s.complaint_id, s.import_id, s.field, s.stage_at, s.field || ' before ' || r.stage as finding
    from current_stage_times s
    cross join receipt r
    where s.field <> r.stage and s.stage_at < s.received
),
before_followed as (
    -- A stage before the stage it follows (policy_stage.follows, as stg_complaint_stage has it:
    -- filled from the flow log where the export left it empty); one before receipt is that finding only.
    select s.complaint_id, s.import_id, s.field, s.stage_at, s.field || ' before ' || p.follows as finding
    from current_stage_times s
    join policy_stage p on p.stage = s.field and p.follows is not null
    join stg_complaint_stage f on f.complaint_id = s.complaint_id and f.stage = p.follows
    where s.stage_at < f.instant and not coalesce(s.stage_at < s.received, false)
),
after_export as (
    select s.complaint_id, s.import_id, s.field, s.stage_at, s.field || ' after the export was made' as finding
    from current_stage_times s
    join imports i using (import_id)
    where s.stage_at > i.exported_at
),
data_quality as (
    select 'data_quality' as category, finding, complaint_id, field,
           null as old_value, strftime(stage_at, '%Y-%m-%d %H:%M:%S') as new_value,
           null::integer as old_import_id, import_id as new_import_id
    from (from before_receipt union all from before_followed)
    union all
    select 'data_quality', finding, complaint_id, field, null, strftime(stage_at, '%Y-%m-%d %H:%M:%S'), null, import_id
    from after_export
),
versions as (
    -- Each version's stage times as one list in policy_stage order (the *_at columns are the
    -- stages in that order), compared position by position below.
    select complaint_id, import_id, line_no, severity, [*columns('_at$')] as stage_times,
           lag(import_id) over w as prev_import_id,
           row_number() over w as version_no
    from complaint_versions v
    window w as (partition by complaint_id order by import_id, line_no)
),
version_pairs as (
    select n.complaint_id, n.prev_import_id as old_import_id, n.import_id as new_import_id,
           o.stage_times as old_times, n.stage_times as new_times, o.severity as o_severity, n.severity
    from versions n
    join versions o on o.complaint_id = n.complaint_id and o.version_no = n.version_no - 1
    where n.prev_import_id <> n.import_id
),
time_changes as (
    -- A stage time the earlier version had that the later one erased or moved earlier.
    select p.complaint_id, p.old_import_id, p.new_import_id, s.stage as field,
           p.old_times[s.position] as old_at, p.new_times[s.position] as new_at
    from version_pairs p
    cross join policy_stage s
    where old_at is not null and (new_at is null or new_at < old_at)
),
severity_lowered as (
    select p.complaint_id, p.old_import_id, p.new_import_id, p.o_severity, p.severity
    from version_pairs p
    join policy_severity o on o.severity = p.o_severity
    join policy_severity n on n.severity = p.severity
    where n.severity_rank < o.severity_rank
),
full_exports as (
    select import_id, exported_at from imports where kind = 'complaints' and full_export
),
missing_from_full as (
    -- A complaint some earlier import carried that a later full export leaves out.
    select f.import_id as new_import_id, v.complaint_id, max(v.import_id) as old_import_id
    from full_exports f
    join complaint_versions v on v.import_id < f.import_id
    where not exists (select 1 from complaint_versions x where x.import_id = f.import_id and x.complaint_id = v.complaint_id)
    group by all
),
tamper as (
    select 'tamper' as category,
           case when new_at is null then field || ' erased' else field || ' moved earlier' end as finding,
           complaint_id, field, strftime(old_at, '%Y-%m-%d %H:%M:%S') as old_value,
           strftime(new_at, '%Y-%m-%d %H:%M:%S') as new_value, old_import_id, new_import_id
    from time_changes
    union all
    select 'tamper', 'severity lowered', complaint_id, 'severity', o_severity, severity, old_import_id, new_import_id
    from severity_lowered
    union all
    select 'tamper', 'missing from a later full export', complaint_id, 'complaint_id', complaint_id, null, old_import_id, new_import_id
    from missing_from_full
),
all_findings as (
    from data_quality
    union all
    from tamper
)
select f.category, f.finding, f.complaint_id, f.field, f.old_value, f.new_value,
       o.file_name as old_file, n.file_name as new_file, f.old_import_id, f.new_import_id
from all_findings f
left join imports o on o.import_id = f.old_import_id
left join imports n on n.import_id = f.new_import_id
order by f.category, f.complaint_id, f.field, f.new_import_id

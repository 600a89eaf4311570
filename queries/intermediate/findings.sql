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
out_of_order as (
    -- A stage before receipt (the export's), or before the stage it follows (policy_stage.follows,
    -- as stg_complaint_stage has it: filled from the flow log where the export left it empty).
    select s.complaint_id, s.import_id, s.field, s.stage_at,
           case
               when s.field <> r.stage and s.stage_at < s.received then s.field || ' before ' || r.stage
               when s.stage_at < f.instant then s.field || ' before ' || p.follows
           end as finding
    from current_stage_times s
    cross join receipt r
    join policy_stage p on p.stage = s.field
    left join stg_complaint_stage f on f.complaint_id = s.complaint_id and f.stage = p.follows
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
    from out_of_order where finding is not null
    union all
    select 'data_quality', finding, complaint_id, field, null, strftime(stage_at, '%Y-%m-%d %H:%M:%S'), null, import_id
    from after_export
),
versions as (
    select complaint_id, import_id, line_no, severity,
           lag(import_id) over w as prev_import_id,
           row_number() over w as version_no
    from complaint_versions v
    window w as (partition by complaint_id order by import_id, line_no)
),
version_pairs as (
    select n.complaint_id, n.prev_import_id as old_import_id, n.import_id as new_import_id,
           o.line_no as old_line_no, n.line_no as new_line_no, o.severity as o_severity, n.severity
    from versions n
    join versions o on o.complaint_id = n.complaint_id and o.version_no = n.version_no - 1
    where n.prev_import_id <> n.import_id
),
time_changes as (
    -- A stage time the earlier version had that the later one erased or moved earlier.
    select p.complaint_id, p.old_import_id, p.new_import_id, o.field, o.stage_at as old_at, n.stage_at as new_at
    from version_pairs p
    join stage_times o on o.complaint_id = p.complaint_id and o.import_id = p.old_import_id and o.line_no = p.old_line_no
    left join stage_times n on n.complaint_id = p.complaint_id and n.import_id = p.new_import_id
                           and n.line_no = p.new_line_no and n.field = o.field
    where n.stage_at is null or n.stage_at < o.stage_at
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

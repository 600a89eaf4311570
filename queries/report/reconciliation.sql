-- reconciliation: every import: rows read, loaded and rejected (read = loaded + rejected), and the findings it raised.
-- One row per import, oldest first. Findings (view findings) count against the import
-- that raised them: data-quality contradictions of the rows it loaded, tamper findings
-- against earlier exports.
-- Columns:
--   file_name              VARCHAR          the export file
--   sha256                 VARCHAR          its SHA-256
--   encoding               VARCHAR          how its text was read (utf-8, gb18030, utf-16le, xlsx)
--   rows_read              BIGINT [rows]    data rows read
--   rows_loaded            BIGINT [rows]    loaded as complaint versions
--   rows_rejected          BIGINT [rows]    kept in rejects with a reason
--   balanced               BOOLEAN          rows_read = rows_loaded + rows_rejected
--   data_quality_findings  BIGINT [count]   contradictions in the rows it loaded
--   tamper_findings        BIGINT [count]   changes against earlier exports (times moved or erased, severity lowered, records gone)
with findings_per_import as (
    select new_import_id as import_id,
           count(*) filter (where category = 'data_quality') as data_quality_findings,
           count(*) filter (where category = 'tamper')       as tamper_findings
    from findings
    group by all
)
select i.file_name, i.sha256, i.encoding, i.rows_read, i.rows_loaded, i.rows_rejected,
       i.rows_read = i.rows_loaded + i.rows_rejected as balanced,
       coalesce(f.data_quality_findings, 0) as data_quality_findings,
       coalesce(f.tamper_findings, 0)       as tamper_findings
from imports i
left join findings_per_import f using (import_id)
order by i.import_id

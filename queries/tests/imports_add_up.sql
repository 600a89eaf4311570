-- imports_add_up: for every import, rows read = rows loaded + rows rejected, and the loaded rows are there.
-- A row is an import whose own counts do not add up, or whose rows_loaded differs from the
-- rows of it in complaint_versions (complaints), event_versions (flow logs) or appeal_versions (appeals).
-- Columns:
--   import_id      INTEGER  the import
--   file_name      VARCHAR  the file
--   rows_read      BIGINT   data rows read
--   rows_loaded    BIGINT   rows it says it loaded
--   rows_rejected  BIGINT   rows it says it rejected
--   rows_found     BIGINT   rows of it in the warehouse
with found as (
    select import_id, count(*) as n from complaint_versions group by all
    union all
    select import_id, count(*) from event_versions group by all
    union all
    select import_id, count(*) from appeal_versions group by all
)
select i.import_id, i.file_name, i.rows_read, i.rows_loaded, i.rows_rejected, coalesce(f.n, 0) as rows_found
from imports i
left join found f using (import_id)
where i.rows_read <> i.rows_loaded + i.rows_rejected
   or i.rows_loaded <> coalesce(f.n, 0)

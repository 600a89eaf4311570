-- reconciliation: every import: rows read, loaded and rejected (read = loaded + rejected).
-- Columns: file_name TEXT, sha256 TEXT, rows_read, rows_loaded, rows_rejected BIGINT, balanced BOOLEAN
select file_name, sha256, rows_read, rows_loaded, rows_rejected,
       rows_read = rows_loaded + rows_rejected as balanced
from imports
order by import_id

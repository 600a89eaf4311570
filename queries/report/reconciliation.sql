-- reconciliation: every import: rows read, loaded and rejected (read = loaded + rejected).
-- One row per import, oldest first.
-- Columns:
--   file_name      VARCHAR          the export file
--   sha256         VARCHAR          its SHA-256
--   rows_read      BIGINT [rows]    data rows read
--   rows_loaded    BIGINT [rows]    loaded as complaint versions
--   rows_rejected  BIGINT [rows]    kept in rejects with a reason
--   balanced       BOOLEAN          rows_read = rows_loaded + rows_rejected
select file_name, sha256, rows_read, rows_loaded, rows_rejected,
       rows_read = rows_loaded + rows_rejected as balanced
from imports
order by import_id

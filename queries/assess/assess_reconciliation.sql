-- assess_reconciliation: every import the warehouse holds, and whether its rows add up.
-- One row per import (complaint exports, flow logs, whatever its kind), in
-- import order: rows read = loaded + rejected. Machine-specific paths and import
-- times are left out, so the file depends on the inputs alone.
-- Columns:
--   import_order   BIGINT            1 = imported first
--   kind           VARCHAR           complaints | events
--   file_name      VARCHAR           the file's name
--   sha256         VARCHAR           SHA-256 of the file's bytes
--   bytes          BIGINT [bytes]    file size
--   rows_read      BIGINT [count]    data rows read
--   rows_loaded    BIGINT [count]    loaded
--   rows_rejected  BIGINT [count]    kept in rejects with their reason
--   balanced       BOOLEAN           read = loaded + rejected
select row_number() over (order by import_id) as import_order, kind, file_name, sha256, bytes,
       rows_read, rows_loaded, rows_rejected,
       rows_read = rows_loaded + rows_rejected as balanced
from imports
order by import_id

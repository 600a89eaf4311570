-- assess_reconciliation: every import the warehouse holds (complaint exports,
-- flow logs, whatever its kind): rows read, loaded and rejected, and whether
-- they add up (read = loaded + rejected). Machine-specific paths and import
-- times are left out so the file depends on the inputs alone.
-- Columns: import_order INT (1 = first imported), kind TEXT, file_name TEXT,
--   sha256 TEXT, bytes BIGINT, rows_read, rows_loaded, rows_rejected BIGINT,
--   balanced BOOLEAN.
select row_number() over (order by import_id) as import_order, kind, file_name, sha256, bytes,
       rows_read, rows_loaded, rows_rejected,
       rows_read = rows_loaded + rows_rejected as balanced
from imports
order by import_id

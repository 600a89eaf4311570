-- stg_data_horizon: where the warehouse's data ends, the latest instant an import vouches for.
-- One row. An import vouches for the state of things up to its export time when that was
-- given (`pledge ingest --exported-at`); otherwise (the file's own time says when it was
-- copied, not when it was exported) up to the latest stage or event time it holds. The
-- horizon is the latest over every import: an incremental export that does not list a
-- complaint says it did not change, so every complaint is known up to the horizon. A clock
-- not done by then and due after it cannot be called overdue: commitment_status makes it
-- `unknown` ("data ends <horizon>"), and a run whose as-of is past the horizon says so.
-- Columns:
--   horizon      TIMESTAMPTZ      the latest instant the data vouches for (null: no imports)
--   import_id    INTEGER          the import that vouches for it
--   given        BOOLEAN          the export time was given with --exported-at
with complaint_latest as (
    select import_id, max(greatest(*columns('_at$'))) as latest
    from complaint_versions
    group by all
),
event_latest as (
    select import_id, max(event_at) as latest
    from event_versions
    group by all
),
vouched as (
    select i.import_id, coalesce(i.exported_at_given, false) as given,
           case when i.exported_at_given then i.exported_at else coalesce(c.latest, e.latest) end as horizon
    from imports i
    left join complaint_latest c using (import_id)
    left join event_latest e using (import_id)
)
select max(horizon) as horizon, arg_max(import_id, horizon) as import_id, arg_max(given, horizon) as given
from vouched

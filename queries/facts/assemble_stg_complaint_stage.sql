-- assemble_stg_complaint_stage: stg_complaint_stage of a session, from the stored facts and the live part.
-- One row per complaint x stage with a time, for complaints received by the as-of instant (or
-- with no receipt time): a complaint with no flow-log event that fills a stage has only
-- export times, those of fact_complaint (its stage columns, one row each); a complaint with
-- events comes from live_stg_complaint_stage (stg_complaint_stage.sql at the as-of over
-- those complaints only). The same rows as stg_complaint_stage.sql over every complaint.
-- Columns:
--   *  every column of stg_complaint_stage
select complaint_id, stage, instant, 'export' as source
from (unpivot (select complaint_id, columns('_at$') from fact_complaint
               where received_at is null or received_at < getvariable('as_of'))
      on columns(* exclude (complaint_id)) into name stage value instant)
union all by name
select * from live_stg_complaint_stage

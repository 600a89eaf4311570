-- fact_findings: data-quality and tamper findings of complaints with no flow-log event, stored.
-- One row per finding (findings as it stands at the end of time, over the complaints an
-- import touched). Tamper findings never depend on the as-of instant; a data-quality finding
-- shows in a session only once its complaint has been received (assemble_findings).
-- Columns:
--   *  every column of findings
select * from build_findings

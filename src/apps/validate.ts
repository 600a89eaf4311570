// `pledge validate`: everything ingest would do to a file, without writing.
// The file is ingested into an in-memory warehouse (seeded, when a warehouse
// is given and exists, with a read-only copy of what it already holds, so
// re-export and tamper findings show), and what happened is described:
// encoding, header mapping, a sample of parsed rows, rejects and findings.
import { existsSync } from 'node:fs';
import { Warehouse, type Row } from '../warehouse/db.ts';
import { loadPolicy } from '../warehouse/policy.ts';
import { loadPolicyTables } from '../warehouse/policy-tables.ts';
import { COMPLAINTS, exportKind } from '../ingest/kinds.ts';
import { keyFilePath, KEY_ENV, loadPseudonymKey } from '../privacy/keys.ts';
import { upgradeIfOld } from '../privacy/upgrade.ts';
import { maskRows } from '../privacy/masking.ts';
import { defaultQueriesDir, loadCatalogue } from '../models/queries.ts';
import { ensureWarehouse, ingestFile, type ImportSummary, type IngestOptions } from '../ingest/ingest.ts';
import { coverageOf, describeCoverage } from '../ingest/coverage.ts';

export interface Validation {
  summary: ImportSummary;
  comparedWith?: string;
  sample: Row[];
  rejects: Row[];
  rejectReasons: Row[];
  /** Every finding this file would raise (ingest records the same ones). */
  findings: Row[];
  /** How many, by category and finding. */
  findingCounts: Row[];
  /** What the export cannot measure under the policy (ingest tells the same): one line each. */
  coverage: string[];
}

/** Columns never printed in the sample: personal data stays out of terminals and logs too. */
const PERSONAL = ['customer_name', 'customer_phone'];

export async function validateFile(path: string, opts: IngestOptions & { policy: string; warehouse?: string; sampleRows?: number }): Promise<Validation> {
  const policy = loadPolicy(opts.policy);
  const wh = await Warehouse.open(':memory:', { timezone: policy.timezone });
  try {
    await ensureWarehouse(wh, policy.customStages);
    const comparedWith = opts.warehouse && existsSync(opts.warehouse) ? opts.warehouse : undefined;
    if (comparedWith) {
      await upgradeIfOld(comparedWith, policy);
      await copyExisting(wh, comparedWith);
    }
    // Compared with a warehouse, customer ids are pseudonymised under its key (or they would
    // all read as changed); alone, under a throwaway key (ingestFile's default in memory).
    const key = comparedWith && (process.env[KEY_ENV] !== undefined || existsSync(keyFilePath(comparedWith, policy.privacy.key_file)))
      ? loadPseudonymKey(comparedWith, policy.privacy.key_file) : undefined;
    const summary = await ingestFile(wh, path, { ...opts, key, stages: policy.customStages });
    const importId = summary.importId;
    // The sample shows the kind's table as loaded (a flow log's own columns, e.g. event_at and event_raw).
    const kind = exportKind(summary.kind ?? 'complaints') ?? COMPLAINTS;
    const mapped = (summary.mapping?.sources ?? []).map((s) => s.column);
    const columns = (kind.tableColumns ? Object.keys(kind.tableColumns) : mapped).filter((c) => !PERSONAL.includes(c));
    const sample = summary.alreadyLoaded || !mapped.length ? [] : await wh.rows(
      `select line_no, ${columns.join(', ')} from ${kind.table} where import_id = $importId order by line_no limit $n`,
      { importId, n: opts.sampleRows ?? 5 });
    const rejects = await wh.rows(`select line_no, column_name, raw_value, reason from rejects
      where import_id = $importId order by line_no, column_name limit 20`, { importId });
    const rejectReasons = await wh.rows(`select reason, count(*) as rows from rejects
      where import_id = $importId group by all order by rows desc, reason`, { importId });
    await loadPolicyTables(wh, policy);
    await createViews(wh, ['stg_complaint_stage', 'stg_complaints', 'findings']);
    // The findings ingest records (fact_findings) are findings at the end of time, when every
    // recorded stage has happened (facts.ts buildFacts); without an as-of, stg_complaints would
    // hold no received complaint and validate would say "findings: none" for a file ingest
    // then records findings of.
    await wh.run(`set variable as_of = 'infinity'::timestamptz`);
    await wh.run(`create temp table validate_findings as select category, finding, complaint_id, field, old_value, new_value, old_file, new_file
      from findings where new_import_id = $importId`, { importId });
    const findings = await wh.rows('from validate_findings order by category, complaint_id, field, finding');
    const findingCounts = await wh.rows(`select category, finding, count(*) as findings
      from validate_findings group by all order by findings desc, category, finding`);
    const coverage = summary.kind === 'complaints' && !summary.alreadyLoaded
      ? describeCoverage(summary.file, await coverageOf(wh, `(select * from complaint_versions where import_id = ${Number(importId)})`, policy))
      : [];
    // Printed on a terminal: masked like every output (description, ID numbers, e-mail in other columns).
    return { summary, comparedWith, sample: maskRows(sample), rejects: maskRows(rejects), rejectReasons, findings: maskRows(findings), findingCounts, coverage };
  } finally {
    wh.close();
  }
}

async function copyExisting(wh: Warehouse, path: string): Promise<void> {
  await wh.run(`attach '${path.replace(/'/g, "''")}' as existing (read_only)`);
  await wh.run(`insert into imports by name select * from existing.imports;
    insert into complaint_versions by name select * from existing.complaint_versions;`);
  // A warehouse made before flow logs has no event_versions: there is nothing of it to copy.
  if (Number(await wh.value(`select count(*) from duckdb_tables() where database_name = 'existing' and table_name = 'event_versions'`))) {
    await wh.run('insert into event_versions by name select * from existing.event_versions');
  }
  await wh.run('detach existing');
  // The next import number follows the warehouse's own, as a real ingest would.
  const next = Number(await wh.value('select coalesce(max(import_id), 0) + 1 from imports'));
  await wh.run(`create or replace sequence import_id_seq start ${next}`);
}

/**
 * Just the named files of queries/, not the whole session; views whatever their folder, so
 * they are read at the as-of set after them. No calendar here: only their order is worked out.
 */
async function createViews(wh: Warehouse, names: string[]): Promise<void> {
  const { files } = await loadCatalogue(wh, defaultQueriesDir(), { check: false });
  for (const f of files.filter((x) => names.includes(x.name))) {
    await wh.run(`create or replace temp view ${f.name} as\n${f.sql}`);
  }
}

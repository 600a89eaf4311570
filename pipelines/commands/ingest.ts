import { Command } from 'commander';
import { Warehouse } from '../db.ts';
import { loadPolicy } from '../policy.ts';
import { ensureWarehouse, type ImportSummary } from '../ingest.ts';
import { ingestExport } from '../ingest-events.ts';
import { policyOption, say, warehouseOption } from './options.ts';

export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .description('Load complaint exports and flow logs (CSV, told apart by their header) into the warehouse; rows that cannot be loaded are kept in the rejects table')
    .argument('<files...>', 'export files');
  warehouseOption(cmd);
  policyOption(cmd);
  return cmd
    .addHelpText('after', '\nExample:\n  pledge ingest exports/complaints-2025-10.csv --warehouse data/warehouse.duckdb')
    .action(async (files: string[], opts: { warehouse: string; policy: string }) => {
      const results = await ingest(files, opts);
      for (const r of results) say(describeImport(r));
    });
}

export async function ingest(files: string[], opts: { warehouse: string; policy: string }): Promise<ImportSummary[]> {
  const policy = loadPolicy(opts.policy);
  const wh = await Warehouse.open(opts.warehouse, { timezone: policy.timezone });
  try {
    await ensureWarehouse(wh);
    const results: ImportSummary[] = [];
    for (const f of files) results.push(await ingestExport(wh, f));
    await wh.run('checkpoint');
    return results;
  } finally {
    wh.close();
  }
}

const n = (v: number) => v.toLocaleString('en-US');

export function describeImport(r: ImportSummary): string {
  if (r.alreadyLoaded) return `${r.file}: already loaded as import ${r.importId}; nothing changed`;
  const rejects = r.rowsRejected ? ` → pledge query "from rejects where import_id = ${r.importId}"` : '';
  return `${r.file}: read ${n(r.rowsRead)} · loaded ${n(r.rowsLoaded)} · rejected ${n(r.rowsRejected)}${rejects}`;
}

import { Command } from 'commander';
import { loadPolicy } from '../../warehouse/policy.ts';
import { ensureWarehouse, ingestFile, type ImportSummary, type IngestOptions } from '../../ingest/ingest.ts';
import { loadProfile } from '../../ingest/profiles.ts';
import { say, sharedOptions, warn } from '../options.ts';
import { coverageOf, describeCoverage } from '../../ingest/coverage.ts';
import { applyFileModes, loadPseudonymKey, protectWarehouse } from '../../privacy/keys.ts';
import { openWarehouse } from '../../privacy/upgrade.ts';
import { timed } from '../../core/timings.ts';
import { buildStoredFacts } from './build.ts';
import { closeSettled, describeClose } from '../../models/close.ts';
import { PledgeError } from '../../core/errors.ts';
import { firstLine } from '../../warehouse/db.ts';
import { basename } from 'node:path';
import { progress, SILENT, type Progress } from '../progress.ts';

export interface IngestCommandOptions {
  warehouse: string;
  policy: string;
  profile?: string;
  encoding?: string;
  sheet?: string;
  exportedAt?: string;
  full?: boolean;
  /** Hears the one line saying how the stored facts were brought up to date after the imports. */
  onFacts?: (line: string) => void;
  /** Hears one line per month the imports settled and that was closed (src/models/close.ts). */
  onClosed?: (line: string) => void;
  /** Hears each phase as it starts and ends (src/cli/progress.ts); default: nothing is said. */
  progress?: Progress;
  quiet?: boolean;
}

export function exportOptions(cmd: Command): Command {
  return cmd
    .option('--profile <file>', 'header profile (YAML): column names, value mappings, constants, date formats')
    .option('--encoding <name>', 'text encoding, instead of detecting it (utf-8, gb18030, gbk, utf-16le)')
    .option('--sheet <name>', 'workbook sheet to read (.xlsx; default: the first)')
    .option('--exported-at <instant>', 'when the export was made, local time (default: the file\'s modification time)')
    .option('--full', 'the export lists every record: one missing from it that an earlier export had is a finding');
}

export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .description('Load complaint exports and flow logs (told apart by their header; CSV in UTF-8, GB18030/GBK or UTF-16, or .xlsx) into the warehouse; rows that cannot be loaded are kept in the rejects table')
    .argument('<files...>', 'export files');
  sharedOptions(cmd, 'warehouse', 'policy');
  exportOptions(cmd);
  cmd.option('--quiet', 'no progress bar or phase lines on stderr', false);
  return cmd
    .addHelpText('after', '\nExamples:\n  pledge ingest exports/complaints-2025-10.csv --warehouse data/warehouse.duckdb\n'
      + '  pledge ingest 投诉导出.xlsx --sheet 十月 --profile data/profiles/my-system.yaml')
    .action(async (files: string[], opts: IngestCommandOptions) => {
      let facts = '';
      const closed: string[] = [];
      // A phase per file, then the stored facts and the month close.
      const bar = progress({ command: 'ingest', phases: files.length + 2, quiet: opts.quiet });
      let results: ImportSummary[];
      try {
        results = await ingest(files, { ...opts, progress: bar, onFacts: (line) => { facts = line; }, onClosed: (line) => closed.push(line) });
      } finally {
        bar.stop();
      }
      for (const r of results) say(describeImport(r));
      if (facts) say(facts);
      for (const line of closed) say(line);
    });
}

export function ingestOptions(opts: IngestCommandOptions): IngestOptions {
  return {
    profile: opts.profile ? loadProfile(opts.profile) : undefined,
    encoding: opts.encoding, sheet: opts.sheet, exportedAt: opts.exportedAt, full: opts.full,
  };
}

export async function ingest(files: string[], opts: IngestCommandOptions): Promise<ImportSummary[]> {
  const policy = loadPolicy(opts.policy);
  const options = ingestOptions(opts);
  const { file: fileMode } = applyFileModes(policy);
  // The pseudonym key is made with the warehouse, beside it, so every later import links customers the same way.
  const key = loadPseudonymKey(opts.warehouse, policy.privacy.key_file);
  const wh = await openWarehouse(opts.warehouse, { timezone: policy.timezone }, policy);
  const bar = opts.progress ?? SILENT;
  try {
    await ensureWarehouse(wh, policy.customStages);
    const results: ImportSummary[] = [];
    for (const f of files) {
      bar.start(`reading ${basename(f)}`);
      const r = await ingestFile(wh, f, { ...options, key, stages: policy.customStages });
      results.push(r);
      bar.done(describePhase(r));
      if (r.kind === 'complaints' && !r.alreadyLoaded) {
        const coverage = await coverageOf(wh, `(select * from complaint_versions where import_id = ${Number(r.importId)})`, policy);
        for (const line of describeCoverage(r.file, coverage)) warn(line);
      }
    }
    bar.start('writing the warehouse, stored facts');
    await timed('ingest.checkpoint', () => wh.run('checkpoint').catch((e: unknown) => {
      // The imports are committed (DuckDB's WAL holds them and replays it on the next open):
      // say so, and the first cause, rather than DuckDB's bare "FATAL Error".
      throw new PledgeError(`${opts.warehouse}: the imports are committed (kept in ${opts.warehouse}.wal, replayed when the warehouse is next opened) `
        + `but could not be written into the warehouse file: ${firstLine(e).replace(/^FATAL Error: /, '')}`);
    }));
    wh.close();
    // The stored facts follow the imports: the complaints they touched are worked out now, once.
    const facts = await timed('ingest.build', () => buildStoredFacts({ warehouse: opts.warehouse, policy: opts.policy }));
    bar.done(facts);
    opts.onFacts?.(facts);
    // Time passes in the data: months the imports carried past their settle period are closed now.
    bar.start('closing settled months');
    const closes = await timed('ingest.close', () => closeSettled({ warehouse: opts.warehouse, policy: opts.policy }));
    bar.done(closes.length ? `closed ${closes.map((c) => c.month).join(', ')}` : 'no month newly settled');
    for (const c of closes) opts.onClosed?.(describeClose(c));
    return results;
  } finally {
    wh.close();
    protectWarehouse(opts.warehouse, fileMode);
  }
}

const n = (v: number) => v.toLocaleString('en-US');

/** The phase line of one file: "complaints-2025-10.csv 12,345 rows read, 12,340 loaded, 5 rejected". */
function describePhase(r: ImportSummary): string {
  if (r.alreadyLoaded) return `${basename(r.file)} already loaded as import ${r.importId}`;
  return `${basename(r.file)} ${n(r.rowsRead)} rows read, ${n(r.rowsLoaded)} loaded, ${n(r.rowsRejected)} rejected`;
}

export function describeImport(r: ImportSummary): string {
  if (r.alreadyLoaded) return `${r.file}: already loaded as import ${r.importId}; nothing changed`;
  const rejects = r.rowsRejected ? ` → pledge query "from rejects where import_id = ${r.importId}"` : '';
  const enc = r.encoding ? ` (${r.encoding === 'xlsx' ? `sheet ${r.sheet}` : r.encoding})` : '';
  return `${r.file}${enc}: read ${n(r.rowsRead)} · loaded ${n(r.rowsLoaded)} · rejected ${n(r.rowsRejected)}${rejects}`;
}

import { Command } from 'commander';
import { say, sharedOptions } from '../options.ts';
import { exportOptions, ingestOptions, type IngestCommandOptions } from './ingest.ts';
import { formatRows } from './query.ts';
import { validateFile, type Validation } from '../../apps/validate.ts';

export function validateCommand(): Command {
  const cmd = new Command('validate')
    .description('Show what ingesting a file would do, without writing anything: encoding, header mapping, sample rows, rejects, findings')
    .argument('<file>', 'export file (CSV or .xlsx)')
    .option('--warehouse <file>', 'compare with what this warehouse already holds (re-exports, tamper findings); read only')
    .option('--rows <n>', 'sample rows to show', '5');
  sharedOptions(cmd, 'policy');
  exportOptions(cmd);
  return cmd
    .addHelpText('after', '\nExample:\n  pledge validate exports/投诉导出-10月.csv --profile data/profiles/my-system.yaml --warehouse data/warehouse.duckdb')
    .action(async (file: string, opts: IngestCommandOptions & { rows: string; warehouse?: string }) => {
      const v = await validateFile(file, { ...ingestOptions(opts), policy: opts.policy, warehouse: opts.warehouse, sampleRows: Number(opts.rows) });
      say(describeValidation(file, v));
    });
}

const n = (v: number) => v.toLocaleString('en-US');
/** Findings listed one by one; a file with thousands is summed up by the counts above them. */
const SHOWN_FINDINGS = 20;

export function describeValidation(file: string, v: Validation): string {
  const s = v.summary;
  const lines: string[] = [];
  if (s.alreadyLoaded) {
    return `${file}: already loaded as import ${s.importId} of ${v.comparedWith}; ingesting it again would change nothing`;
  }
  const what = s.encoding === 'xlsx' ? `Excel workbook, sheet "${s.sheet}"` : `${s.encoding} (${s.encodingHow})`;
  lines.push(`${file}: ${s.kind} export, ${what}`);
  lines.push('', 'header mapping:');
  lines.push(formatRows((s.mapping?.sources ?? []).map((m) => ({
    column: m.column, from: m.how === 'constant' ? `= "${m.constant}"` : `"${m.header}"`, how: m.how,
  })), 'table'));
  if (s.mapping?.unused.length) lines.push(`not used: ${s.mapping.unused.map((h) => `"${h}"`).join(', ')}`);
  if (s.mapping?.none.length) lines.push(`not in this export (the profile says null): ${s.mapping.none.join(', ')}`);
  lines.push('', `would read ${n(s.rowsRead)} · load ${n(s.rowsLoaded)} · reject ${n(s.rowsRejected)}`
    + (v.comparedWith ? ` (compared with ${v.comparedWith})` : ''));
  if (v.sample.length) lines.push('', `first ${v.sample.length} rows as loaded (personal data left out):`, formatRows(v.sample, 'table'));
  if (v.rejectReasons.length) {
    lines.push('', 'rejects by reason:', formatRows(v.rejectReasons, 'table'));
    lines.push('', `rejects (first ${v.rejects.length}):`, formatRows(v.rejects, 'table'));
  }
  // What the export cannot measure under the policy: the same lines ingest warns with.
  lines.push('', v.coverage.length ? 'under the policy:' : 'under the policy: every commitment can be measured, every channel is listed');
  for (const line of v.coverage) lines.push(`  ${line}`);
  // The findings ingest would record: the count of each, then the first of them.
  lines.push('', v.findings.length ? `findings (${n(v.findings.length)}): what ingest would record` : 'findings: none');
  if (v.findings.length) {
    lines.push(formatRows(v.findingCounts, 'table'));
    const shown = v.findings.slice(0, SHOWN_FINDINGS);
    lines.push('', shown.length < v.findings.length ? `first ${shown.length}:` : 'all of them:', formatRows(shown, 'table'));
  }
  lines.push('', 'nothing was written');
  return lines.join('\n');
}

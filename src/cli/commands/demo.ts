import { Command } from 'commander';
import { personalPath } from '../../privacy/personal.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../../data/generate.ts';
import { ingest, describeImport } from './ingest.ts';
import { run } from './run.ts';
import { DEFAULT_OUT, DEFAULT_POLICY, DEFAULT_WAREHOUSE, say, wholeNumber } from '../options.ts';

export interface DemoOptions { dir: string; warehouse: string; policy: string; out: string; month: string; seed: number; complaints: number; lang: 'zh' | 'en' }

export function demoCommand(): Command {
  return new Command('demo')
    .description('Generate the demo exports (seeded: complaints, flow log, appeals), ingest them into a fresh warehouse and write the month\'s reports')
    .option('--dir <dir>', 'where the demo exports are written', 'data/demo')
    .option('--warehouse <file>', 'warehouse file (recreated)', DEFAULT_WAREHOUSE)
    .option('--policy <file>', 'policy file', DEFAULT_POLICY)
    .option('--out <dir>', 'reports folder', DEFAULT_OUT)
    .option('--month <YYYY-MM>', 'reporting month', '2025-10')
    .option('--seed <n>', 'generator seed', wholeNumber('--seed'), 20251001)
    .option('--complaints <n>', 'complaints to generate', wholeNumber('--complaints', 1), 20000)
    .option('--lang <lang>', 'report language (zh | en)', 'zh')
    .addHelpText('after', '\nExample:\n  pledge demo            # then open the printed dashboard path in a browser')
    .action(async (opts: DemoOptions) => {
      const { dashboard } = await demo(opts);
      say(`dashboard: ${dashboard}`);
    });
}

export async function demo(opts: DemoOptions): Promise<{ dashboard: string }> {
  rmSync(opts.dir, { recursive: true, force: true });
  const generated = await generateDemo({ outDir: opts.dir, seed: opts.seed, complaints: opts.complaints });
  const n = (x: number) => x.toLocaleString('en-US');
  say(`generated ${n(generated.complaints)} complaints in ${generated.complaintFiles.length} exports, ${n(generated.events)} flow-log events in ${generated.eventFiles.length} and ${n(generated.appeals)} appeals in ${generated.appealFiles.length} under ${opts.dir}`);
  // A fresh warehouse numbers its imports from 1 again: its old personal file goes with it.
  for (const db of [opts.warehouse, personalPath(opts.warehouse)]) for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  // The generator knows when its exports were made: told, the data's horizon is that instant.
  const closed: string[] = [];
  const imports = await ingest([...generated.complaintFiles, ...generated.eventFiles, ...generated.appealFiles], {
    warehouse: opts.warehouse, policy: opts.policy, exportedAt: generated.exportedAt, onClosed: (line) => closed.push(line),
  });
  for (const r of imports) say(describeImport(r));
  for (const line of closed) say(line);
  return run({ month: opts.month, policy: opts.policy, warehouse: opts.warehouse, out: opts.out, lang: opts.lang });
}

export const DEMO_DIR = join('data', 'demo');

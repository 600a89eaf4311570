import { Command } from 'commander';
import { privateTree } from '../../reports/write.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { openSession } from '../session.ts';
import { defaultQueriesDir } from '../queries.ts';
import { PledgeError } from '../errors.ts';
import { parseQuarter } from '../assess/quarter.ts';
import { writePack, type PackResult } from '../assess/pack.ts';
import { MANIFEST_FILE, sha256Bytes } from '../assess/manifest.ts';
import { asOfOption, DEFAULT_OUT, policyOption, revealOption, say, tellAsOf, warehouseOption, warn } from './options.ts';
import { refuseReveal } from '../privacy.ts';

export interface AssessOptions {
  quarter: string;
  seed?: number;
  out?: string;
  policy: string;
  warehouse: string;
  asOf?: string;
  queries?: string;
  revealPii?: boolean;
}

export function assessCommand(): Command {
  const cmd = new Command('assess')
    .description('Write the quarterly third-party assessment pack: KPIs, spot-check sample, evidence files, methodology and a manifest that pledge verify re-computes')
    .requiredOption('--quarter <YYYYQn>', 'the quarter, e.g. 2025Q3')
    .option('--seed <n>', 'seed of the spot-check sample (default: policy assessment.sample.seed)', parseSeed)
    .option('--out <dir>', `pack folder (default ${DEFAULT_OUT}/assess-<quarter>); replaced if it holds an earlier pack`)
    .option('--queries <dir>', 'SQL folder (default queries/)');
  warehouseOption(cmd);
  policyOption(cmd);
  revealOption(cmd);
  asOfOption(cmd);
  return cmd
    .addHelpText('after', '\nExample:\n  pledge assess --quarter 2025Q3 --seed 7 --out reports/out/assess-2025Q3\n  pledge verify reports/out/assess-2025Q3 --inputs data/demo')
    .action(async (opts: AssessOptions) => {
      const { dir, result, manifestSha } = await assess(opts);
      if (!result.evidence.find((e) => e.spec.name === 'kpi')!.rows) warn(`no commitment fell due in ${opts.quarter}: the pack has no KPIs (check --quarter and what the warehouse holds)`);
      say(`${opts.quarter}: ${result.evidence.find((e) => e.spec.name === 'commitment_status')!.rows.toLocaleString('en-US')} commitment statuses · ${result.breaches.toLocaleString('en-US')} breaches · sample of ${result.sampled} (seed ${result.manifest.seed}) · as of ${result.manifest.as_of} ${result.manifest.timezone}`);
      say(`inputs: ${result.manifest.inputs.length} files · files in the pack: ${result.manifest.files.length + 1}`);
      say(`manifest sha256: ${manifestSha}`);
      say(join(dir, 'index.html'));
    });
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new PledgeError(`--seed: "${v}" is not a whole number ≥ 0`);
  return Number(v);
}

export async function assess(opts: AssessOptions): Promise<{ dir: string; result: PackResult; manifestSha: string }> {
  // A pack is handed to a third party: it never carries personal data, whoever asks.
  refuseReveal('assess', opts.revealPii);
  const quarter = parseQuarter(opts.quarter);
  const dir = opts.out ?? join(DEFAULT_OUT, `assess-${quarter.label}`);
  checkOutFolder(dir);
  const asOfRule = opts.asOf ? 'given with --as-of' : `end of ${quarter.label}`;
  const session = await openSession({
    warehouse: opts.warehouse, policy: opts.policy, asOf: opts.asOf ?? `${quarter.end} 00:00:00`, queriesDir: opts.queries,
    deterministic: true,
  });
  // Written beside the target and moved into place whole: a failed run leaves no half pack.
  const partial = join(dirname(resolve(dir)), `.${basename(dir)}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    tellAsOf(session);
    if (session.uncoveredYears.length) warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed there`);
    const result = await writePack(session, {
      quarter, seed: opts.seed ?? session.policy.assessment.sample.seed, queriesDir: opts.queries ?? defaultQueriesDir(), dir: partial, asOfRule,
    });
    privateTree(partial);   // the SQL copies keep their source's mode otherwise
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    return { dir, result, manifestSha: sha256Bytes(readFileSync(join(dir, MANIFEST_FILE))) };
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  } finally {
    session.close();
  }
}

/** Only an empty folder or an earlier pack may be replaced: never someone's other files. */
function checkOutFolder(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length && !entries.includes(MANIFEST_FILE)) {
    throw new PledgeError(`--out: ${dir} holds files but no assessment pack (${MANIFEST_FILE}); choose an empty or new folder`);
  }
}

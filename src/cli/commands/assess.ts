import { Command } from 'commander';
import { checkReplaceable, publishFolder, type PublishSpec } from '../../outputs/publish.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSession, type Session } from '../../models/session.ts';
import { defaultQueriesDir } from '../../models/queries.ts';
import { parseQuarter } from '../../models/quarter.ts';
import { writePack, type PackResult } from '../../apps/assess/pack.ts';
import { listFiles, MANIFEST_FILE, readManifest, sha256Bytes } from '../../apps/assess/manifest.ts';
import { daskFlags, DEFAULT_OUT, wholeNumber, say, sharedOptions, tellAsOf, warn, type EngineFlags } from '../options.ts';
import { computeOnDask, daskSummary, type DaskRun } from '../../apps/dask.ts';
import type { EngineEntry } from '../../apps/assess/manifest.ts';
import { refuseReveal } from '../../privacy/keys.ts';
import type { Lang } from '../../reports/labels.ts';

export interface AssessOptions extends EngineFlags {
  quarter: string;
  seed?: number;
  out?: string;
  policy: string;
  warehouse: string;
  asOf?: string;
  queries?: string;
  revealPii?: boolean;
  lang: Lang;
}

export function assessCommand(): Command {
  const cmd = new Command('assess')
    .description('Write the quarterly third-party assessment pack: KPIs, spot-check sample, evidence files, methodology and a manifest that pledge verify re-computes')
    .requiredOption('--quarter <YYYYQn>', 'the quarter, e.g. 2025Q3')
    .option('--seed <n>', 'seed of the spot-check sample (default: policy assessment.sample.seed)', wholeNumber('--seed'))
    .option('--out <dir>', `pack folder (default ${DEFAULT_OUT}/assess-<quarter>); replaced only if it holds an earlier pack whose manifest lists every file in it`);
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'reveal-pii', 'queries', 'lang', 'engine');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge assess --quarter 2025Q3 --seed 7 --out reports/out/assess-2025Q3\n  pledge assess --quarter 2025Q3 --lang en\n  pledge assess --quarter 2025Q3 --engine dask --local 4\n  pledge verify reports/out/assess-2025Q3 --inputs data/demo')
    .action(async (opts: AssessOptions) => {
      const { dir, result, manifestSha, dask } = await assess(opts);
      if (dask) say(dask);
      if (!result.evidence.find((e) => e.spec.name === 'kpi')!.rows) warn(`no commitment fell due in ${opts.quarter}: the pack has no KPIs (check --quarter and what the warehouse holds)`);
      say(`${opts.quarter}: ${result.evidence.find((e) => e.spec.name === 'commitment_status')!.rows.toLocaleString('en-US')} commitment statuses · ${result.breaches.toLocaleString('en-US')} breaches · sample of ${result.sampled} (seed ${result.manifest.seed}) · as of ${result.manifest.as_of} ${result.manifest.timezone}`);
      say(`inputs: ${result.manifest.inputs.length} files · files in the pack: ${result.manifest.files.length + 1}`);
      say(`manifest sha256: ${manifestSha}`);
      say(join(dir, 'index.html'));
    });
}


export async function assess(opts: AssessOptions): Promise<{ dir: string; result: PackResult; manifestSha: string; dask?: string }> {
  // A pack is handed to a third party: it never carries personal data, whoever asks.
  refuseReveal('assess', opts.revealPii);
  const quarter = parseQuarter(opts.quarter);
  const flags = daskFlags(opts);
  const dir = opts.out ?? join(DEFAULT_OUT, `assess-${quarter.label}`);
  const spec = packSpec(dir, quarter.label);
  checkReplaceable(spec);   // before the work, not only before the swap
  const asOfRule = opts.asOf ? 'given with --as-of' : `end of ${quarter.label}`;
  const asOf = opts.asOf ?? `${quarter.end} 00:00:00`;
  // Judged at the quarter's end, its months' appeals count as in their published figures: those
  // known by each month's close (queries/kpi/kpi_appeals.sql); an --as-of given bounds them too.
  const appealsKnownBy = opts.asOf ? undefined : 'infinity';
  // One lake export and one Dask submission for the quarter: a bucket computes every month up to
  // the as-of (kpi_fact_monthly, commitment_status and breach_list are by month, for all months),
  // so the merged tables hold the quarter's three months, and assess_*.sql filter them as on one machine.
  const dask = flags && await computeOnDask({
    warehouse: opts.warehouse, policy: opts.policy, asOf, appealsKnownBy, queriesDir: opts.queries, revealPii: opts.revealPii, ...flags,
  });
  let session: Session | undefined;
  try {
    session = await openSession({
      warehouse: opts.warehouse, policy: opts.policy, asOf, appealsKnownBy, queriesDir: dask ? dask.queriesDir : opts.queries,
      deterministic: true,
    });
    tellAsOf(session);
    if (session.uncoveredYears.length) warn(`no published holiday calendar for ${session.uncoveredYears.join(', ')}: Monday to Friday assumed there`);
    const open = session;
    // Written beside the target and swapped in whole (src/outputs/publish.ts): a failed or killed run leaves the earlier pack.
    // The pack carries queries/ itself, not the Dask run's copy: the SQL that defines its figures, which verify re-runs.
    const result = await publishFolder(spec, (staging) => writePack(open, {
      quarter, seed: opts.seed ?? open.policy.assessment.sample.seed, queriesDir: opts.queries ?? defaultQueriesDir(), dir: staging, asOfRule, lang: opts.lang ?? 'zh',
      engine: dask && engineEntry(dask, flags!),
    }));
    return { dir, result, manifestSha: sha256Bytes(readFileSync(join(dir, MANIFEST_FILE))), dask: dask && daskSummary(dask) };
  } finally {
    session?.close();
    dask?.cleanup();
  }
}

/** What the manifest says of a Dask run: its buckets, and the LocalCluster's size or the scheduler it ran on. */
function engineEntry(dask: DaskRun, flags: { local?: number; scheduler?: string }): EngineEntry {
  return { name: 'dask', buckets: dask.buckets.length, ...(flags.local !== undefined ? { local: flags.local } : { scheduler: flags.scheduler }) };
}

/**
 * A pack folder is replaced only if it is an earlier pack, proven by its own manifest (its format
 * field is Pledge's, the whole file reads as a manifest) listing every file in it: a stray
 * manifest.json, or a pack someone added files to, is refused. The pack carries no other marker,
 * so that a pack handed over stays exactly the files its manifest lists.
 */
function packSpec(dir: string, quarter: string): PublishSpec {
  return {
    dir, kind: 'assessment-pack', id: quarter, what: 'assessment pack', advice: 'choose an empty or new folder',
    replaces: (d) => {
      if (!existsSync(join(d, MANIFEST_FILE))) return `no ${MANIFEST_FILE}`;
      let listed: Set<string>;
      try {
        listed = new Set([MANIFEST_FILE, ...readManifest(d).files.map((f) => f.path)]);
      } catch (e) {
        return (e as Error).message;
      }
      const others = listFiles(d).filter((f) => !listed.has(f));
      return others.length ? `${others.length} file(s) its ${MANIFEST_FILE} does not list: ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}` : undefined;
    },
  };
}

// Writes a quarterly assessment pack into a folder: the policy and the SQL as
// used, the evidence files, the page, and the manifest that ties them to the
// input files. `pledge assess` and `pledge verify` (to re-compute) both call
// writePack, so a re-computation is exactly what the original run did.
import { copyFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { Session } from '../../models/session.ts';
import { PledgeError } from '../../core/errors.ts';
import { VIEW_LAYERS } from '../../models/queries.ts';
import { writeFileAtomic } from '../../core/files.ts';
import { renderAssessPage } from '../../reports/assess.ts';
import type { Quarter } from '../../models/quarter.ts';
import type { Lang } from '../../reports/labels.ts';
import { writeEvidence, evidenceRows, appealRows, type WrittenEvidence } from './evidence.ts';
import { createUnappealed } from './unappealed.ts';
import {
  MANIFEST_FILE, MANIFEST_FORMAT, describeFile, sha256Bytes, type EngineEntry, type FileEntry, type InputEntry, type Manifest,
} from './manifest.ts';
import { PLEDGE_VERSION } from '../../core/project.ts';

const require = createRequire(import.meta.url);

/** Folders of queries/ a pack carries: every view the numbers are built from, and its own queries. */
// facts/: how the stored clock facts are kept and assembled, which every session reads.
export const PACK_SQL_FOLDERS = [...VIEW_LAYERS, 'facts', 'assess'] as const;

export interface PackOptions {
  quarter: Quarter;
  seed: number;
  /**
   * The folder the SQL was read from (queries/, or a pack's sql/ when verifying). With --engine dask
   * the session read a copy of it whose three merged files read the buckets' output
   * (src/apps/dask.ts daskQueries); the pack carries this one, the SQL that defines the figures.
   */
  queriesDir: string;
  /** The folder to write into; it must exist and be empty. */
  dir: string;
  asOfRule: string;
  /** The page's language; recorded in the manifest. */
  lang: Lang;
  /** How the session's figures were computed, recorded in the manifest (default: one machine). */
  engine?: EngineEntry;
}

export interface PackResult { manifest: Manifest; evidence: WrittenEvidence[]; breaches: number; sampled: number }

export async function writePack(session: Session, opts: PackOptions): Promise<PackResult> {
  const { wh, policy } = session;
  const { dir, quarter } = opts;

  // The policy exactly as read, and every SQL file the numbers came from.
  writeFileAtomic(join(dir, 'policy.yaml'), policy.text);
  const queries: string[] = [];
  for (const folder of PACK_SQL_FOLDERS) {
    const from = join(opts.queriesDir, folder);
    if (!existsSync(from)) continue;
    mkdirSync(join(dir, 'sql', folder), { recursive: true, mode: 0o700 });
    for (const f of readdirSync(from).filter((f) => f.endsWith('.sql')).sort()) {
      copyFileSync(join(from, f), join(dir, 'sql', folder, f));   // made owner-only with the whole pack (privateTree)
      queries.push(`sql/${folder}/${f}`);
    }
  }

  mkdirSync(join(dir, 'evidence'), { recursive: true, mode: 0o700 });
  const sample = policy.assessment.sample;
  const params = {
    quarter_start: quarter.start, quarter_end: quarter.end, as_of: session.asOf,
    seed: opts.seed, sample_size: sample.size, min_per_stratum: sample.min_per_stratum, strata: sample.strata.join(','),
  };
  await createUnappealed(wh, opts.queriesDir);   // what assess_appeal_effects compares the figures with
  const evidence = await writeEvidence(wh, opts.queriesDir, dir, params, policy);
  const rowsOf = (name: string) => evidenceRows(wh, name);
  const [kpi, sampleRows, reconciliation] = [await rowsOf('kpi'), await rowsOf('sample'), await rowsOf('reconciliation')];
  const appeals = await appealRows(wh, evidence);
  const breaches = evidence.find((e) => e.spec.name === 'breach_list')!.rows;

  const dataFiles: FileEntry[] = evidence.flatMap((e) => e.files.map((f) => describeFile(dir, f, e.spec.folder === '.' ? 'calendar' : 'evidence', e.rows)));
  const policySha = sha256Bytes(policy.text);
  const html = renderAssessPage({
    policy, quarter, asOf: session.asOf, asOfRule: opts.asOfRule, seed: opts.seed, policySha,
    kpi, sample: sampleRows, reconciliation, breaches, appeals,
    evidence: evidence.flatMap((e) => e.files.map((f) => ({ ...dataFiles.find((d) => d.path === f)!, description: e.spec.description }))),
    uncoveredYears: session.uncoveredYears, lang: opts.lang,
  });
  writeFileAtomic(join(dir, 'index.html'), html);

  const { inputs, profiles } = await inputsOf(session, dir);
  const files: FileEntry[] = [
    describeFile(dir, 'index.html', 'page'),
    describeFile(dir, 'policy.yaml', 'policy'),
    ...queries.map((q) => describeFile(dir, q, 'sql')),
    ...profiles.map((p) => describeFile(dir, p, 'profile')),
    ...dataFiles,
  ].sort((a, b) => a.path.localeCompare(b.path));

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    organisation: policy.organisation,
    quarter: quarter.label,
    period: { from: quarter.start, to: quarter.end },
    as_of: session.asOf,
    as_of_rule: opts.asOfRule,
    appeals_known_by: session.appealsKnownBy,
    timezone: policy.timezone,
    seed: opts.seed,
    lang: opts.lang,
    tool: await toolVersions(session),
    engine: opts.engine ?? { name: 'single' },
    policy: 'policy.yaml',
    calendar: 'calendar.csv',
    queries,
    inputs,
    files,
  };
  writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, evidence, breaches, sampled: sampleRows.length };
}

/**
 * Every import the warehouse holds, whatever its kind, in import order, with what
 * ingest was told about it. Each header profile used is copied into profiles/ from
 * the text the warehouse kept (not from its file, which may have changed since).
 */
async function inputsOf(session: Session, dir: string): Promise<{ inputs: InputEntry[]; profiles: string[] }> {
  const rows = await session.wh.rows(`select row_number() over (order by import_id) as import_order, kind, file_name, file_path,
      sha256, bytes, encoding, rows_read, rows_loaded, rows_rejected, imported_at,
      profile, profile_sha256, profile_text, sheet, full_export, exported_at::varchar as exported_at, exported_at_given
    from imports order by import_id`);
  const profileFiles = new Map<string, string>();   // SHA-256 → path in the pack
  const inputs = rows.map((r): InputEntry => {
    let profile: InputEntry['profile'] = null;
    if (r.profile !== null) {
      if (r.profile_text === null) {
        throw new PledgeError(`import ${r.import_order} (${r.file_name}) was loaded with the profile ${r.profile} by a Pledge that did not keep profiles in the warehouse, so the pack cannot carry it: load the exports again into a new warehouse`);
      }
      const sha = String(r.profile_sha256);
      let file = profileFiles.get(sha);
      if (!file) {
        // Two different profiles with one name both get a place: the second is prefixed with its hash.
        const name = basename(String(r.profile));
        const taken = [...profileFiles.values()].includes(`profiles/${name}`);
        file = taken ? `profiles/${sha.slice(0, 12)}-${name}` : `profiles/${name}`;
        profileFiles.set(sha, file);
        mkdirSync(join(dir, 'profiles'), { recursive: true, mode: 0o700 });
        writeFileAtomic(join(dir, file), String(r.profile_text));
      }
      profile = { file, source: String(r.profile), sha256: sha };
    }
    return {
      import_order: Number(r.import_order), kind: String(r.kind), file_name: String(r.file_name), file_path: String(r.file_path),
      sha256: String(r.sha256), bytes: Number(r.bytes), encoding: String(r.encoding), rows_read: Number(r.rows_read),
      rows_loaded: Number(r.rows_loaded), rows_rejected: Number(r.rows_rejected), imported_at: String(r.imported_at),
      profile, sheet: r.sheet === null ? null : String(r.sheet),
      full_export: r.full_export === null ? null : Boolean(r.full_export),
      exported_at: r.exported_at === null ? null : String(r.exported_at),
      exported_at_given: r.exported_at_given === null ? null : Boolean(r.exported_at_given),
    };
  });
  return { inputs, profiles: [...profileFiles.values()] };
}

async function toolVersions(session: Session): Promise<Record<string, string>> {
  const chineseDays = require('chinese-days/package.json') as { version: string };
  return {
    pledge: PLEDGE_VERSION,
    duckdb: String(await session.wh.value('select version()')),
    'chinese-days': chineseDays.version,
    node: process.version,
  };
}

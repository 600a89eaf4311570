// pledge verify: does an assessment pack still say what it said, and does it
// follow from its inputs? Three checks, every finding named by file:
//   1. integrity   every file in the pack has the SHA-256 the manifest gives it
//                  (and no file was added: an added SQL file would change the views);
//   2. inputs      every input file named in the manifest is there with its SHA-256;
//   3. re-computed the inputs are loaded into a fresh temporary warehouse, each with
//                  what ingest was told the first time (the pack's copy of its header
//                  profile, encoding, sheet, full export, export time), and the pack is
//                  written again with the pack's own SQL and policy, as of the
//                  manifest's instant; every file must come out byte for byte the same.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession } from '../../models/session.ts';
import { firstLine } from '../../warehouse/db.ts';
import { ensureWarehouse, ingestFile, sha256File, type IngestOptions } from '../../ingest/ingest.ts';
import { loadProfile } from '../../ingest/profiles.ts';
import { loadPolicy } from '../../warehouse/policy.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { parseQuarter } from '../../models/quarter.ts';
import { writePack } from './pack.ts';
import { MANIFEST_FILE, listFiles, readManifest, sha256Bytes, type InputEntry, type Manifest } from './manifest.ts';

export interface Verdict {
  /** A file in the pack ("evidence/kpi.csv"), an input ("input complaints-2025-07.csv") or "re-computation". */
  subject: string;
  ok: boolean;
  problems: string[];
}

export interface VerifyOptions {
  /** Folder holding the input files (looked up by file name); default: the paths recorded in the manifest. */
  inputs?: string;
}

export async function verifyPack(dir: string, opts: VerifyOptions = {}): Promise<{ manifest: Manifest; verdicts: Verdict[] }> {
  const manifest = readManifest(dir);
  const verdicts = new Map<string, Verdict>();
  const problem = (subject: string, text?: string) => {
    const v = verdicts.get(subject) ?? { subject, ok: true, problems: [] };
    if (text) { v.ok = false; v.problems.push(text); }
    verdicts.set(subject, v);
  };

  // 1. Integrity of the pack as it stands.
  const onDisk = new Set(listFiles(dir));
  for (const f of manifest.files) {
    problem(f.path);
    if (!onDisk.has(f.path)) { problem(f.path, 'missing from the pack'); continue; }
    if (sha256Bytes(readFileSync(join(dir, f.path))) !== f.sha256) problem(f.path, 'SHA-256 differs from the manifest: changed after the pack was made');
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of onDisk) if (f !== MANIFEST_FILE && !listed.has(f)) problem(f, 'not listed in the manifest');

  // 2. The inputs.
  const located: { entry: InputEntry; path: string }[] = [];
  for (const entry of manifest.inputs) {
    const subject = `input ${entry.file_name}`;
    const path = opts.inputs ? join(opts.inputs, entry.file_name) : entry.file_path;
    problem(subject);
    if (!existsSync(path)) { problem(subject, `not found at ${path}${opts.inputs ? '' : ' (give the folder with --inputs)'}`); continue; }
    const sha = await sha256File(path);
    if (sha !== entry.sha256) problem(subject, `SHA-256 ${sha.slice(0, 12)}… differs from the manifest's ${entry.sha256.slice(0, 12)}…`);
    if (entry.profile) {
      // The file itself is checked in step 1; here: is it the profile this input was loaded with?
      const copy = join(dir, entry.profile.file);
      if (!existsSync(copy)) problem(subject, `its profile ${entry.profile.file} is missing from the pack`);
      else if (sha256Bytes(readFileSync(copy)) !== entry.profile.sha256) problem(subject, `its profile ${entry.profile.file} is not the one it was loaded with (SHA-256 differs)`);
    }
    located.push({ entry, path });
  }

  // 3. Re-computation.
  if (located.length === manifest.inputs.length) {
    await recompute(dir, manifest, located, problem);
  } else {
    problem('re-computation', 'not attempted: input files are missing');
  }
  return { manifest, verdicts: [...verdicts.values()] };
}

async function recompute(dir: string, manifest: Manifest, inputs: { entry: InputEntry; path: string }[],
  problem: (subject: string, text?: string) => void): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'pledge-verify-'));
  try {
    const warehouse = join(work, 'warehouse.duckdb');
    const policy = join(dir, manifest.policy);
    problem('re-computation');
    try {
      // In the manifest's order: the latest import of a complaint is its current version.
      await ingestAgain(dir, warehouse, policy, inputs);
      await compareImports(warehouse, inputs, problem);
      // A throwaway warehouse: its clock facts are computed in the session, nothing to say about it.
      const session = await openSession({
        warehouse, policy, asOf: manifest.as_of, appealsKnownBy: manifest.appeals_known_by, queriesDir: join(dir, 'sql'), deterministic: true, notice: () => undefined,
      });
      const again = join(work, 'pack');
      try {
        await writePack(session, {
          quarter: parseQuarter(manifest.quarter), seed: manifest.seed, queriesDir: join(dir, 'sql'), dir: again, asOfRule: manifest.as_of_rule, lang: manifest.lang ?? 'en',
        });
      } finally {
        session.close();
      }
      for (const f of manifest.files) {
        const mine = join(dir, f.path);
        const theirs = join(again, f.path);
        if (!existsSync(mine)) continue;
        if (!existsSync(theirs)) { problem(f.path, 'not produced by the re-computation'); continue; }
        const difference = firstDifference(readFileSync(mine), readFileSync(theirs), f.path);
        if (difference) problem(f.path, `differs from the re-computed file ${difference}`);
      }
    } catch (e) {
      problem('re-computation', `failed: ${firstLine(e)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * How the pack was made and how verify re-computes it: always on one machine, whatever the
 * pack's engine (manifest engine), so a Dask-made pack is checked against the single-machine
 * figures file for file.
 */
export function engineNote(manifest: Manifest): string {
  const e = manifest.engine ?? { name: 'single' };
  const made = e.name === 'single' ? 'on one machine'
    : `with --engine dask (${e.buckets} buckets, ${e.local !== undefined ? `a LocalCluster of ${e.local}` : `scheduler ${e.scheduler}`})`;
  return `made ${made}; re-computed on one machine`;
}

/** Loads each input as it was loaded the first time, with the pack's copy of its profile. */
async function ingestAgain(dir: string, warehouse: string, policyFile: string, inputs: { entry: InputEntry; path: string }[]): Promise<void> {
  const policy = loadPolicy(policyFile);
  const wh = await Warehouse.open(warehouse, { timezone: policy.timezone });
  try {
    await ensureWarehouse(wh, policy.customStages);
    for (const { entry, path } of inputs) await ingestFile(wh, path, { ...ingestOptionsOf(dir, entry), stages: policy.customStages });
    await wh.run('checkpoint');
  } finally {
    wh.close();
  }
}

/** What ingest was told about one input, from the manifest (older packs recorded none of it). */
export function ingestOptionsOf(dir: string, entry: InputEntry): IngestOptions {
  return {
    profile: entry.profile ? loadProfile(join(dir, entry.profile.file)) : undefined,
    // The encoding used, whether detected or given: given again, it decodes the same bytes the same way.
    encoding: entry.encoding === 'xlsx' ? undefined : entry.encoding,
    sheet: entry.sheet ?? undefined,
    full: entry.full_export ?? undefined,
    exportedAt: entry.exported_at ?? undefined,
    exportedAtGiven: entry.exported_at_given ?? false,
  };
}

/** The fresh warehouse must have read, loaded and rejected what the original one did. */
async function compareImports(warehouse: string, inputs: { entry: InputEntry }[], problem: (subject: string, text?: string) => void): Promise<void> {
  const wh = await Warehouse.open(warehouse, { readOnly: true });
  try {
    const rows = await wh.rows('select kind, sha256, rows_read, rows_loaded, rows_rejected from imports order by import_id');
    inputs.forEach(({ entry }, i) => {
      const r = rows[i];
      const subject = `input ${entry.file_name}`;
      if (!r) { problem(subject, 'was not loaded again'); return; }
      for (const k of ['kind', 'rows_read', 'rows_loaded', 'rows_rejected'] as const) {
        if (String(r[k]) !== String(entry[k])) problem(subject, `${k} is ${r[k]} when loaded again, the manifest says ${entry[k]}`);
      }
    });
  } finally {
    wh.close();
  }
}

/** Where two files first differ: a line for text files, a byte offset otherwise. */
function firstDifference(a: Buffer, b: Buffer, path: string): string | undefined {
  if (a.equals(b)) return undefined;
  if (/\.(csv|sql|yaml|html|json)$/.test(path)) {
    const la = a.toString('utf8').split('\n');
    const lb = b.toString('utf8').split('\n');
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
      if (la[i] !== lb[i]) return `at line ${i + 1}`;
    }
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `at byte ${i}`;
  return `in length (${a.length} bytes here, ${b.length} re-computed)`;
}

// manifest.json: what an assessment pack was made from and what it contains,
// with a SHA-256 for every file, so that an assessor can check that nothing
// changed and re-compute every number (pledge verify).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { PledgeError } from '../../core/errors.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'pledge-assessment-pack/1';

const fileEntry = z.object({ path: z.string(), sha256: z.string(), bytes: z.number(), role: z.string(), rows: z.number().optional() });
export type FileEntry = z.infer<typeof fileEntry>;

const inputEntry = z.object({
  import_order: z.number(), kind: z.string(), file_name: z.string(), file_path: z.string(), sha256: z.string(),
  bytes: z.number(), encoding: z.string(), rows_read: z.number(), rows_loaded: z.number(), rows_rejected: z.number(),
  imported_at: z.string(),
  // What ingest was told, so that verify loads the file again the same way (absent in packs made before).
  /** The header profile: its copy in the pack, where it was read from, and its SHA-256. */
  profile: z.object({ file: z.string(), source: z.string(), sha256: z.string() }).nullable().optional(),
  sheet: z.string().nullable().optional(),
  full_export: z.boolean().nullable().optional(),
  /** When the export was made, with its UTC offset (e.g. "2025-10-31 18:00:00+08"). */
  exported_at: z.string().nullable().optional(),
  /** exported_at was given with --exported-at (else it is the file's time): only a given one says where the data ends. */
  exported_at_given: z.boolean().nullable().optional(),
});
export type InputEntry = z.infer<typeof inputEntry>;

const engineEntry = z.discriminatedUnion('name', [
  z.object({ name: z.literal('single') }),
  /** buckets: the Dask tasks; local: the LocalCluster's workers, or scheduler: the cluster's address. */
  z.object({ name: z.literal('dask'), buckets: z.number(), local: z.number().optional(), scheduler: z.string().optional() }),
]);
export type EngineEntry = z.infer<typeof engineEntry>;

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  organisation: z.string(),
  quarter: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  as_of: z.string(),
  as_of_rule: z.string(),
  /** The bound on what is known of appeals ("infinity": each month's close); packs made before it: the as-of. */
  appeals_known_by: z.string().optional(),
  timezone: z.string(),
  seed: z.number(),
  /** The page's language (pledge assess --lang); packs made before it was recorded are English. */
  lang: z.enum(['zh', 'en']).optional(),
  tool: z.record(z.string(), z.string()),
  /**
   * How the figures were computed (pledge assess --engine): on one machine, or on Dask, per customer
   * bucket and merged (src/apps/dask.ts). pledge verify re-computes on one machine either way, so a
   * Dask-made pack passes only if its files are the single machine's byte for byte. Absent in packs
   * made before it was recorded: single.
   */
  engine: engineEntry.optional(),
  policy: z.string(),
  calendar: z.string(),
  queries: z.array(z.string()),
  inputs: z.array(inputEntry),
  files: z.array(fileEntry),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function sha256Bytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every file under `dir`, as forward-slash paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function describeFile(dir: string, path: string, role: string, rows?: number): FileEntry {
  const bytes = readFileSync(join(dir, path));
  return { path, sha256: sha256Bytes(bytes), bytes: bytes.length, role, ...(rows === undefined ? {} : { rows }) };
}

export function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new PledgeError(`${dir}: not an assessment pack (no ${MANIFEST_FILE}; write one with pledge assess)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PledgeError(`${file}: cannot read the manifest: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PledgeError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

// Which export column feeds which canonical column. Built-in synonyms cover the
// names real systems write (export-kinds.ts); a profile file (YAML, passed with
// `--profile`) covers the rest: column names, value mappings (电话 → phone,
// 满意 → 100), constant columns, date formats, encoding and sheet. Validated
// once here; errors name the file and the key.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PledgeError } from '../core/errors.ts';
import { foldHeader, type ExportKind } from './kinds.ts';
import { clip, count, LIMITS, limit, overLimit } from './limits.ts';
import { editDistance } from '../core/edit-distance.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const NO_COLUMN_HINT = 'write null for a column this export does not have';
const headerName = z.string().refine((v) => v.trim() !== '', { message: `an empty header name matches nothing: ${NO_COLUMN_HINT}` });
// A header name, several (the first present wins), or null: this export has no such
// column, so neither the canonical name nor a built-in synonym may feed it.
const headerNames = z.union([headerName, z.array(headerName).min(1, { message: `an empty list matches nothing: ${NO_COLUMN_HINT}` }), z.null()])
  .transform((v) => (v === null ? null : Array.isArray(v) ? v : [v]));
// An export value's canonical value; null or "" is no value (e.g. CFPB's "N/A": no score, not a score).
const mappedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));

const profileSchema = z.strictObject({
  description: z.string().optional(),
  /** complaints, events or appeals; default: told from the header (see kindForHeader) */
  kind: z.string().optional(),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
  /** A full export lists every record the system holds: one missing from it later is a finding. */
  full_export: z.boolean().default(false),
  /**
   * canonical column: export header (or several: the first present wins), or null for
   * none. Wins over the built-in synonyms: a header the profile names feeds only that column.
   */
  columns: z.record(z.string(), headerNames).default({}),
  /** canonical column: { export value: canonical value, null or "" for none }, matched after trimming, case-insensitively */
  values: z.record(z.string(), z.record(z.string(), mappedValue)).default({}),
  /** canonical column: value for every row (a column the export does not have) */
  constants: z.record(z.string(), scalar).default({}),
  /** format of every timestamp column, or per column: strptime (%m/%d/%Y) or MM/DD/YYYY HH:mm, or "excel" */
  date_format: z.string().optional(),
  date_formats: z.record(z.string(), z.string()).default({}),
});
export type Profile = z.infer<typeof profileSchema> & {
  path?: string;
  /** The file's text exactly as read: the warehouse keeps it, so an assessment pack can carry what ingest was told. */
  text?: string;
};

export const EMPTY_PROFILE: Profile = profileSchema.parse({});

export function loadProfile(path: string): Profile {
  let text: string;
  try {
    text = readFileSync(path).toString('utf8');
  } catch {
    throw new PledgeError(`${path}: no such profile file`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new PledgeError(`${path}: not valid YAML: ${clip((e as Error).message.split('\n')[0])}`);
  }
  checkValueSizes(data, path);
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PledgeError(`${path}: ${issue.path.map((k) => clip(String(k))).join('.') || '(top)'}: ${clip(issue.message, 300)}`);
  }
  return { ...parsed.data, path, text };
}

/**
 * Every name and value in the profile (keys too) within LIMITS.profileValue. A constant is
 * bound into every row and a value map is joined against every value, so one huge value
 * costs its size times the rows (a 15 MB constant: 20 GB, then DuckDB out of memory).
 * The description is prose nobody copies and is not limited.
 */
function checkValueSizes(data: unknown, path: string): void {
  const max = limit(LIMITS.profileValue);
  const walk = (v: unknown, at: string[]): void => {
    const where = () => at.map((k) => clip(k, 40)).join('.') || '(top)';
    if (typeof v === 'string' && v.length > max) {
      throw new PledgeError(`${path}: ${where()}: a value of ${count(v.length)} characters, ${overLimit(LIMITS.profileValue)}: "${clip(v)}"`);
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k.length > max) throw new PledgeError(`${path}: ${where()}: a name of ${count(k.length)} characters, ${overLimit(LIMITS.profileValue)}: "${clip(k)}"`);
      if (at.length === 0 && k === 'description') continue;
      walk(x, [...at, k]);
    }
  };
  walk(data, []);
}

/** Checks the profile's canonical names against the kind, so a typo is an error, not a silent no-op. */
export function checkProfileAgainstKind(profile: Profile, kind: ExportKind): void {
  const where = profile.path ?? 'profile';
  const known = Object.keys(kind.columns);
  for (const key of ['columns', 'values', 'constants', 'date_formats'] as const) {
    for (const c of Object.keys(profile[key])) {
      if (!known.includes(c)) {
        throw new PledgeError(`${where}: ${key}.${c}: "${c}" is not a ${kind.name} column (columns: ${known.join(', ')})`);
      }
    }
  }
  for (const [c, fmt] of Object.entries(profile.date_formats)) {
    if (kind.columns[c] !== 'TIMESTAMPTZ') throw new PledgeError(`${where}: date_formats.${c}: "${c}" is not a timestamp column`);
    dateFormat(fmt, `${where}: date_formats.${c}`);
  }
  if (profile.date_format) dateFormat(profile.date_format, `${where}: date_format`);
}

/**
 * "MM/DD/YYYY hh:mm:ss A" or a strptime format "%m/%d/%Y %I:%M:%S %p" → strptime
 * format; "excel" stays "excel" (serial day numbers).
 */
export function dateFormat(text: string, where: string): string {
  const t = text.trim();
  if (t.toLowerCase() === 'excel') return 'excel';
  if (t.includes('%')) return t;
  const tokens: [RegExp, string][] = [
    [/YYYY/g, '%Y'], [/MM/g, '%m'], [/DD/g, '%d'], [/HH/g, '%H'], [/hh/g, '%I'], [/mm/g, '%M'], [/ss/g, '%S'], [/\bA\b/g, '%p'],
  ];
  let out = t;
  for (const [re, to] of tokens) out = out.replace(re, to);
  if (!out.includes('%')) throw new PledgeError(`${where}: "${text}" is not a date format (try "MM/DD/YYYY", "DD/MM/YYYY HH:mm" or "%m/%d/%Y")`);
  return out;
}

export interface ColumnSource {
  column: string;
  /** Index of the export column feeding it; null when a constant or absent. */
  index: number | null;
  header?: string;
  how: 'canonical name' | 'synonym' | 'profile' | 'constant';
  constant?: string;
}

export interface HeaderMapping {
  sources: ColumnSource[];
  /** Export headers no canonical column takes. */
  unused: string[];
  /** Columns the profile says this export does not have (columns: { x: null }). */
  none: string[];
}

/**
 * Maps the export's header to the kind's columns. The profile decides first: its
 * constants, its names, and its nulls ("this export has no such column"); a header it
 * names feeds that column only. The columns it leaves out take the canonical name, else
 * the first built-in synonym the header has, among the headers the profile left free,
 * each compared after folding. Two columns fed by one header is an error naming the fix.
 *
 * Two header columns with one name, one of them read, would drop the other without a word
 * (a renamed phone column vanished): an error naming both, unless the profile picks one by
 * its position ("#27", 1-based); the other is then listed as not used.
 */
export function mapHeader(header: string[], kind: ExportKind, profile: Profile, file: string): HeaderMapping {
  const where = profile.path ?? 'profile';
  const long = header.findIndex((h) => h.length > limit(LIMITS.field));
  if (long >= 0) throw new PledgeError(`${file}: line 1: header field ${long + 1} is ${count(header[long].length)} characters, ${overLimit(LIMITS.field)}: "${clip(header[long])}"`);
  const folded = header.map(foldHeader);
  const taken = new Map<number, string>();
  const found = new Map<string, ColumnSource>();
  const none: string[] = [];
  /** Columns the profile picked by position, and the same-named ones it thereby left out. */
  const chosen = new Set<number>();
  const passedOver = new Set<number>();
  const find = (names: string[], free: (i: number) => boolean) => {
    for (const n of names) {
      const f = foldHeader(n);
      const i = folded.findIndex((h, j) => h === f && free(j));
      if (i >= 0) return i;
    }
    return -1;
  };
  // "#27" is the 27th column, unless a header is literally called "#27".
  const position = (names: string[]) => {
    for (const n of names) {
      const m = /^#(\d+)$/.exec(n.trim());
      if (m && !header.includes(n.trim()) && Number(m[1]) >= 1 && Number(m[1]) <= header.length) return Number(m[1]) - 1;
    }
    return -1;
  };
  const columns = Object.keys(kind.columns);
  for (const column of columns) {
    const constant = profile.constants[column];
    if (constant !== undefined) {
      found.set(column, { column, index: null, how: 'constant', constant });
      continue;
    }
    if (!(column in profile.columns)) continue;
    const names = profile.columns[column];
    if (names === null) { none.push(column); continue; }
    const at = position(names);
    const index = at >= 0 ? at : find(names, () => true);
    if (index < 0) {
      throw new PledgeError(`${file}: line 1: ${where} maps ${column} to ${names.map((h) => `"${clip(h)}"`).join(' or ')}, which the header does not have (header has: ${headerList(header)})`);
    }
    const other = taken.get(index);
    if (other) throw new PledgeError(`${file}: line 1: ${where} maps both ${other} and ${column} to "${clip(header[index])}"; one header feeds one column`);
    taken.set(index, column);
    if (at >= 0) chosen.add(index);
    found.set(column, { column, index, header: header[index], how: 'profile' });
  }
  for (const i of chosen) folded.forEach((f, j) => { if (j !== i && f === folded[i] && !chosen.has(j)) passedOver.add(j); });
  const byProfile = new Set(taken.keys());
  const free = (i: number) => !byProfile.has(i) && !passedOver.has(i);
  for (const column of columns) {
    if (found.has(column) || column in profile.columns) continue;
    let how: ColumnSource['how'] = 'canonical name';
    let index = find([column], free);
    if (index < 0) { index = find(kind.synonyms[column] ?? [], free); how = 'synonym'; }
    if (index < 0) continue;
    const other = taken.get(index);
    if (other) {
      throw new PledgeError(`${file}: line 1: column "${clip(header[index])}" would feed both ${other} and ${column}; say which in the profile: `
        + `columns: { ${column}: "${clip(header[index])}", ${other}: null } (null: this export has no such column), or the other way round`);
    }
    taken.set(index, column);
    found.set(column, { column, index, header: header[index], how });
  }
  for (const [i, column] of taken) {
    if (chosen.has(i) || folded[i] === '') continue;
    const j = folded.findIndex((f, k) => k !== i && f === folded[i] && !taken.has(k));
    if (j < 0) continue;
    const second = header[j] === header[i] ? '' : ` ("${clip(header[j])}")`;
    throw new PledgeError(`${file}: line 1: the header has "${clip(header[i])}" twice, column ${i + 1} and column ${j + 1}${second}: `
      + `${column} would read column ${i + 1} and column ${j + 1} would be dropped. Rename one in the export, or choose in the profile: `
      + `columns: { ${column}: "#${j + 1}" } (a column by its position, 1-based; the other is then not used)`);
  }
  const sources = columns.filter((c) => found.has(c)).map((c) => found.get(c)!);
  const missing = kind.required.filter((c) => !found.has(c));
  const switchedOff = missing.filter((c) => none.includes(c));
  if (switchedOff.length) throw new PledgeError(`${where}: columns.${switchedOff[0]}: null, but every ${kind.name} export needs ${switchedOff[0]}`);
  if (missing.length) throw new PledgeError(missingColumnsMessage(missing, header, kind, file));
  return { sources, unused: header.filter((_, i) => !taken.has(i)), none };
}

/** The header for an error message: each name clipped, at most 60 of them. */
function headerList(header: string[]): string {
  const shown = header.slice(0, 60).map((h) => `"${clip(h)}"`).join(', ');
  return (shown || 'nothing') + (header.length > 60 ? `, … (${count(header.length)} columns)` : '');
}

function missingColumnsMessage(missing: string[], header: string[], kind: ExportKind, file: string): string {
  const parts = missing.map((c) => {
    const names = [c, ...(kind.synonyms[c] ?? [])].map(foldHeader);
    // A header name past a few hundred characters is no column name: its first 200 are enough to rank it.
    const ranked = header
      .map((h) => ({ h, d: Math.min(...names.map((n) => editDistance(foldHeader(h.slice(0, 200)), n) / Math.max(n.length, 1))) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => `"${clip(x.h)}"`);
    return `${c} (closest: ${ranked.join(', ') || 'none'})`;
  });
  return `${file}: line 1: required column${missing.length > 1 ? 's' : ''} not found: ${parts.join('; ')}. `
    + `Header has: ${headerList(header)}. `
    + `Map them in a profile file (columns: { ${missing[0]}: "<export header>" }) and pass --profile`;
}


// Which export column feeds which canonical column. Built-in synonyms cover the
// names real systems write (export-kinds.ts); a profile file (YAML, passed with
// `--profile`) covers the rest: column names, value mappings (电话 → phone,
// 满意 → 100), constant columns, date formats, encoding and sheet. Validated
// once here; errors name the file and the key.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PledgeError } from './errors.ts';
import { foldHeader, type ExportKind } from './export-kinds.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const headerNames = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const profileSchema = z.strictObject({
  description: z.string().optional(),
  /** complaints or events; default: told from the header (see kindForHeader) */
  kind: z.string().optional(),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
  /** A full export lists every record the system holds: one missing from it later is a finding. */
  full_export: z.boolean().default(false),
  /** canonical column: export header (or several: the first present wins) */
  columns: z.record(z.string(), headerNames).default({}),
  /** canonical column: { export value: canonical value }, matched after trimming, case-insensitively */
  values: z.record(z.string(), z.record(z.string(), scalar)).default({}),
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
    throw new PledgeError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PledgeError(`${path}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return { ...parsed.data, path, text };
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
}

/**
 * Maps the export's header to the kind's columns: the profile's names first, then
 * the canonical name, then the built-in synonyms, each compared after folding.
 */
export function mapHeader(header: string[], kind: ExportKind, profile: Profile, file: string): HeaderMapping {
  const folded = header.map(foldHeader);
  const taken = new Map<number, string>();
  const sources: ColumnSource[] = [];
  const find = (names: string[]) => {
    for (const n of names) {
      const i = folded.indexOf(foldHeader(n));
      if (i >= 0) return i;
    }
    return -1;
  };
  for (const column of Object.keys(kind.columns)) {
    const constant = profile.constants[column];
    let index = -1;
    let how: ColumnSource['how'] = 'canonical name';
    if (profile.columns[column]) {
      index = find(profile.columns[column]);
      how = 'profile';
      if (index < 0) {
        throw new PledgeError(`${file}: line 1: ${profile.path ?? 'profile'} maps ${column} to ${profile.columns[column].map((h) => `"${h}"`).join(' or ')}, which the header does not have (header has: ${header.join(', ')})`);
      }
    } else if (constant === undefined) {
      index = find([column]);
      if (index < 0) { index = find(kind.synonyms[column] ?? []); how = 'synonym'; }
    }
    if (constant !== undefined) {
      sources.push({ column, index: null, how: 'constant', constant });
      continue;
    }
    if (index < 0) continue;
    const other = taken.get(index);
    if (other) {
      throw new PledgeError(`${file}: line 1: column "${header[index]}" would feed both ${other} and ${column}; name one of them in the profile (columns: { ${column}: … })`);
    }
    taken.set(index, column);
    sources.push({ column, index, header: header[index], how });
  }
  const missing = kind.required.filter((c) => !sources.some((s) => s.column === c));
  if (missing.length) throw new PledgeError(missingColumnsMessage(missing, header, kind, file));
  return { sources, unused: header.filter((_, i) => !taken.has(i)) };
}

function missingColumnsMessage(missing: string[], header: string[], kind: ExportKind, file: string): string {
  const parts = missing.map((c) => {
    const names = [c, ...(kind.synonyms[c] ?? [])].map(foldHeader);
    const ranked = header
      .map((h) => ({ h, d: Math.min(...names.map((n) => editDistance(foldHeader(h), n) / Math.max(n.length, 1))) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => `"${x.h}"`);
    return `${c} (closest: ${ranked.join(', ') || 'none'})`;
  });
  return `${file}: line 1: required column${missing.length > 1 ? 's' : ''} not found: ${parts.join('; ')}. `
    + `Header has: ${header.map((h) => `"${h}"`).join(', ') || 'nothing'}. `
    + `Map them in a profile file (columns: { ${missing[0]}: "<export header>" }) and pass --profile`;
}

/** Levenshtein distance, on code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a], y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

// The house by concern: src/ is one folder per layer, and an import may only
// run down. This file holds the order (the README's Layout section describes
// it); the test reads every import in src/ (static, `export … from`, `import
// type` and dynamic `import('…')` alike) and fails on:
//   - an import from a folder to one of the same rank or above (ingest/ and
//     models/ stand side by side and may not import each other),
//   - a circle of files importing each other,
//   - a folder of src/, test/ or bench/ holding more than 15 source files directly,
//   - an import of anything outside src/ but data/generate.ts (the demo's
//     generator, run by `pledge demo`) and packages.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT } from './support/cli.ts';

/** Each folder of src/ and its rank: a file may import only files of its own folder or of a lower rank. */
export const LAYERS: Record<string, number> = {
  core: 0,        // errors, SQL text, escaping, atomic files, timings, the project's root
  warehouse: 1,   // the DuckDB connection, its schema, the policy and calendar it is measured against
  privacy: 2,     // masking, pseudonym keys, the personal file, the upgrade that keeps personal data apart
  ingest: 3,      // reading exports: decode, records, kinds, header profiles, typed values, loading
  models: 3,      // the SQL files: catalogue, headers, errors, stored facts, sessions, data tests, closed months
  outputs: 4,     // query results as files (csv, json, parquet, arrow), the portable lake, publishing folders
  reports: 4,     // pages, panels, labels, charts, print
  apps: 5,        // preview, sql shell, policy what-if, validate, assessment pack and verify
  cli: 6,         // the command line
};
const OUTSIDE_ALLOWED = new Set(['data/generate.ts']);
const MAX_FILES_PER_FOLDER = 15;

const SRC = join(ROOT, 'src');
const sources = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const p = join(dir, name);
  return statSync(p).isDirectory() ? sources(p) : /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
});
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;

interface Edge { from: string; to: string }
function edges(): Edge[] {
  return sources(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(IMPORT)]
    .map((m) => ({ from: relative(ROOT, file), to: relative(ROOT, normalize(join(dirname(file), m[2]))) })));
}
const layerOf = (path: string): string | undefined => (path.startsWith('src/') ? path.split('/')[1] : undefined);

describe('the layers of src/', () => {
  const all = edges();

  it('every folder of src/ has a rank', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
    expect(readdirSync(SRC).filter((n) => !statSync(join(SRC, n)).isDirectory())).toEqual([]);
  });

  it('imports run only downward (or within a folder)', () => {
    const wrong = all.filter(({ from, to }) => {
      const a = layerOf(from)!, b = layerOf(to);
      if (b === undefined) return !OUTSIDE_ALLOWED.has(to);
      return a !== b && LAYERS[b] >= LAYERS[a];
    }).map(({ from, to }) => `${from} -> ${to}`);
    expect(wrong).toEqual([]);
  });

  it('no circle of imports', () => {
    const next = new Map<string, string[]>();
    for (const { from, to } of all) next.set(from, [...(next.get(from) ?? []), to]);
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') { circles.push([...path.slice(path.indexOf(f)), f].join(' -> ')); return; }
      state.set(f, 'open');
      for (const t of next.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of next.keys()) visit(f, []);
    expect(circles).toEqual([]);
  });

  it(`no folder of src/, test/ or bench/ holds more than ${MAX_FILES_PER_FOLDER} source files directly`, () => {
    const count = new Map<string, number>();
    const tests = sources(join(ROOT, 'test')).filter((f) => !f.includes(`${join('test', 'fixtures')}`));
    for (const f of [...sources(SRC), ...tests, ...sources(join(ROOT, 'bench'))]) count.set(dirname(f), (count.get(dirname(f)) ?? 0) + 1);
    expect([...count].filter(([, n]) => n > MAX_FILES_PER_FOLDER).map(([d, n]) => `${relative(ROOT, d)}: ${n}`)).toEqual([]);
  });

  it('the check sees imports of every form', () => {
    // A self-test of the pattern on the four forms the code uses, so a missed form cannot pass silently.
    const text = `import { a } from './a.ts';\nimport type { B } from '../b.ts';\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport './e.ts';`;
    expect([...text.matchAll(IMPORT)].map((m) => m[2])).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts']);
  });
});

// Faults and hostile folders around outputs (issue 18, cases 1, 2 and 4), through the real
// CLI on a small seeded demo (200 complaints): a folder is replaced only when Pledge can
// prove it wrote it, and a set of outputs (a month's reports, an assessment pack, a
// Parquet export) is published as a whole (src/outputs/publish.ts). Kills come from the
// test-only hook PLEDGE_TEST_KILL_AT (testKillPoint), which SIGKILLs the process at the
// named moment; the full disk is a real one (a 1 MiB-scale tmpfs) where the machine lets
// the test mount it, and a size-limited process (ulimit -f) everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-faults-out-');
const warehouse = join(dir, 'w.duckdb');
const out = join(dir, 'out');

interface Result { code: number | null; signal: string | null; stdout: string; stderr: string }

/** The CLI with extra environment (the kill hook) or through a shell (ulimit). */
function cli(args: string[], env: Record<string, string> = {}, shellPrefix?: string): Result {
  const node = [process.execPath, join(ROOT, 'bin', 'pledge.mjs'), ...args];
  const r = shellPrefix
    ? spawnSync('bash', ['-c', `${shellPrefix}; exec "$@"`, 'bash', ...node], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } })
    : spawnSync(node[0], node.slice(1), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `d` (dot files too) → its SHA-256: two equal snapshots are byte for byte the same set. */
function snapshot(d: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) walk(f);
      else files[relative(d, f)] = createHash('sha256').update(readFileSync(f)).digest('hex');
    }
  };
  walk(d);
  return files;
}

/** What publishing leaves beside a folder while it works: ".NAME.partial-PID", ".NAME.old-PID". */
const leftovers = (parent: string, name: string) => readdirSync(parent).filter((f) => f.startsWith(`.${name}.`)).sort();

/**
 * Temporary files anywhere under `d` (what an interrupted per-file write leaves), and empty pages
 * or Parquet files (a CSV of a list with no columns may rightly be empty).
 */
function debris(d: string): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.tmp') || (/\.(html|parquet)$/.test(e.name) && statSync(f).size === 0)) found.push(relative(d, f));
    }
  };
  walk(d);
  return found;
}

/** A PID no process has: a child that has already exited (PIDs are not reused this fast). */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid!;
}

beforeAll(() => {
  pledgeOk(['demo', '--complaints', '200', '--dir', join(dir, 'exports'), '--warehouse', warehouse, '--out', out]);
});

describe('case 1: only a folder Pledge wrote is replaced', () => {
  it('refuses a folder whose manifest.json is not a pack\'s, names the folder and why, and deletes nothing', () => {
    const d = join(dir, 'app');
    mkdirSync(join(d, 'src'), { recursive: true });
    writeFileSync(join(d, 'manifest.json'), '{}\n');
    writeFileSync(join(d, 'src', 'app.js'), 'code\n');
    const r = cli(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', d]);
    expect(r.code).toBe(1);
    // The manifest is read strictly: "{}" has no format field, so it is not Pledge's.
    expect(r.stderr).toContain(`pledge: ${d}: holds files but no assessment pack written by Pledge (${join(d, 'manifest.json')}: format:`);
    expect(r.stderr).toContain('it was left as it is: choose an empty or new folder');
    expect(readFileSync(join(d, 'src', 'app.js'), 'utf8')).toBe('code\n');
    expect(readFileSync(join(d, 'manifest.json'), 'utf8')).toBe('{}\n');
    expect(leftovers(dir, 'app')).toEqual([]);
  });

  it('refuses a real pack someone added a file to, naming the file', () => {
    const d = join(dir, 'pack-added');
    pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', d]);
    writeFileSync(join(d, 'evidence', 'my-notes.txt'), 'mine\n');
    const r = cli(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 file(s) its manifest.json does not list: evidence/my-notes.txt');
    expect(readFileSync(join(d, 'evidence', 'my-notes.txt'), 'utf8')).toBe('mine\n');
  }, 120_000);

  it('refuses a month folder without the marker of a report set, or with another kind\'s marker', () => {
    const o = join(dir, 'out-hostile');
    mkdirSync(join(o, '2025-10'), { recursive: true });
    writeFileSync(join(o, '2025-10', 'index.html'), '<p>my own page</p>\n');
    const r = cli(['run', '--month', '2025-10', '--warehouse', warehouse, '--out', o]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pledge: ${join(o, '2025-10')}: holds files but no reports of 2025-10 written by Pledge (no .pledge-output file)`);
    writeFileSync(join(o, '2025-10', '.pledge-output'), '{"pledge_output":"assessment-pack","id":"2025Q3"}\n');
    const r2 = cli(['run', '--month', '2025-10', '--warehouse', warehouse, '--out', o]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('.pledge-output says "assessment-pack", not "report-month"');
    expect(readFileSync(join(o, '2025-10', 'index.html'), 'utf8')).toBe('<p>my own page</p>\n');
    expect(leftovers(o, '2025-10')).toEqual([]);
  });
});

describe('case 2: a pack is swapped in whole', () => {
  const pack = join(dir, 'pack');

  it('killed between the two renames, leaves the old pack whole beside it and the new one whole; the next assess puts things right', () => {
    pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', pack]);
    const before = snapshot(pack);
    const seed = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).seed;

    const r = cli(['assess', '--quarter', '2025Q3', '--seed', '7', '--warehouse', warehouse, '--out', pack], { PLEDGE_TEST_KILL_AT: 'publish:swap' });
    expect(r.signal).toBe('SIGKILL');
    // The one instant the folder is absent: the old pack is moved aside, the new one not yet in.
    expect(existsSync(pack)).toBe(false);
    const left = leftovers(dir, 'pack');
    expect(left).toHaveLength(2);
    const aside = left.find((f) => /^\.pack\.old-\d+$/.test(f))!;
    const partial = left.find((f) => /^\.pack\.partial-\d+$/.test(f))!;
    expect(snapshot(join(dir, aside))).toEqual(before);   // the old pack, every file as it was
    // The new pack is complete: every file its manifest lists has the SHA-256 it gives.
    const fresh = JSON.parse(readFileSync(join(dir, partial, 'manifest.json'), 'utf8'));
    expect(fresh.seed).toBe(7);
    const freshFiles = snapshot(join(dir, partial));
    for (const f of fresh.files) expect(freshFiles[f.path], f.path).toBe(f.sha256);

    // A leftover of a process still alive (this test runner) is another run at work: left alone.
    const busy = join(dir, `.pack.partial-${process.pid}`);
    mkdirSync(busy);
    const again = cli(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', pack]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`put back the set a killed run (process ${aside.split('-').at(-1)}) had moved aside`);
    expect(leftovers(dir, 'pack')).toEqual([`.pack.partial-${process.pid}`]);
    // Same warehouse, same seed: the new pack is the old one byte for byte.
    expect(JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).seed).toBe(seed);
    expect(snapshot(pack)).toEqual(before);
  }, 180_000);

  it('removes the leftovers of a dead process and keeps the pack when the swap had completed', () => {
    const dead = deadPid();
    for (const f of [`.pack.partial-${dead}`, `.pack.old-${dead}`]) {
      mkdirSync(join(dir, f, 'evidence'), { recursive: true });
      writeFileSync(join(dir, f, 'evidence', 'kpi.csv'), '');   // a 0-byte file, as a kill mid-write leaves
    }
    const before = snapshot(pack);
    const r = cli(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', pack]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('put back');   // the folder was there: the old one aside was garbage
    expect(leftovers(dir, 'pack')).toEqual([`.pack.partial-${process.pid}`]);
    expect(snapshot(pack)).toEqual(before);
  }, 120_000);
});

describe('case 4: a month\'s reports are published as a set', () => {
  const monthDir = join(out, '2025-10');

  it('killed mid-run, leaves the earlier set exactly as it was; the next run publishes a whole new set and leaves no debris', () => {
    const before = snapshot(monthDir);
    expect(Object.keys(before)).toContain('.pledge-output');
    expect(readFileSync(join(monthDir, 'index.html'), 'utf8')).toContain('<html lang="zh-CN">');

    const r = cli(['run', '--month', '2025-10', '--lang', 'en', '--warehouse', warehouse, '--out', out], { PLEDGE_TEST_KILL_AT: 'run:dashboard' });
    expect(r.signal).toBe('SIGKILL');
    expect(snapshot(monthDir)).toEqual(before);   // not one page new beside old ones
    const [partial] = leftovers(out, '2025-10');
    expect(partial).toMatch(/^\.2025-10\.partial-\d+$/);
    expect(existsSync(join(out, partial, 'index.html'))).toBe(true);   // the kill came after the dashboard, before the reviews
    expect(existsSync(join(out, partial, 'team'))).toBe(false);

    const again = cli(['run', '--month', '2025-10', '--lang', 'en', '--warehouse', warehouse, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(leftovers(out, '2025-10')).toEqual([]);
    expect(debris(out)).toEqual([]);
    // The whole set is the new one: every page in English, none left from the Chinese run.
    const pages = Object.keys(snapshot(monthDir)).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBe(Object.keys(before).filter((f) => f.endsWith('.html')).length);
    for (const p of pages) expect(readFileSync(join(monthDir, p), 'utf8'), p).toContain('<html lang="en">');
    expect(again.stdout.trim().split('\n').at(-1)).toBe(join(monthDir, 'index.html'));
  });

  it('names the path it could not write when --out lies under a file', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x\n');
    const r = cli(['run', '--month', '2025-10', '--warehouse', warehouse, '--out', join(file, 'reports')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pledge: ${join(file, 'reports')}: cannot write: not a directory (ENOTDIR)`);
  });

  it('names the file being written when the process may not write more (ulimit -f), and leaves the earlier set', () => {
    const before = snapshot(monthDir);
    // 64 KiB: below the dashboard page (the chart library is inlined), above what the read-only session writes.
    const dashboardBytes = statSync(join(monthDir, 'index.html')).size;
    expect(dashboardBytes).toBeGreaterThan(64 * 1024);
    const r = cli(['run', '--month', '2025-10', '--lang', 'en', '--warehouse', warehouse, '--out', out], {}, 'ulimit -f 64');
    expect(r.code).toBe(1);
    // The first file past 64 KiB: the dashboard page or one of the CSVs written before it.
    expect(r.stderr).toMatch(new RegExp(`^pledge: ${esc(out)}/\\.2025-10\\.partial-\\d+/\\S+: cannot write: file too large \\(EFBIG\\); nothing was published \\(${esc(monthDir)} is as it was\\)$`, 'm'));
    expect(snapshot(monthDir)).toEqual(before);
    expect(leftovers(out, '2025-10')).toEqual([]);
    expect(debris(out)).toEqual([]);
  });

  describe('on a full disk (a small tmpfs; needs root, skipped where mounting is not allowed)', () => {
    const mnt = join(dir, 'tmpfs');
    let mounted = false;
    beforeAll(() => {
      mkdirSync(mnt);
      // Room for one month's set (measured from the demo run) and half another: the second run fills it.
      const bytes = Object.keys(snapshot(monthDir)).reduce((s, f) => s + statSync(join(monthDir, f)).size, 0);
      const size = Math.ceil(bytes * 1.5 / 4096) * 4096 + 64 * 4096;
      mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]).status === 0;
    });
    afterAll(() => { if (mounted) spawnSync('umount', [mnt]); });

    it('says "no space left on device" with the file, and leaves the earlier set whole', (ctx) => {
      if (!mounted) ctx.skip();
      const o = join(mnt, 'out');
      pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--out', o]);
      const before = snapshot(join(o, '2025-10'));
      const r = cli(['run', '--month', '2025-10', '--lang', 'en', '--warehouse', warehouse, '--out', o]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^pledge: ${esc(o)}/\\.2025-10\\.partial-\\d+/\\S+: cannot write: no space left on device \\(ENOSPC\\); nothing was published \\(${esc(join(o, '2025-10'))} is as it was\\)$`, 'm'));
      expect(snapshot(join(o, '2025-10'))).toEqual(before);
      expect(leftovers(o, '2025-10')).toEqual([]);
      expect(debris(o)).toEqual([]);
    });
  });
});

describe('case 4: the Parquet export is published as a whole', () => {
  const parquet = join(dir, 'parquet');

  it('killed mid-export, leaves no folder at the target; the rerun cleans up and writes every row', () => {
    const r = cli(['export', '--parquet', parquet, '--warehouse', warehouse], { PLEDGE_TEST_KILL_AT: 'export:versions' });
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(parquet)).toBe(false);
    expect(leftovers(dir, 'parquet')).toHaveLength(1);

    const again = cli(['export', '--parquet', parquet, '--warehouse', warehouse]);
    expect(again.code, again.stderr).toBe(0);
    expect(leftovers(dir, 'parquet')).toEqual([]);
    expect(debris(parquet)).toEqual([]);
    // Every version the warehouse holds is in the export, counted by DuckDB's own Parquet reader.
    const [counts] = pledgeJson<{ in_parquet: number; in_warehouse: number }>(['query', '--warehouse', warehouse,
      `select (select count(*) from read_parquet('${join(parquet, 'complaint_versions', '*', '*', '*.parquet')}', hive_partitioning = true)) as in_parquet,
              (select count(*) from complaint_versions) as in_warehouse`]);
    expect(counts.in_parquet).toBe(counts.in_warehouse);
    expect(counts.in_parquet).toBeGreaterThan(0);
  });

  it('still refuses an earlier export (a new or empty folder only) and a read-only parent names its path', () => {
    const r = cli(['export', '--parquet', parquet, '--warehouse', warehouse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pledge: ${parquet}: not empty; it was left as it is: export into a new or empty folder (nothing was written)`);
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const asRoot = process.getuid?.() === 0;   // root writes into a 0500 folder all the same
      const r2 = cli(['export', '--parquet', join(locked, 'p'), '--warehouse', warehouse]);
      if (asRoot) expect(r2.code, r2.stderr).toBe(0);
      else {
        expect(r2.code).toBe(1);
        expect(r2.stderr).toContain(`pledge: ${join(locked, '.p.partial-')}`);
        expect(r2.stderr).toContain('cannot write: permission denied (EACCES)');
      }
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

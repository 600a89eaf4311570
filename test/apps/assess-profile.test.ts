// An assessment pack built from exports that needed telling how to read them: a
// header profile with value mappings (profile-mapping.csv + .yaml, loaded as a
// full export with a given export time) and a GB18030 file with Chinese headers
// (encoding given with --encoding). The pack carries the profile as ingest read
// it and records each input's options; pledge verify loads every input again
// the same way, and names a profile copy changed by one byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeOk, tempDir } from '../support/cli.ts';

const CORPUS = join(FIXTURES, 'corpus');
const dir = tempDir('pledge-assess-profile-');
const exportsDir = join(dir, 'exports');
const profileFile = join(dir, 'profiles-in-use', 'profile-mapping.yaml');
const warehouse = join(dir, 'warehouse.duckdb');
const pack = join(dir, 'pack');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const manifest = () => JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
const profileBytes = readFileSync(join(CORPUS, 'profile-mapping.yaml'));

beforeAll(() => {
  mkdirSync(exportsDir, { recursive: true });
  mkdirSync(join(dir, 'profiles-in-use'), { recursive: true });
  for (const f of ['profile-mapping.csv', 'gb18030-chinese-headers.csv']) copyFileSync(join(CORPUS, f), join(exportsDir, f));
  copyFileSync(join(CORPUS, 'profile-mapping.yaml'), profileFile);
  pledgeOk(['ingest', join(exportsDir, 'profile-mapping.csv'), '--profile', profileFile, '--full', '--exported-at', '2025-10-31 18:00',
    '--warehouse', warehouse]);
  pledgeOk(['ingest', join(exportsDir, 'gb18030-chinese-headers.csv'), '--encoding', 'gb18030', '--warehouse', warehouse]);
  // Edited after ingest: the pack must carry what ingest read, not what the file says now.
  writeFileSync(profileFile, '# edited later\n' + profileBytes.toString('utf8'));
  pledgeOk(['assess', '--quarter', '2025Q4', '--warehouse', warehouse, '--out', pack]);
});

describe('an assessment pack of profiled exports', () => {
  it('records per input exactly what ingest was told, and carries the profile as it was read', () => {
    const m = manifest();
    const [profiled, gb] = m.inputs;
    expect(profiled.file_name).toBe('profile-mapping.csv');
    // SHA-256 of the fixture's bytes, computed here: the profile before the later edit.
    expect(profiled.profile).toEqual({ file: 'profiles/profile-mapping.yaml', source: profileFile, sha256: sha256(profileBytes) });
    expect(readFileSync(join(pack, 'profiles', 'profile-mapping.yaml'))).toEqual(profileBytes);
    expect(m.files).toContainEqual(expect.objectContaining({ path: 'profiles/profile-mapping.yaml', role: 'profile', sha256: sha256(profileBytes) }));
    expect(profiled.encoding).toBe('utf-8');
    expect(profiled.full_export).toBe(true);
    // 2025-10-31 18:00 local to the policy zone (Asia/Shanghai, UTC+8).
    expect(profiled.exported_at).toBe('2025-10-31 18:00:00+08');
    // corpus README, by hand: P1–P4 load, P5's 很好 has no mapping → 5 · 4 · 1.
    expect([profiled.rows_read, profiled.rows_loaded, profiled.rows_rejected]).toEqual([5, 4, 1]);

    expect(gb.file_name).toBe('gb18030-chinese-headers.csv');
    expect(gb.profile).toBeNull();
    expect(gb.encoding).toBe('gb18030');
    expect(gb.full_export).toBe(false);
    expect([gb.rows_read, gb.rows_loaded, gb.rows_rejected]).toEqual([3, 3, 0]);
  });

  it('cannot be loaded again without its profile: the options are needed', () => {
    const r = pledge(['ingest', join(exportsDir, 'profile-mapping.csv'), '--warehouse', join(dir, 'plain.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/required column not found: received_at/);
  });

  it('verifies: every input loaded again with its own options gives the same pack', () => {
    const r = pledge(['verify', pack, '--inputs', exportsDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('match     profiles/profile-mapping.yaml\n');
    expect(r.stdout).toContain('match     input profile-mapping.csv\n');
    expect(r.stdout).toContain('match     input gb18030-chinese-headers.csv\n');
    expect(r.stdout).toContain('match     re-computation\n');
    expect(r.stdout).not.toContain('MISMATCH');
  });

  it('names the profile copy when one byte of it changed', () => {
    const copy = join(dir, 'pack-profile-tampered');
    cpSync(pack, copy, { recursive: true });
    const file = join(copy, 'profiles', 'profile-mapping.yaml');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('不满意: 40')) + Buffer.byteLength('不满意: ');   // 40 → 50
    expect(bytes[at]).toBe(0x34);
    bytes[at] = 0x35;
    writeFileSync(file, bytes);
    const r = pledge(['verify', copy, '--inputs', exportsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISMATCH {2}profiles\/profile-mapping\.yaml: SHA-256 differs from the manifest/m);
    expect(r.stdout).toMatch(/^MISMATCH {2}input profile-mapping\.csv: its profile profiles\/profile-mapping\.yaml is not the one it was loaded with/m);
    expect(r.stdout).toContain('match     input gb18030-chinese-headers.csv\n');
    expect(r.stderr).toContain('profiles/profile-mapping.yaml');
  });
});

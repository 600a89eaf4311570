// The quarterly assessment pack end to end, through the real CLI on a small
// seeded demo (3,000 complaints): pledge assess writes the pack, pledge verify
// re-computes it from the export files, and every tampering is caught and
// named. The sample and the quarter's KPIs are re-derived here independently:
// the sample from the draw rule written on the page (SHA-256 of "<seed>:<id>"),
// the KPIs from the raw export files and the per-complaint statuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { pledge, pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { parsePolicy } from '../../src/warehouse/policy.ts';
import { createRequire } from 'node:module';

const { isWorkday } = createRequire(import.meta.url)('chinese-days') as { isWorkday(d: string): boolean };

const dir = tempDir('pledge-assess-');
const exportsDir = join(dir, 'exports');
const warehouse = join(dir, 'warehouse.duckdb');
const packA = join(dir, 'pack-a');
const packB = join(dir, 'pack-b');
const packSeed7 = join(dir, 'pack-seed7');
const AS_OF = '2025-10-01 00:00:00';          // end of 2025Q3, local (Asia/Shanghai)
const MONTHS = ['2025-07', '2025-08', '2025-09'];
const policyYaml = parseYaml(readFileSync(join(ROOT, 'data', 'policy.yaml'), 'utf8'));
const SAMPLE = policyYaml.assessment.sample as { size: number; strata: string[]; min_per_stratum: number; seed: number };

type Csv = Record<string, string>[];
const readCsv = (file: string): Csv => parse(readFileSync(file), { columns: true }) as Csv;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let assessOut: string;

beforeAll(() => {
  pledgeOk(['demo', '--complaints', '3000', '--dir', exportsDir, '--warehouse', warehouse, '--out', join(dir, 'out')]);
  assessOut = pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', packA]);
  pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', packB]);
  pledgeOk(['assess', '--quarter', '2025Q3', '--seed', '7', '--warehouse', warehouse, '--out', packSeed7]);
});

const manifestOf = (pack: string) => JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));

/** A copy of pack A to tamper with. */
function copyOfPack(name: string): string {
  const copy = join(dir, name);
  cpSync(packA, copy, { recursive: true });
  return copy;
}

describe('pledge assess', () => {
  it('ends by printing the path of the page, and says what it wrote', () => {
    const lines = assessOut.trim().split('\n');
    expect(lines.at(-1)).toBe(join(packA, 'index.html'));
    expect(assessOut).toMatch(/sample of \d+ \(seed 20251001\) · as of 2025-10-01 00:00:00 Asia\/Shanghai/);
  });

  it('lists every input file with the SHA-256 and row count of the file itself', () => {
    const m = manifestOf(packA);
    // The demo ingests the complaint exports, then the flow logs (工单流转记录), then the appeals (申诉记录).
    const files = ['complaints-', 'events-', 'appeals-'].flatMap((p) => readdirSync(exportsDir).filter((f) => f.startsWith(p)).sort());
    expect(m.inputs.map((i: { file_name: string }) => i.file_name)).toEqual(files);
    for (const i of m.inputs) {
      const bytes = readFileSync(join(exportsDir, i.file_name));
      expect(i.sha256).toBe(sha256(bytes));
      expect(i.bytes).toBe(bytes.length);
      // Rows counted here with csv-parse, not by Pledge.
      expect(i.rows_read).toBe(readCsv(join(exportsDir, i.file_name)).length);
      expect(i.kind).toBe(i.file_name.split('-')[0]);
    }
  });

  it('carries the policy and every SQL file as used, byte for byte, and the SHA-256 of every file', () => {
    const m = manifestOf(packA);
    expect(readFileSync(join(packA, 'policy.yaml'))).toEqual(readFileSync(join(ROOT, 'data', 'policy.yaml')));
    for (const q of m.queries as string[]) {
      expect(readFileSync(join(packA, q)), q).toEqual(readFileSync(join(ROOT, 'queries', q.replace(/^sql\//, ''))));
    }
    expect(m.queries).toContain('sql/assess/assess_sample.sql');
    expect(m.queries).toContain('sql/intermediate/commitment_status.sql');
    for (const f of m.files) expect(f.sha256, f.path).toBe(sha256(readFileSync(join(packA, f.path))));
    expect(m.as_of).toBe(AS_OF);
    expect(m.tool.pledge).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(m.tool.duckdb).toMatch(/^v\d+\.\d+/);
  });

  it('writes the same bytes twice: every evidence file, the calendar and the page', () => {
    const a = manifestOf(packA), b = manifestOf(packB);
    expect(a.files.length).toBeGreaterThan(20);
    const differing = a.files.filter((f: { path: string }) => !readFileSync(join(packB, f.path)).equals(readFileSync(join(packA, f.path))));
    expect(differing).toEqual([]);
    expect(b.files).toEqual(a.files);
    for (const ext of ['csv', 'parquet']) expect(a.files.map((f: { path: string }) => f.path)).toContain(`evidence/breach_list.${ext}`);
  });

  it('puts no customer name, phone, ID or e-mail anywhere in the pack', () => {
    const rows = readdirSync(exportsDir).filter((f) => f.startsWith('complaints-')).flatMap((f) => readCsv(join(exportsDir, f)));
    const staff = rows.flatMap((r) => [r.handler, r.first_handler]).join('|');
    const text = manifestOf(packA).files.filter((f: { path: string }) => !f.path.endsWith('.parquet'))
      .map((f: { path: string }) => readFileSync(join(packA, f.path), 'utf8').replace(/<script>[\s\S]*?<\/script>/g, '')).join('\n');
    // Every run of digits and every run of Chinese characters in the pack: a phone number, customer ID
    // or name can only appear inside one of them.
    const digitRuns = new Set(text.match(/\d+/g));
    const cjkRuns: string[] = [...new Set<string>(text.match(/[\u3400-\u9fff]+/g))];
    const phones = rows.map((r) => r.customer_phone).filter(Boolean);
    expect(phones.length).toBeGreaterThan(1000);
    expect(phones.filter((p) => digitRuns.has(p))).toEqual([]);
    const words = new Set(text.match(/[A-Za-z0-9_]+/g));
    expect(rows.map((r) => r.customer_id).filter((id) => id && words.has(id))).toEqual([]);
    // Short Chinese names can also be part of a handler's name; those may appear as the handler.
    const names = [...new Set(rows.map((r) => r.customer_name))].filter((n) => n && !staff.includes(n));
    expect(names.length).toBeGreaterThan(1000);
    expect(names.filter((n) => cjkRuns.some((run) => run.includes(n)))).toEqual([]);
    // The Parquet files hold the same columns as the CSV files beside them.
    const parquetColumns = pledgeJson<{ file: string; name: string }>(['query', '--warehouse', warehouse,
      `select file_name as file, name from parquet_schema('${join(packA, 'evidence', '*.parquet')}') where num_children is null`]);
    expect(parquetColumns.length).toBeGreaterThan(40);
    expect(parquetColumns.filter((c) => /customer_(name|phone|id)|email|description/.test(c.name))).toEqual([]);
  });

  it('writes every evidence file with exactly the columns its SQL header declares', () => {
    const sources: Record<string, string> = {
      'evidence/kpi.csv': 'assess_kpi', 'evidence/breach_list.csv': 'assess_breach_list',
      'evidence/commitment_status.csv': 'assess_commitment_status', 'evidence/sample.csv': 'assess_sample',
      'evidence/reconciliation.csv': 'assess_reconciliation', 'calendar.csv': 'assess_calendar',
      'evidence/appeals.csv': 'assess_appeals', 'evidence/appeal_effects.csv': 'assess_appeal_effects',
    };
    for (const [file, query] of Object.entries(sources)) {
      const sql = readFileSync(join(packA, 'sql', 'assess', `${query}.sql`), 'utf8');
      const block = sql.split('-- Columns:\n')[1].split(/\n(?!--)/)[0];
      const declared = [...block.matchAll(/^-- {3}([a-z_0-9]+) +[A-Z]/gm)].map((m) => m[1]);
      const header = readFileSync(join(packA, file), 'utf8').split('\n')[0].split(',');
      // The sample carries every stage time: the policy's own stages (data/policy.yaml: signed_at) too.
      const own = (policyYaml.stages as (string | { column: string })[]).flatMap((st) => (typeof st === 'string' ? [] : [st.column]));
      if (query === 'assess_sample') for (const c of own) expect(header).toContain(c);
      expect(header.filter((c) => query !== 'assess_sample' || !own.includes(c)), file).toEqual(declared);
    }
  });

  it('refuses to write over a folder that holds something other than a pack', () => {
    const other = join(dir, 'not-a-pack');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = pledge(['assess', '--quarter', '2025Q3', '--warehouse', warehouse, '--out', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holds files but no assessment pack');
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('names the key when the policy\'s assessment section is wrong', () => {
    expect(() => parsePolicy('assessment: { sample: { strata: [department, colour] } }\ncommitments: { r: { from: received_at, to: resolved_at, within: 3wd } }', 'p.yaml'))
      .toThrow(/^p\.yaml: assessment\.sample\.strata\[1\]: /);
    expect(() => parsePolicy('assessment: { sample: { size: 0 } }\ncommitments: { r: { from: received_at, to: resolved_at, within: 3wd } }', 'p.yaml'))
      .toThrow(/^p\.yaml: assessment\.sample\.size: /);
  });
});

describe('pledge verify', () => {
  it('passes on a fresh pack, file by file, exit 0', () => {
    const r = pledge(['verify', packA, '--inputs', exportsDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = manifestOf(packA);
    for (const f of m.files) expect(r.stdout).toContain(`match     ${f.path}\n`);
    for (const i of m.inputs) expect(r.stdout).toContain(`match     input ${i.file_name}\n`);
    expect(r.stdout).toContain('match     re-computation\n');
    expect(r.stdout).not.toContain('MISMATCH');
  });

  it('finds the inputs where they were recorded when --inputs is not given', () => {
    expect(pledge(['verify', packA]).code).toBe(0);
  });

  it('names an input file with one byte changed', () => {
    const inputs = join(dir, 'inputs-tampered');
    cpSync(exportsDir, inputs, { recursive: true });
    const file = join(inputs, 'complaints-2025-08.csv');
    const bytes = readFileSync(file);
    const at = bytes.indexOf('2025-08-') + 9;           // the day's last digit of the first receipt in the file
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(file, bytes);
    const r = pledge(['verify', packA, '--inputs', inputs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISMATCH {2}input complaints-2025-08\.csv: SHA-256 .* differs from the manifest/m);
    expect(r.stdout).toContain('match     input complaints-2025-07.csv');
    expect(r.stderr).toContain('input complaints-2025-08.csv');
  });

  it('names a SQL file in the pack with one byte changed', () => {
    const pack = copyOfPack('pack-sql-tampered');
    const file = join(pack, 'sql', 'kpi', 'kpi_unit_monthly.sql');
    // "numerator / nullif(" → "numerator * nullif(": every rate computed differently.
    const sql = readFileSync(file, 'utf8');
    expect(sql).toContain('else numerator / nullif(denominator, 0) end as actual');
    writeFileSync(file, sql.replace('else numerator / nullif(denominator, 0) end as actual', 'else numerator * nullif(denominator, 0) end as actual'));
    const r = pledge(['verify', pack, '--inputs', exportsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISMATCH {2}sql\/kpi\/kpi_unit_monthly\.sql: SHA-256 differs from the manifest/m);
    // Run with the changed SQL, the KPI table no longer matches what the pack says.
    expect(r.stdout).toMatch(/^MISMATCH {2}evidence\/kpi\.csv: differs from the re-computed file at line \d+/m);
    expect(r.stderr).toContain('sql/kpi/kpi_unit_monthly.sql');
  });

  it('names an evidence CSV with one digit changed, and the line', () => {
    const pack = copyOfPack('pack-csv-tampered');
    const file = join(pack, 'evidence', 'kpi.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    // Line 4: a monthly KPI of the whole organisation; change the first digit of its numerator.
    const cells = lines[3].split(',');
    cells[5] = cells[5].replace(/\d/, (d) => String((Number(d) + 1) % 10));
    lines[3] = cells.join(',');
    writeFileSync(file, lines.join('\n'));
    const r = pledge(['verify', pack, '--inputs', exportsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISMATCH  evidence/kpi.csv: SHA-256 differs from the manifest: changed after the pack was made; differs from the re-computed file at line 4');
    expect(r.stdout).toContain('match     evidence/kpi.parquet');
    expect(r.stderr).toMatch(/verify: 1 of \d+ do not match: evidence\/kpi\.csv$/m);
  });

  it('names a file added to the pack', () => {
    const pack = copyOfPack('pack-extra-file');
    writeFileSync(join(pack, 'sql', 'kpi', 'kpi_extra.sql'), 'select 1 as x');
    const r = pledge(['verify', pack, '--inputs', exportsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISMATCH  sql/kpi/kpi_extra.sql: not listed in the manifest');
  });
});

// ------------------------------------------------------------------ the sample
type Status = Record<string, string>;
const statuses = () => readCsv(join(packA, 'evidence', 'commitment_status.csv'));

/** The sample's rule as the page states it, written again here from the status file. */
function expectedSample(rows: Status[], seed: number): { stratum: string; complaint_id: string; draw_rank: number }[] {
  const byComplaint = new Map<string, { department: string; statuses: string[] }>();
  for (const r of rows.filter((r) => r.counted_in_quarter === 'true')) {
    const c = byComplaint.get(r.complaint_id) ?? { department: r.department, statuses: [] };
    c.statuses.push(r.status);
    byComplaint.set(r.complaint_id, c);
  }
  const outcome = (s: string[]) => (s.some((x) => x === 'breached' || x === 'overdue') ? 'breached'
    : s.includes('unknown') ? 'unknown' : s.includes('pending') ? 'pending' : 'met');
  const strata = new Map<string, string[]>();
  for (const [id, c] of byComplaint) {
    const key = `${c.department} | ${outcome(c.statuses)}`;   // policy strata: [department, outcome]
    strata.set(key, [...(strata.get(key) ?? []), id]);
  }
  const total = byComplaint.size;
  const keys = [...strata.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const share = new Map(keys.map((k) => [k, (SAMPLE.size * strata.get(k)!.length) / total]));
  const base = new Map(keys.map((k) => [k, Math.floor(share.get(k)!)]));
  const left = SAMPLE.size - [...base.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...keys].sort((a, b) => (share.get(b)! - base.get(b)!) - (share.get(a)! - base.get(a)!) || (a < b ? -1 : 1));
  const out: { stratum: string; complaint_id: string; draw_rank: number }[] = [];
  for (const k of keys) {
    const members = strata.get(k)!;
    const extra = byRemainder.indexOf(k) < left ? 1 : 0;
    const n = Math.min(members.length, Math.max(SAMPLE.min_per_stratum, base.get(k)! + extra));
    const ordered = members.map((id) => ({ id, key: sha256(`${seed}:${id}`) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
    ordered.slice(0, n).forEach((m, i) => out.push({ stratum: k, complaint_id: m.id, draw_rank: i + 1 }));
  }
  return out;
}

const drawn = (pack: string) => readCsv(join(pack, 'evidence', 'sample.csv'))
  .map((r) => ({ stratum: r.stratum, complaint_id: r.complaint_id, draw_rank: Number(r.draw_rank) }));

describe('the spot-check sample', () => {
  it('is stratified by department and outcome with the policy\'s size, drawn by SHA-256 of seed and complaint', () => {
    const expected = expectedSample(statuses(), SAMPLE.seed);
    expect(drawn(packA)).toEqual(expected);
    // 5 departments x up to 4 outcomes; the minimum per stratum may add a few to the size.
    const strata = new Set(expected.map((e) => e.stratum));
    expect(strata.size).toBeGreaterThanOrEqual(5);
    expect(expected.length).toBeGreaterThanOrEqual(SAMPLE.size);
    expect(expected.length).toBeLessThanOrEqual(SAMPLE.size + strata.size);
    // Each drawn complaint's key is the SHA-256 the page states, whole (a digest is never masked).
    const sample = readCsv(join(packA, 'evidence', 'sample.csv'));
    for (const r of sample) expect(r.draw_key, r.complaint_id).toBe(sha256(`${SAMPLE.seed}:${r.complaint_id}`));
  });

  it('is the same for the same seed and another for another seed', () => {
    expect(drawn(packB)).toEqual(drawn(packA));
    const seven = drawn(packSeed7);
    expect(seven).toEqual(expectedSample(statuses(), 7));
    const a = new Set(drawn(packA).map((r) => r.complaint_id));
    expect(seven.filter((r) => a.has(r.complaint_id)).length).toBeLessThan(seven.length / 2);
  });
});

// ------------------------------------------------------------------ the KPIs
type Kpi = { period: string; department: string; kpi: string; numerator: number; denominator: number; actual: number | null };
const kpis = (): Kpi[] => readCsv(join(packA, 'evidence', 'kpi.csv')).map((r) => ({
  period: r.period, department: r.department, kpi: r.kpi, numerator: Number(r.numerator),
  denominator: Number(r.denominator), actual: r.actual === '' ? null : Number(r.actual),
}));
/**
 * The appeals (申诉) that take their clock or complaint out of the figures, worked out here from the
 * appeals exports and the Chinese calendar: approved (通过), filed by close of business (18:00) of
 * the 5th working day after the 1st of the month after the verdict's (policy appeals.window 5wd;
 * the 1st itself does not count), and decided before the month's close, 18:00 of the 10th
 * (reports.close_after 10wd: the pack counts appeals as the month's published figures do). The
 * verdict's month: a commitment's due month, a whole complaint's (整单) month of receipt.
 */
function appliedAppeals(): { clocks: Set<string>; complaints: Set<string> } {
  const workingDayAfter = (first: string, n: number) => {
    const d = new Date(`${first}T12:00:00Z`);
    for (let k = 0; k < n;) { d.setUTCDate(d.getUTCDate() + 1); if (isWorkday(d.toISOString().slice(0, 10))) k++; }
    return `${d.toISOString().slice(0, 10)} 18:00:00`;
  };
  const nextMonth = (m: string) => { const y = +m.slice(0, 4), mo = +m.slice(5, 7); return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`; };
  const received = new Map<string, string>();
  for (const f of readdirSync(exportsDir).filter((f) => f.startsWith('complaints-'))) for (const c of readCsv(join(exportsDir, f))) received.set(c.complaint_id, c.received_at);
  const due = new Map(statuses().map((r) => [`${r.complaint_id}|${r.commitment}`, r.due_month]));
  const clocks = new Set<string>(), complaints = new Set<string>();
  for (const f of readdirSync(exportsDir).filter((f) => f.startsWith('appeals-'))) {
    for (const a of readCsv(join(exportsDir, f))) {
      const whole = a['申诉事项'] === '整单', key = `${a['工单编号']}|${a['申诉事项']}`;
      const month = whole ? received.get(a['工单编号'])?.slice(0, 7) : due.get(key)?.slice(0, 7);
      if (!month) continue;
      const first = nextMonth(month), windowEnds = workingDayAfter(first, 5), closes = workingDayAfter(first, 10);
      if (a['审核结果'] !== '通过' || a['申诉时间'] > windowEnds || !(a['审核时间'] < closes)) continue;
      if (whole) complaints.add(a['工单编号']); else clocks.add(key);
    }
  }
  return { clocks, complaints };
}
/** A status row an applied appeal leaves in the figures. */
const counted = (appeals: ReturnType<typeof appliedAppeals>) => (r: Status) =>
  !appeals.complaints.has(r.complaint_id) && !appeals.clocks.has(`${r.complaint_id}|${r.commitment}`);

const kpiAt = (period: string, kpi: string, department = '') =>
  kpis().find((k) => k.period === period && k.kpi === kpi && k.department === department);

/** Σ value_m × weight_m / Σ weight_m over the months that have a value. */
function monthWeighted(monthly: { value: number | null; weight: number }[]): number {
  const used = monthly.filter((m) => m.value !== null && m.weight > 0);
  return used.reduce((a, m) => a + m.value! * m.weight, 0) / used.reduce((a, m) => a + m.weight, 0);
}

describe('the quarter\'s KPIs', () => {
  it('timeliness: each month recounted from the statuses, the quarter their month-weighted combination', () => {
    // Policy: a commitment counts in the month its due instant falls in; rate = met / (met + breached + overdue);
    // an applied appeal takes its clock (or its whole complaint) out.
    const appeals = appliedAppeals();
    expect(appeals.clocks.size + appeals.complaints.size).toBeGreaterThan(0);
    const rows = statuses().filter(counted(appeals));
    const departments = [...new Set(rows.map((r) => r.department))].sort();
    for (const [kpi, commitment] of [['timeliness', null], ['timeliness:register', 'register'], ['timeliness:resolve', 'resolve']] as const) {
      for (const department of ['', ...departments]) {
        const monthly = MONTHS.map((m) => {
          const due = rows.filter((r) => r.due_month === `${m}-01` && (!commitment || r.commitment === commitment)
            && (!department || r.department === department));
          const met = due.filter((r) => r.status === 'met').length;
          const judged = due.filter((r) => ['met', 'breached', 'overdue'].includes(r.status)).length;
          const row = kpiAt(m, kpi, department);
          expect(row?.actual ?? null, `${m} ${kpi} ${department}`).toBeCloseTo(judged ? met / judged : NaN, 12);
          return { value: judged ? met / judged : null, weight: judged };
        });
        expect(kpiAt('2025Q3', kpi, department)!.actual, `Q3 ${kpi} ${department}`).toBeCloseTo(monthWeighted(monthly), 12);
      }
    }
    expect(kpiAt('2025Q3', 'timeliness')!.denominator).toBeGreaterThan(3000);
  });

  it('resolution rate: valid complaints whose resolution fell due in the month, resolved by the as-of instant', () => {
    const rows = statuses().filter(counted(appliedAppeals()))
      .filter((r) => r.commitment === 'resolve' && r.counts_as_valid === 'true' && r.status !== 'not_applicable');
    const monthly = MONTHS.map((m) => {
      const due = rows.filter((r) => r.due_month === `${m}-01`);
      // A complaint reopened within the policy window (reopened_at set) was not really resolved (实际解决率).
      const resolved = due.filter((r) => r.done_at !== '' && r.reopened_at === '').length;
      expect(kpiAt(m, 'resolution_rate')!.actual).toBeCloseTo(resolved / due.length, 12);
      return { value: resolved / due.length, weight: due.length };
    });
    expect(kpiAt('2025Q3', 'resolution_rate')!.actual).toBeCloseTo(monthWeighted(monthly), 12);
  });

  it('satisfaction and survey coverage, recomputed from the raw export files', () => {
    // Cohort: reported back in the month (by the as-of instant); surveyed: follow-up by the as-of
    // instant with a score; satisfied: score >= 85 on the 0..100 scale (policy satisfaction).
    const latest = new Map<string, Record<string, string>>();
    for (const f of readdirSync(exportsDir).filter((f) => f.startsWith('complaints-')).sort()) {
      for (const r of readCsv(join(exportsDir, f))) latest.set(r.complaint_id, r);
    }
    // A whole complaint appealed and approved is out of them.
    const out = appliedAppeals().complaints;
    const all = [...latest.values()].filter((r) => !out.has(r.complaint_id));
    const monthly = MONTHS.map((m) => {
      const cohort = all.filter((r) => r.feedback_at.startsWith(m) && r.feedback_at <= AS_OF);
      const surveyed = cohort.filter((r) => r.survey_at !== '' && r.survey_at <= AS_OF && r.satisfaction !== '');
      const satisfied = surveyed.filter((r) => Number(r.satisfaction) >= 85).length;
      const mean = surveyed.reduce((a, r) => a + Number(r.satisfaction), 0) / surveyed.length;
      expect(kpiAt(m, 'survey_coverage')!.actual).toBeCloseTo(surveyed.length / cohort.length, 12);
      expect(kpiAt(m, 'satisfaction_rate')!.actual).toBeCloseTo(satisfied / surveyed.length, 12);
      expect(kpiAt(m, 'satisfaction_mean')!.actual).toBeCloseTo(mean, 9);
      return { cohort: cohort.length, surveyed: surveyed.length, satisfied, mean };
    });
    const q = (kpi: string) => kpiAt('2025Q3', kpi)!.actual!;
    expect(q('survey_coverage')).toBeCloseTo(monthWeighted(monthly.map((m) => ({ value: m.surveyed / m.cohort, weight: m.cohort }))), 12);
    expect(q('satisfaction_rate')).toBeCloseTo(monthWeighted(monthly.map((m) => ({ value: m.satisfied / m.surveyed, weight: m.surveyed }))), 12);
    expect(q('satisfaction_mean')).toBeCloseTo(monthWeighted(monthly.map((m) => ({ value: m.mean, weight: m.surveyed }))), 9);
  });
});

// pledge run --xlsx: the workbook of scorecards, rankings and the breach list, opened with
// exceljs as a spreadsheet program would, over the hostile export (test/support/hostile.ts):
// its department names, team names and handlers are payloads, one of them =HYPERLINK(…).
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type ExcelJSType from 'exceljs';
import { pledge, pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { HOSTILE, PII, writeHostileExport } from '../support/hostile.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;

const dir = tempDir('pledge-xlsx-');
const warehouse = join(dir, 'w.duckdb');
const common = ['--warehouse', warehouse, '--policy', join(ROOT, 'data', 'policy.yaml')];
const book: Record<'zh' | 'en', ExcelJSType.Workbook> = {} as never;
let stdout = '';
let stderr = '';
let ingestErr = '';

async function open(file: string): Promise<ExcelJSType.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The sheet's rows as objects keyed by the header row's text. */
function records(ws: ExcelJSType.Worksheet): { cells: Record<string, ExcelJSType.Cell> }[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: { cells: Record<string, ExcelJSType.Cell> }[] = [];
  ws.eachRow((row, i) => {
    if (i === 1) return;
    out.push({ cells: Object.fromEntries(header.map((h, c) => [h, row.getCell(c + 1)])) });
  });
  return out;
}

beforeAll(async () => {
  mkdirSync(join(dir, 'exports'));
  const { file } = writeHostileExport(join(dir, 'exports'));
  ingestErr = pledge(['ingest', file, ...common]).stderr;
  const run = pledge(['run', '--month', '2025-10', '--xlsx', '--out', join(dir, 'out'), ...common]);
  expect(run.code, run.stderr).toBe(0);
  ({ stdout, stderr } = run);
  pledgeOk(['run', '--month', '2025-10', '--xlsx', '--quiet', '--lang', 'en', '--out', join(dir, 'out-en'), ...common]);
  book.zh = await open(join(dir, 'out', '2025-10', 'pledge-2025-10.xlsx'));
  book.en = await open(join(dir, 'out-en', '2025-10', 'pledge-2025-10.xlsx'));
}, 120_000);

describe('what ingest and run say', () => {
  it('one line per phase on stderr when it is not a terminal', () => {
    // The hostile export: 7 data rows, 5 loaded, H6 (no date) and H7 (a field too many) rejected.
    expect(ingestErr).toMatch(/^ingest: complaints-.*\.csv 7 rows read, 5 loaded, 2 rejected \d+\.\d s$/m);
    expect(ingestErr).toMatch(/^ingest: stored facts .* \d+\.\d s$/m);
    expect(stderr).toMatch(/^run: dashboard \d+\.\d s$/m);
    expect(stderr).toMatch(/^run: 6 review pages \d+\.\d s$/m);   // 3 departments, 3 teams
    expect(stderr).toMatch(/^run: workbook pledge-2025-10\.xlsx \d+\.\d s$/m);
  });

  it('run ends with the headline KPIs against their targets, the dashboard path last', () => {
    // By hand: H1..H5 have 8 clocks each due in October (escalate: none is major), all judged;
    // register (49 h against 24 h) and first response (10-11 11:00 against 4 working hours) breached
    // in each, signed for (09:10 against 30 minutes) met: 30 of 40 on time, 75.0% against 95%.
    expect(stdout).toMatch(/^承诺及时率\s+75\.0%\s+95\.0%\s+否\s+40\/40$/m);
    expect(stdout).toMatch(/^指标\s+实际\s+目标\s+达标\s+可判定\/到期$/m);
    expect(stdout.trim().split('\n').at(-1)).toBe(join(dir, 'out', '2025-10', 'index.html'));
  });
});

describe('pledge run --xlsx', () => {
  it('writes the workbook inside the month set and says where', () => {
    expect(stdout).toContain(join(dir, 'out', '2025-10', 'pledge-2025-10.xlsx'));
    // data/policy.yaml scores by points: a Points sheet; Appeals always (test/outputs/xlsx-scoring.test.ts).
    expect(book.zh.worksheets.map((w) => w.name)).toEqual(['部门考核', '班组考核', '排名', '违约清单', '计分', '申诉']);
    expect(book.en.worksheets.map((w) => w.name)).toEqual(['Department scorecards', 'Team scorecards', 'Rankings', 'Breach list', 'Points', 'Appeals']);
  });

  it('a scorecard figure is the number pledge query gives, as a number cell with a percent format', () => {
    // By hand: the department named by the imgOnerror payload has one complaint, H2 (general, app):
    // 8 clocks fall due in October, two of them breached (registered 49 h after receipt against
    // 24 h; first response at 10-11 11:00 against 4 working hours from Thu 09:00), so 6/8 on time.
    const [q] = pledgeJson<{ actual: number }>(['query', ...common, '--month', '2025-10',
      `select actual from kpi_unit_monthly where month = '2025-10-01' and level = 'department' and kpi = 'timeliness' and unit = '${HOSTILE.imgOnerror.replace(/'/g, "''")}'`]);
    expect(q.actual).toBeCloseTo(6 / 8, 12);
    const row = records(book.en.getWorksheet('Department scorecards')!)
      .find((r) => r.cells.department.value === HOSTILE.imgOnerror && r.cells.KPI.value === 'Timeliness (all commitments)');
    expect(row, 'the timeliness row of the department').toBeDefined();
    const actual = row!.cells.actual;
    expect(actual.type).toBe(ExcelJS.ValueType.Number);
    expect(actual.value).toBeCloseTo(q.actual, 12);
    expect(actual.numFmt).toBe('0.0%');
    expect(row!.cells.target.value).toBe(0.95);
    expect(row!.cells.judged.value).toBe(8);
    expect(row!.cells['on target'].value).toBe('no');
  });

  it('numbers are number cells and instants are date cells', () => {
    const rank = records(book.zh.getWorksheet('排名')!);
    expect(rank.length).toBe(6);   // 3 departments and 3 teams (H1/H5, H2, H3/H4)
    for (const r of rank) for (const h of ['排名', '综合得分', '违约数']) expect(r.cells[h].type, h).toBe(ExcelJS.ValueType.Number);
    const breaches = records(book.zh.getWorksheet('违约清单')!);
    const h2 = breaches.find((r) => r.cells['工单编号'].value === 'H2' && r.cells['承诺'].value === '24小时内登记')!;
    // Received Thu 2025-10-09 09:00, due 24 h later; registered 2025-10-11 10:00, 25 h late.
    expect(h2.cells['到期时间'].type).toBe(ExcelJS.ValueType.Date);
    expect((h2.cells['到期时间'].value as Date).toISOString()).toBe('2025-10-10T09:00:00.000Z');   // wall-clock time, as Excel has no zone
    expect((h2.cells['完成时间'].value as Date).toISOString()).toBe('2025-10-11T10:00:00.000Z');
    expect(h2.cells['超时（小时）'].value).toBe(25);
  });

  it('a hostile export value is a plain string cell, never a formula', () => {
    const breaches = records(book.zh.getWorksheet('违约清单')!);
    const cells = breaches.map((r) => r.cells['承办人']).filter((c) => c.value === HOSTILE.hyperlink);
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }
    // Not one formula anywhere in the workbook; every other payload that starts a formula in a CSV is text too.
    const texts: string[] = [];
    for (const ws of book.zh.worksheets) ws.eachRow((row) => row.eachCell((c) => {
      expect(c.type, `${ws.name}!${c.address}`).not.toBe(ExcelJS.ValueType.Formula);
      if (typeof c.value === 'string') texts.push(c.value);
    }));
    expect(texts).toEqual(expect.arrayContaining([HOSTILE.plusCmd, HOSTILE.minus]));
    // Control characters are shown, as on the pages (an ESC would also make the sheet's XML invalid).
    expect(texts.some((t) => t.includes('\u001b'))).toBe(false);
    expect(texts).toContain(String.raw`\u{001B}[31mRED\u{001B}[0m\u{001B}]0;pwned\u{0007}\u{009B}2J`);
  });

  it('holds no personal data: handlers and customers are masked as in every output', () => {
    const all: string[] = [];
    for (const wb of [book.zh, book.en]) for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => { all.push(String(c.text)); }));
    const text = all.join('\n');
    for (const o of [...PII.names, ...PII.phones, ...PII.ids, ...PII.emails]) expect(text, o).not.toContain(o);
  });

  it('is refused on a month past the data like the pages are', () => {
    const r = pledge(['run', '--month', '2025-12', '--xlsx', '--quiet', '--out', join(dir, 'out'), ...common]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2025-12 starts after the data end');
  });
});

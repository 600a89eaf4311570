// The workbook's Points (计分) and Appeals (申诉) sheets (pledge run --xlsx, issue 20), opened
// with exceljs as xlsx.test.ts does, on the hand-worked fixtures (test/support/scoring-fixtures.ts).
//
// Points, October 2025 as of 2025-11-01 00:00 (worked out in test/models/points-scheme.test.ts):
//   一组 resolution 8/10 = 80%, line 90%: 10 points below → 25 − 10 = 15 earned, 10 lost;
//        register 7/10 = 70%, line 80%: 10 points below, ceil(0.8 × 10) − 7 = 1 case short × 4 → 16 earned, 4 lost; returned once −2 (lost 2);
//        surveys 3 × 0.5 capped at 1 (earned 1); tamper none; 10 + 15 + 16 + 1 − 2 = 40 → class A
//        maximum 35: the total 35.
//   二组 12 (black list). Under the weighted scheme there is no Points sheet.
// Appeals, October 2025 as of 2025-11-20 00:00 (test/models/appeals.test.ts): P1 resolve applied,
//   P4 whole complaint rejected, P3 resolve late; by filing time 11-05, 11-06, 11-10. The points
//   fixture has none: its Appeals sheet is the header row alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type ExcelJSType from 'exceljs';
import { pledgeOk, tempDir } from '../support/cli.ts';
import { writeAppealsFixture, writePointsFixture } from '../support/scoring-fixtures.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSType;
const dir = tempDir('pledge-xlsx-scoring-');
const book: Record<'points' | 'pointsEn' | 'weighted' | 'appeals', ExcelJSType.Workbook> = {} as never;

async function open(file: string): Promise<ExcelJSType.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The sheet's rows as cells keyed by the header row's text. */
function records(ws: ExcelJSType.Worksheet): Record<string, ExcelJSType.Cell>[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, ExcelJSType.Cell>[] = [];
  ws.eachRow((row, i) => {
    if (i > 1) out.push(Object.fromEntries(header.map((h, c) => [h, row.getCell(c + 1)])));
  });
  return out;
}

beforeAll(async () => {
  const pointsDir = join(dir, 'points');
  const appealsDir = join(dir, 'appeals');
  mkdirSync(pointsDir);
  mkdirSync(appealsDir);
  const p = writePointsFixture(pointsDir);
  const pw = join(pointsDir, 'w.duckdb');
  for (const f of p.inputs) pledgeOk(['ingest', f, '--warehouse', pw, '--policy', p.policy, '--exported-at', '2025-11-06 00:00']);
  const run = (warehouse: string, policy: string, out: string, asOf: string, lang = 'zh') => {
    pledgeOk(['run', '--month', '2025-10', '--xlsx', '--quiet', '--lang', lang, '--as-of', asOf, '--warehouse', warehouse, '--policy', policy, '--out', join(dir, out)]);
    return open(join(dir, out, '2025-10', 'pledge-2025-10.xlsx'));
  };
  book.points = await run(pw, p.policy, 'out-points', '2025-11-01 00:00');
  book.pointsEn = await run(pw, p.policy, 'out-points-en', '2025-11-01 00:00', 'en');
  book.weighted = await run(pw, p.weighted, 'out-weighted', '2025-11-01 00:00');
  const a = writeAppealsFixture(appealsDir);
  const aw = join(appealsDir, 'w.duckdb');
  for (const f of [a.complaints, a.appeals]) pledgeOk(['ingest', f, '--warehouse', aw, '--policy', a.policy, '--exported-at', '2025-11-25 00:00']);
  book.appeals = await run(aw, a.policy, 'out-appeals', '2025-11-20 00:00');
}, 240_000);

describe('the Points sheet (points scheme)', () => {
  it('is there under the points scheme only, in both languages', () => {
    expect(book.points.worksheets.map((w) => w.name)).toEqual(['部门考核', '班组考核', '排名', '违约清单', '计分', '申诉']);
    expect(book.pointsEn.worksheets.map((w) => w.name)).toContain('Points');
    expect(book.weighted.worksheets.map((w) => w.name)).toEqual(['部门考核', '班组考核', '排名', '违约清单', '申诉']);
  });

  it('has each unit\'s lines and total as number cells: 一组 35', () => {
    const rows = records(book.points.getWorksheet('计分')!).filter((r) => r['单位'].value === '一组');
    // The KPI catalogue's names (a commitment with no label_zh is named by its key) and the items' label_zh.
    expect(rows.map((r) => r['考核项'].value)).toEqual(['解决率', 'register及时率', '退单', '回访', '篡改', '合计（封顶后）']);
    const total = rows.at(-1)!;
    expect(total['得分'].type).toBe(ExcelJS.ValueType.Number);
    expect(total['得分'].value).toBe(35);
    expect(total['满分'].value).toBe(35);   // the class maximum
    expect(String(total['说明'].value)).toContain('已封顶');
    const [resolution, register, returned, followUp] = rows;
    expect([resolution['实际'].value, resolution['实际'].numFmt, resolution['考核线'].value]).toEqual([0.8, '0.0%', 0.9]);
    expect([resolution['得分'].value, resolution['失分'].value]).toEqual([15, 10]);
    expect([register['得分'].value, register['失分'].value, register['说明'].value]).toEqual([16, 4, '低于考核线 10 个百分点，差 1 件，扣 4 分']);
    expect([returned['得分'].value, returned['失分'].value]).toEqual([0, 2]);
    expect([followUp['得分'].value, followUp['失分'].value, followUp['说明'].value]).toEqual([1, 0, '3 次，已达上限']);
    const erjZu = records(book.points.getWorksheet('计分')!).filter((r) => r['单位'].value === '二组').at(-1)!;
    expect([erjZu['得分'].value, String(erjZu['说明'].value)]).toEqual([12, '排名 2 · 黑榜']);
  });
});

describe('the Appeals sheet', () => {
  it('lists the month\'s appeals with their status', () => {
    const rows = records(book.appeals.getWorksheet('申诉')!);
    expect(rows.map((r) => [r['工单编号'].value, r['申诉事项'].value, r['审核结果'].value, r['状态'].value])).toEqual([
      ['P1', 'resolve', '通过', '已采纳：从单位指标中剔除'],
      ['P4', '整单', '驳回', '驳回：照常计入'],
      ['P3', 'resolve', '通过', '超过申诉期限：不予受理，照常计入'],
    ]);
    expect(rows[0]['申诉时间'].type).toBe(ExcelJS.ValueType.Date);
    expect((rows[0]['申诉时间'].value as Date).toISOString()).toBe('2025-11-05T10:00:00.000Z');   // the wall-clock time, as Excel shows it
  });

  it('is the header row alone in a month with none', () => {
    const ws = book.points.getWorksheet('申诉')!;
    expect(ws.rowCount).toBe(1);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['工单编号', '申诉事项', '所属部门', '班组', '原判定', '申诉时间', '审核时间', '申诉截止', '审核结果', '状态']);
  });
});

// The same 1,000 demo complaints, once as the demo writes them (UTF-8, the
// canonical English headers, LF) and once as Excel on Chinese Windows would
// (GB18030, Chinese headers, CRLF), must give identical warehouses.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { generateDemo } from '../../data/generate.ts';
import { pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-encodings-');
const utf8File = join(dir, 'complaints-utf8.csv');
const gbFile = join(dir, '投诉导出-gb18030.csv');
const utf8Wh = join(dir, 'utf8.duckdb');
const gbWh = join(dir, 'gb.duckdb');
let out: { utf8: string; gb: string };

// The headers a Chinese complaint system writes, column by column (written out here, not taken from Pledge).
const CHINESE_HEADER = ['投诉编号', '诉求渠道', '严重程度', '投诉类别', '承办单位', '班组', '处理人', '首问负责人', '客户编号', '客户姓名',
  '联系电话', '客户类型', '是否有效', '重办次数', '受理时间', '登记时间', '签收时间', '首次响应时间', '上报时间', '初步方案时间', '办结时间',
  '反馈时间', '回访时间', '满意度', '归档时间', '投诉内容'];

/** Windows line ends between records; a line break inside quoted text (the demo writes some) stays as it is. */
function withCrlfRecordEnds(text: string): string {
  let quoted = false;
  return text.split('\n').map((line) => {
    if ((line.split('"').length - 1) % 2 === 1) quoted = !quoted;
    return line + (quoted ? '\n' : '\r\n');
  }).join('');
}

beforeAll(async () => {
  const demo = await generateDemo({ outDir: join(dir, 'demo'), complaints: 1000, splitBy: 'none' });
  const text = readFileSync(demo.complaintFiles[0], 'utf8');
  writeFileSync(utf8File, text);
  const body = text.slice(text.indexOf('\n') + 1);
  writeFileSync(gbFile, iconv.encode(withCrlfRecordEnds(`${CHINESE_HEADER.join(',')}\n${body}`), 'gb18030'));
  out = {
    utf8: pledgeOk(['ingest', utf8File, '--warehouse', utf8Wh]),
    gb: pledgeOk(['ingest', gbFile, '--warehouse', gbWh]),
  };
}, 120_000);

describe('GB18030 with Chinese headers and UTF-8 with English headers', () => {
  it('the GB18030 file is not UTF-8 (so detection has work to do)', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(gbFile))).toThrow();
  });

  it('both load all 1,000 rows, and say which encoding they read', () => {
    expect(out.utf8).toMatch(/\(utf-8\): read 1,000 · loaded 1,000 · rejected 0/);
    expect(out.gb).toMatch(/\(gb18030\): read 1,000 · loaded 1,000 · rejected 0/);
  });

  it('give identical complaint versions, value for value', () => {
    // Every value as read (--reveal-pii), but the pseudonym: each warehouse has its own key.
    const sql = 'select * exclude (import_id, customer_key) from complaint_versions order by line_no';
    const a = pledgeJson(['query', '--reveal-pii', '--warehouse', utf8Wh, sql]);
    const b = pledgeJson(['query', '--reveal-pii', '--warehouse', gbWh, sql]);
    expect(a.length).toBe(1000);
    expect(b).toEqual(a);
    // And the Chinese text really went through: categories and names are Chinese in both.
    expect(a.some((r) => /[\u4e00-\u9fff]/.test(String(r.category)))).toBe(true);
  });

  it('give the same KPIs', () => {
    const sql = 'select * from kpi_summary_monthly order by all';
    expect(pledgeJson(['query', '--warehouse', gbWh, '--month', '2025-10', sql]))
      .toEqual(pledgeJson(['query', '--warehouse', utf8Wh, '--month', '2025-10', sql]));
  });
});

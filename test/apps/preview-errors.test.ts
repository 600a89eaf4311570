// The preview's errors in the page's language (--lang zh), through startPreview itself:
// a report query with an unknown column shows, in its panel, 此面板的 SQL 出错 with the file,
// line and column and 是否应为 (the nearest column); a policy that does not load turns the
// whole page into the error page, in Chinese, and the fix brings the dashboard back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledgeOk, tempDir } from '../support/cli.ts';
import { startPreview, type Preview } from '../../src/apps/preview.ts';

const dir = tempDir('pledge-preview-zh-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const queries = join(dir, 'queries');
const panels = join(dir, 'panels');
let preview: Preview;

async function waitForVersion(n: number): Promise<void> {
  for (let i = 0; i < 1200 && preview.last().version < n; i++) await new Promise((r) => setTimeout(r, 100));
  expect(preview.last().version).toBe(n);
}
const pageText = async () => (await fetch(preview.url)).text();

beforeAll(async () => {
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--quiet', '--warehouse', warehouse, '--policy', join(FIXTURES, 'policy-clocks.yaml'), '--exported-at', '2025-10-20 00:00']);
  writeFileSync(policy, readFileSync(join(FIXTURES, 'policy-clocks.yaml'), 'utf8') + '\nparameters:\n  fast_first_response: 1 hour\n');
  cpSync(join(ROOT, 'queries'), queries, { recursive: true });
  cpSync(join(ROOT, 'panels', 'dashboard'), panels, { recursive: true });
  process.env.PLEDGE_PSEUDONYM_KEY ??= '0123456789abcdef0123';
  preview = await startPreview({ month: '2025-10', asOf: '2025-10-20 00:00', policy, warehouse, queries, panels, lang: 'zh', port: 0, host: '127.0.0.1' });
}, 180_000);

afterAll(async () => { await preview?.close(); });

describe('preview errors in Chinese', () => {
  it('a failing panel says so in its place, in Chinese, with file, line, column and the nearest column', async () => {
    const file = join(queries, 'report', 'backlog_ageing.sql');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('open_complaints\nfrom kpi_backlog', 'open_complaint\nfrom kpi_backlog'));
    await waitForVersion(1);
    const html = await pageText();
    const line = good.split('\n').findIndex((l) => l.startsWith('select age_band, age_band_order, open_complaints')) + 1;
    const panel = /<section class="panel panel-error" id="panel-50-backlog"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(panel).toContain('此面板的 SQL 出错，未能计算');
    // The unknown name starts after "select age_band, age_band_order, " on that line (as preview-browser works it out).
    const column = 'select age_band, age_band_order, '.length + 1;
    expect(panel).toMatch(new RegExp(`backlog_ageing\\.sql，第 ${line} 行，第 ${column} 列`));
    expect(panel).toContain('是否应为：<code>open_complaints</code>');
    expect(panel).toContain('修改文件并保存后，此面板会自动重新计算');
    expect(html.match(/data-error="true"/g)).toHaveLength(1);
    expect(html).toContain('class="tile');   // the rest of the page is there
    writeFileSync(file, good);
    await waitForVersion(2);
    expect(preview.last()).toMatchObject({ objects: [], panels: ['50-backlog'], errors: [] });
    expect(await pageText()).not.toContain('data-error="true"');
  });

  it('a policy that does not load makes the whole page the error page, in Chinese; fixed, the dashboard is back', async () => {
    const good = readFileSync(policy, 'utf8');
    writeFileSync(policy, good.replace(/timezone: [^\n]+/, 'timezone: Mars/Olympus'));
    await waitForVersion(3);
    const html = await pageText();
    expect(html).toContain('<title>看板无法生成</title>');
    expect(html).toContain('修改文件并保存后，本页会自动重新加载。');
    expect(html).toMatch(/<pre id="preview-error"[^>]*>[^<]*timezone/);
    writeFileSync(policy, good);
    await waitForVersion(4);
    expect(preview.last().error).toBeUndefined();
    expect(await pageText()).toContain('class="tile');
  });
});

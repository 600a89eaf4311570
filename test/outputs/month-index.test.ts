// <out>/index.html, the month index: every month set run under --out (the folders carrying
// the set marker), its status, headline KPIs and links to its pages. A small demo (600
// complaints, September to November, exported 2025-12-01 00:00): the ingest closes September
// and October (settled: 10 working days after their end fall before the export), November stays open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { generateDemo } from '../../data/generate.ts';
import { pledge, pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport } from '../support/browser.ts';

const dir = tempDir('pledge-index-');
const warehouse = join(dir, 'w.duckdb');
const out = join(dir, 'out');
const common = ['--warehouse', warehouse, '--policy', join(ROOT, 'data', 'policy.yaml')];
let afterFirst = '';
let index = '';
let browser: Browser;

const hrefs = (html: string) => [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1].replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));

beforeAll(async () => {
  const demo = await generateDemo({ outDir: join(dir, 'exports'), complaints: 600, start: '2025-09-01', end: '2025-11-30', splitBy: 'none' });
  pledgeOk(['ingest', ...demo.complaintFiles, ...demo.eventFiles, '--exported-at', '2025-12-01 00:00', '--quiet', ...common]);
  // A folder Pledge did not write: never listed.
  mkdirSync(join(out, '2025-08'), { recursive: true });
  writeFileSync(join(out, '2025-08', 'index.html'), '<p>someone else\'s page</p>');
  pledgeOk(['run', '--month', '2025-10', '--quiet', '--lang', 'en', '--out', out, ...common]);
  afterFirst = readFileSync(join(out, 'index.html'), 'utf8');
  pledgeOk(['run', '--month', '2025-11', '--quiet', '--lang', 'en', '--xlsx', '--out', out, ...common]);
  index = readFileSync(join(out, 'index.html'), 'utf8');
  browser = await launch();
}, 300_000);

afterAll(async () => { await browser?.close(); });

describe('the month index', () => {
  it('lists every month run under --out, newest first, rewritten after each run', () => {
    expect([...afterFirst.matchAll(/<tr data-month="([^"]+)"/g)].map((m) => m[1])).toEqual(['2025-10']);
    expect([...index.matchAll(/<tr data-month="([^"]+)"/g)].map((m) => m[1])).toEqual(['2025-11', '2025-10']);
    expect(index).not.toContain('2025-08');
  });

  it('gives each month its status from the month close: October closed by the ingest, November provisional', () => {
    const closes = pledgeJson<{ m: string; closed: boolean }>(['query', ...common, "select strftime(month, '%Y-%m') as m, closed from kpi_month_close where month >= '2025-10-01' order by 1"]);
    expect(closes).toEqual([{ m: '2025-10', closed: true }, { m: '2025-11', closed: false }]);
    expect(index).toMatch(/<tr data-month="2025-10" data-status="closed"><td><a href="2025-10\/index.html">2025-10<\/a><\/td><td>closed<\/td>/);
    expect(index).toMatch(/<tr data-month="2025-11" data-status="provisional">.*?<td>provisional<\/td>/);
  });

  it('shows the headline KPIs as the month computed them', () => {
    const [t] = pledgeJson<{ actual: number }>(['query', ...common, '--month', '2025-10',
      "select actual from kpi_summary_monthly where month = '2025-10-01' and kpi = 'timeliness'"]);
    const cell = new RegExp(`<tr data-month="2025-10".*?<td class="num[^"]*" data-kpi="timeliness"[^>]*>([^<]+)</td>`).exec(index);
    expect(cell?.[1]).toBe(`${(t.actual * 100).toFixed(1)}%`);
  });

  it('links only to pages that exist, relative to the index: dashboards, review pages, the workbook', () => {
    const links = hrefs(index);
    for (const h of links) {
      expect(h, h).not.toMatch(/^(\/|[a-z]+:)/);
      expect(existsSync(join(out, h)), h).toBe(true);
    }
    expect(links).toEqual(expect.arrayContaining(['2025-10/index.html', '2025-11/index.html', '2025-11/pledge-2025-11.xlsx']));
    expect(links.filter((h) => /^2025-10\/team\/t-[0-9a-f]{10}\.html$/.test(h))).toHaveLength(14);   // the demo's 14 teams
    expect(links.filter((h) => /^2025-10\/department\/d-[0-9a-f]{10}\.html$/.test(h))).toHaveLength(5);
    expect(links).not.toContain('2025-10/pledge-2025-10.xlsx');   // October was run without --xlsx
    // …and each month's dashboard links back to the index, one folder up.
    for (const m of ['2025-10', '2025-11']) expect(hrefs(readFileSync(join(out, m, 'index.html'), 'utf8'))).toContain('../index.html');
  });

  it('leaves an index.html it did not write as it is, and says so', () => {
    const other = join(dir, 'out-foreign');
    mkdirSync(other);
    writeFileSync(join(other, 'index.html'), '<p>our own portal</p>');
    const r = pledge(['run', '--month', '2025-11', '--quiet', '--lang', 'en', '--out', other, ...common]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(other, 'index.html')}: not a month index written by Pledge; it was left as it is`);
    expect(readFileSync(join(other, 'index.html'), 'utf8')).toBe('<p>our own portal</p>');
    expect(existsSync(join(other, '2025-11', 'index.html'))).toBe(true);
  });

  it('has the pages\' strict CSP, and a link opened in Chromium lands on the month\'s dashboard', async () => {
    expect(index).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'none'`);
    const opened = await openReport(browser, join(out, 'index.html'));
    await opened.page.click('a[href="2025-10/index.html"] >> nth=0');
    await opened.page.waitForLoadState('load');
    expect(opened.page.url()).toMatch(/\/out\/2025-10\/index\.html$/);
    expect(await opened.page.title()).toBe('Complaint commitments: monthly dashboard · 2025-10');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blockedRequests).toEqual([]);
  });
});

// The dashboard and the performance-review pages as a person sees them: opened
// from disk in Chromium with the network blocked. Every chart draws marks,
// nothing errors, nothing is fetched, the first screen shows every KPI and what
// is red with its owner, links lead to pages that exist, and pages fit A4 paper.
// Screenshots go to test/out/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { FIXTURES, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport, type OpenedPage } from '../support/browser.ts';

const dir = tempDir('pledge-browser-');
const shots = join(ROOT, 'test', 'out');
const dashboardFile = join(dir, 'out', '2025-10', 'index.html');
let browser: Browser;
let opened: OpenedPage;
let teamFile: string;
let team: OpenedPage;

// A4 is 210 mm wide; with the print CSS's 12 mm margins, 186 mm = 703 CSS pixels (96 px per inch)
// are left for content, and 273 mm = 1032 px of height per page.
const A4_CONTENT_WIDTH = Math.floor((186 / 25.4) * 96);
const A4_CONTENT_HEIGHT = Math.floor((273 / 25.4) * 96);

const MARKS = 'svg .mark-line path, svg .mark-rect path, svg .mark-symbol path, svg .mark-bar path, svg g.mark-rect > path, svg .mark-rule line';

async function chartsOf(p: OpenedPage) {
  return p.page.$$eval('[data-vl-spec]', (els, marks) => els.map((el) => ({
    id: el.getAttribute('data-vl-spec'),
    error: el.getAttribute('data-render-error'),
    marks: el.querySelectorAll(marks).length,
  })), MARKS);
}

beforeAll(async () => {
  pledgeOk(['demo', '--dir', join(dir, 'exports'), '--warehouse', join(dir, 'w.duckdb'), '--out', join(dir, 'out')]);
  browser = await launch();
  opened = await openReport(browser, dashboardFile);
  mkdirSync(shots, { recursive: true });
  // The team that did worst on timeliness, as the dashboard links it.
  const href = await opened.page.$eval('#panel-red tr[data-kpi="timeliness"] td[data-field="worst_team"] a', (a) => a.getAttribute('href')!);
  teamFile = resolve(dirname(dashboardFile), href);
  team = await openReport(browser, teamFile);
});

afterAll(async () => {
  await browser?.close();
});

describe('the monthly dashboard in Chromium, offline', () => {
  it('loads nothing from the network and logs no error or warning from the charts', () => {
    expect(opened.blockedRequests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
    // Vega-Lite warns on the console about specs it had to change (e.g. 'Dropping "fit-y"').
    expect(opened.consoleWarnings).toEqual([]);
  });

  it('draws every chart with marks', async () => {
    const charts = await chartsOf(opened);
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const c of charts) {
      expect(c.error, c.id!).toBeNull();
      expect(c.marks, `${c.id} has no marks`).toBeGreaterThan(0);
    }
  });

  it('shows on the first screen (1280 x 900) every KPI tile and every red KPI with its owner', async () => {
    const bottoms = await opened.page.$$eval('.tile', (els) => els.map((el) => el.getBoundingClientRect().bottom));
    expect(bottoms.length).toBeGreaterThanOrEqual(14);
    expect(Math.max(...bottoms)).toBeLessThanOrEqual(900);
    const red = await opened.page.$$eval('#panel-red tbody tr', (rows) => rows.map((r) => ({
      kpi: r.getAttribute('data-kpi'), bottom: r.getBoundingClientRect().bottom,
      owner: r.querySelector('[data-field="worst_department"]')?.textContent ?? '',
      gap: Number(r.querySelector('[data-field="gap_points"]')?.getAttribute('data-value')),
    })));
    const redTiles = await opened.page.$$eval('.tile.red', (els) => els.map((el) => el.getAttribute('data-kpi')));
    // Every red tile has its row; the rows come furthest from the target first (issue 17: the
    // red list sets priorities by the gap in points, no longer in tile order).
    expect([...red.map((r) => r.kpi)].sort()).toEqual([...redTiles].sort());
    for (let i = 1; i < red.length; i++) expect(red[i - 1].gap).toBeGreaterThanOrEqual(red[i].gap);
    for (const r of red) {
      expect(r.bottom, `${r.kpi} is below the first screen`).toBeLessThanOrEqual(900);
      expect(r.owner).not.toBe('–');
    }
    await opened.page.screenshot({ path: join(shots, 'dashboard-2025-10.png'), fullPage: true });
    await opened.page.screenshot({ path: join(shots, 'dashboard-2025-10-first-screen.png') });
  });

  it('shows the remediation triggered by satisfaction below the line, with working-day deadlines', async () => {
    const org = await opened.page.$$eval('#panel-15-remediation tbody tr', (rows) => rows.map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent)));
    // October's satisfaction rate is below 85%; the month closes Saturday 11-01:
    // 2 working days → Tue 11-04 18:00, 5 → Fri 11-07 18:00.
    expect(org[0]).toEqual(expect.arrayContaining(['全公司', '2025-11-04 18:00', '2025-11-07 18:00']));
  });

  it('links every department and team to a review page that exists', async () => {
    const hrefs = await opened.page.$$eval('a[href$=".html"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')!))]);
    // 5 departments and 14 teams in the demo organisation.
    expect(hrefs.filter((h) => h.startsWith('department/')).length).toBe(5);
    expect(hrefs.filter((h) => h.startsWith('team/')).length).toBe(14);
    for (const h of hrefs) expect(existsSync(resolve(dirname(dashboardFile), h)), h).toBe(true);
  });

  it('reads on a phone-width screen without horizontal scrolling of the page', async () => {
    const phone = await openReport(browser, dashboardFile, { width: 390, height: 844 });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(phone.consoleErrors).toEqual([]);
    await phone.page.screenshot({ path: join(shots, 'dashboard-2025-10-phone.png') });
    await phone.page.context().close();
  });
});

describe('a team performance-review page in Chromium, offline', () => {
  it('loads nothing, logs no error and draws every chart', async () => {
    expect(team.blockedRequests).toEqual([]);
    expect(team.consoleErrors).toEqual([]);
    expect(team.consoleWarnings).toEqual([]);
    const charts = await chartsOf(team);
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const c of charts) expect(c.marks, `${c.id} has no marks`).toBeGreaterThan(0);
    await team.page.screenshot({ path: join(shots, 'team-review-2025-10.png'), fullPage: true });
  });

  it('shows the composite score, the weights, the scorecard, the handlers, why, and the breach list with its CSV', async () => {
    for (const id of ['10-composite', '15-weights', '20-scorecard', '30-handlers', '40-why-commitments', '50-breaches']) {
      expect(await team.page.$(`#panel-${id}`), id).not.toBeNull();
    }
    expect(await team.page.textContent('p.why')).toMatch(/^本月违约主要集中在承诺/);
    const csv = await team.page.$eval('#panel-50-breaches a[data-csv]', (a) => a.getAttribute('href')!);
    const csvText = readFileSync(resolve(dirname(teamFile), csv), 'utf8');
    const total = Number(await team.page.$eval('#panel-50-breaches [data-rows-total]', (e) => e.getAttribute('data-rows-total')));
    expect(csvText.trim().split('\n').length - 1).toBe(total);
    const shown = await team.page.$$eval('#panel-50-breaches tbody tr', (rows) => rows.length);
    expect(shown).toBe(Math.min(total, 50));   // policy reports.list_rows
  });
});

describe('printing to A4', () => {
  for (const which of ['dashboard', 'team'] as const) {
    it(`fits the ${which} page to the width of A4 and keeps every chart on one page`, async () => {
      const p = await openReport(browser, which === 'dashboard' ? dashboardFile : teamFile, { width: A4_CONTENT_WIDTH, height: A4_CONTENT_HEIGHT });
      await p.page.emulateMedia({ media: 'print' });
      const layout = await p.page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        charts: [...document.querySelectorAll('.chart svg')].map((s) => s.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })),
      }));
      expect(layout.scrollWidth).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
      for (const c of layout.charts) {
        expect(c.w).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
        expect(c.h).toBeLessThan(A4_CONTENT_HEIGHT);
      }
      const pdf = await p.page.pdf({ format: 'A4', preferCSSPageSize: true });
      // A4 is 595 x 842 points.
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/);
      await p.page.context().close();
    });
  }
});

describe('pledge run --pdf --lang en', () => {
  it('writes an A4 PDF beside every page, with English labels in the HTML', () => {
    const w = join(dir, 'small.duckdb');
    const policy = join(FIXTURES, 'policy-review.yaml');
    pledgeOk(['ingest', join(FIXTURES, 'review.csv'), '--warehouse', w, '--policy', policy]);
    const out = join(dir, 'pdf');
    const stdout = pledgeOk(['run', '--month', '2025-10', '--warehouse', w, '--policy', policy, '--out', out, '--pdf', '--lang', 'en']);
    // The fixture has 2 departments and 2 teams: 4 review pages and the dashboard.
    expect(stdout).toContain('4 performance-review pages');
    expect(stdout).toContain('5 PDFs beside them');
    const html = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
    expect(html).toContain('Red this month, and who owns it');
    expect(html).toContain('<html lang="en">');
    const pdf = readFileSync(join(out, '2025-10', 'index.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

// The assessment pack's page as an assessor sees it: opened from disk in
// Chromium with the network blocked, under the same Content-Security-Policy as
// the dashboard. Nothing errors, nothing is fetched, the chart draws, and the
// numbers shown are the ones in the evidence files beside the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport, type OpenedPage } from '../support/browser.ts';

const dir = tempDir('pledge-assess-browser-');
const pack = join(dir, 'pack');
const shots = join(ROOT, 'test', 'out');
let browser: Browser;
let opened: OpenedPage;

beforeAll(async () => {
  pledgeOk(['demo', '--complaints', '3000', '--dir', join(dir, 'exports'), '--warehouse', join(dir, 'w.duckdb'), '--out', join(dir, 'out')]);
  // --lang en: the pack's default is Chinese (like run); this file reads its English words.
  pledgeOk(['assess', '--quarter', '2025Q3', '--lang', 'en', '--warehouse', join(dir, 'w.duckdb'), '--out', pack]);
  browser = await launch();
  opened = await openReport(browser, join(pack, 'index.html'));
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('the assessment page in Chromium, offline', () => {
  it('loads nothing from the network and logs no error', () => {
    expect(opened.blockedRequests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });

  it('runs under a Content-Security-Policy without eval or network', async () => {
    const csp = await opened.page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('draws the monthly chart with marks', async () => {
    const chart = await opened.page.$eval('[data-vl-spec="spec-trend"]', (el) => ({
      error: el.getAttribute('data-render-error'),
      marks: el.querySelectorAll('svg .mark-line path, svg .mark-symbol path, svg .mark-tick path, svg g.mark-rect > path').length,
    }));
    expect(chart.error).toBeNull();
    expect(chart.marks).toBeGreaterThan(0);
  });

  it('shows the quarter\'s timeliness and resolution rate as in evidence/kpi.csv', async () => {
    const rows = parse(readFileSync(join(pack, 'evidence', 'kpi.csv')), { columns: true }) as Record<string, string>[];
    for (const kpi of ['timeliness', 'resolution_rate']) {
      const expected = Number(rows.find((r) => r.period === '2025Q3' && r.department === '' && r.kpi === kpi)!.actual);
      const shown = await opened.page.$eval(`#kpi-table td[data-kpi="${kpi}"][data-period="2025Q3"]`, (td) => ({
        actual: Number(td.getAttribute('data-actual')), text: td.textContent,
      }));
      expect(shown.actual).toBe(expected);
      expect(shown.text).toBe(`${(expected * 100).toFixed(1)}%`);
    }
  });

  it('lists every sampled complaint, states the seed and how to redraw', async () => {
    const sample = parse(readFileSync(join(pack, 'evidence', 'sample.csv')), { columns: true }) as Record<string, string>[];
    const ids = await opened.page.$$eval('#sample-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-complaint')));
    expect(ids).toEqual(sample.map((r) => r.complaint_id));
    const text = await opened.page.$eval('#sample', (s) => s.textContent ?? '');
    expect(text).toContain('seed 20251001');
    expect(text).toContain('pledge assess --quarter 2025Q3 --seed 20251001');
  });

  it('writes the methodology from the policy: every commitment with its limits', async () => {
    const commitments = await opened.page.$$eval('#methodology tr[data-commitment]', (trs) => trs.map((tr) => ({
      name: tr.getAttribute('data-commitment'), text: tr.textContent ?? '',
    })));
    expect(commitments.map((c) => c.name)).toEqual(['register', 'first_response', 'sign', 'escalate', 'initial_plan', 'resolve', 'feedback', 'survey', 'archive']);
    // data/policy.yaml: register within 1h when urgent, otherwise 24h; first_response 15m / 4wh; sign 30m.
    expect(commitments[0].text).toContain('severity urgent: within 1 hour; otherwise: within 24 hours');
    expect(commitments[1].text).toContain('severity urgent: within 15 minutes; otherwise: within 4 working hours');
    expect(commitments[2].text).toContain('within 30 minutes');
    expect(commitments[3].text).toContain('severity major');
    // data/policy.yaml: initial_plan is extendable, at most 2 extensions and 10wd in total; reopenings within 30d continue the clock.
    expect(commitments[4].text).toContain('yes (policy: extendable)');
    const methodology = await opened.page.$eval('#methodology', (el) => (el.textContent ?? '').replace(/\s+/g, ' '));
    expect(methodology).toContain('with at most 2 per commitment and at most 10 working days in total');
    expect(methodology).toContain('a complaint reopened within 30d of its resolution does not count as resolved');
    await opened.page.screenshot({ path: join(shots, 'assess-2025Q3.png'), fullPage: true });
  });
});

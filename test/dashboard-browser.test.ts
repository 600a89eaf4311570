// The dashboard as a person sees it: opened from disk in Chromium with the
// network blocked. Every chart draws marks, nothing errors, nothing is fetched,
// and the KPI tiles are on the first screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { pledgeOk, ROOT, tempDir } from './support/cli.ts';
import { launch, openReport, type OpenedPage } from './support/browser.ts';

const dir = tempDir('pledge-browser-');
const shots = join(ROOT, 'test', 'out');
let browser: Browser;
let opened: OpenedPage;

beforeAll(async () => {
  pledgeOk(['demo', '--dir', join(dir, 'exports'), '--warehouse', join(dir, 'w.duckdb'), '--out', join(dir, 'out')]);
  browser = await launch();
  opened = await openReport(browser, join(dir, 'out', '2025-10', 'index.html'));
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('the monthly dashboard in Chromium, offline', () => {
  it('loads nothing from the network and logs no error', () => {
    expect(opened.blockedRequests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });

  it('draws every chart with marks', async () => {
    const charts = await opened.page.$$eval('[data-vl-spec]', (els) => els.map((el) => ({
      id: el.getAttribute('data-vl-spec'),
      error: el.getAttribute('data-render-error'),
      marks: el.querySelectorAll('svg .mark-line path, svg .mark-rect path, svg .mark-symbol path, svg .mark-bar path, svg g.mark-rect > path').length,
    })));
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(c.error, c.id!).toBeNull();
      expect(c.marks, `${c.id} has no marks`).toBeGreaterThan(0);
    }
  });

  it('puts every KPI tile on the first screen (1280 x 900)', async () => {
    const bottoms = await opened.page.$$eval('.tile', (els) => els.map((el) => el.getBoundingClientRect().bottom));
    expect(bottoms.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...bottoms)).toBeLessThanOrEqual(900);
    await opened.page.screenshot({ path: join(shots, 'dashboard-2025-10.png'), fullPage: true });
  });

  it('reads on a phone-width screen without horizontal scrolling of the page', async () => {
    const phone = await openReport(browser, join(dir, 'out', '2025-10', 'index.html'), { width: 390, height: 844 });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(phone.consoleErrors).toEqual([]);
    await phone.page.screenshot({ path: join(shots, 'dashboard-2025-10-phone.png') });
  });
});

// `pledge preview` as an analyst uses it: the dashboard served on localhost
// (port 0 here), open in headless Chromium; saving a file reloads the page with
// the new numbers, and only what the file feeds is recomputed. Built on the
// hand-written status fixture, as of 2025-10-20 00:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES, ROOT, pledgeOk, tempDir } from '../support/cli.ts';
import { launch } from '../support/browser.ts';

const dir = tempDir('pledge-preview-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const queries = join(dir, 'queries');
const panels = join(dir, 'panels');
let child: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const blocked: string[] = [];

async function startPreview(): Promise<string> {
  child = spawn(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'preview', '--month', '2025-10', '--as-of', '2025-10-20 00:00',
    '--port', '0', '--warehouse', warehouse, '--policy', policy, '--queries', queries, '--panels', panels, '--lang', 'en'], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`preview exited ${code}: ${err}`)));
  });
}

const version = () => page.evaluate(() => Number(document.querySelector('meta[name="pledge-preview-version"]')?.getAttribute('content')));
async function waitForVersion(n: number): Promise<void> {
  await page.waitForFunction((v) => document.querySelector('meta[name="pledge-preview-version"]')?.getAttribute('content') === String(v), n, { timeout: 60_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-vl-spec]')]
    .every((el) => el.hasAttribute('data-rendered') || el.hasAttribute('data-render-error')), null, { timeout: 30_000 });
}
const status = async () => (await fetch(new URL('/status', url))).json() as Promise<{ version: number; objects: string[]; panels: string[]; errors: { panel: string; message: string }[]; error?: string }>;
function edit(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

beforeAll(async () => {
  // Exported at the as-of instant: no clock is past where the data ends.
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', join(FIXTURES, 'policy-clocks.yaml'), '--exported-at', '2025-10-20 00:00']);
  writeFileSync(policy, readFileSync(join(FIXTURES, 'policy-clocks.yaml'), 'utf8') + '\nparameters:\n  fast_first_response: 1 hour\n');
  cpSync(join(ROOT, 'queries'), queries, { recursive: true });
  cpSync(join(ROOT, 'panels', 'dashboard'), panels, { recursive: true });
  url = await startPreview();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Only the preview itself may be reached.
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(url)) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  await waitForVersion(0);
});

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
});

describe('pledge preview in Chromium', () => {
  it('serves the dashboard with its charts drawn, nothing blocked and no error', async () => {
    expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('[data-vl-spec][data-rendered]').count()).toBeGreaterThanOrEqual(3);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('reloads after a report query changes, recomputing only its panel', async () => {
    // October's breaches as of 10-20: S2 first_response, S3 first_response, S6 escalate (and resolve ones):
    // more than one row before, exactly one after "limit 1".
    expect(await page.locator('#panel-60-worst-breaches tbody tr').count()).toBeGreaterThan(1);
    edit(join(queries, 'report', 'worst_breaches.sql'), (t) => t.replace(/limit 20\s*$/, 'limit 1\n'));
    await waitForVersion(1);
    expect(await page.locator('#panel-60-worst-breaches tbody tr').count()).toBe(1);
    expect(await status()).toMatchObject({ version: 1, objects: [], panels: ['60-worst-breaches'] });
  });

  it('recreates a changed view and recomputes just the panels that read it', async () => {
    edit(join(queries, 'kpi', 'kpi_backlog.sql'), (t) => t.replace('-- kpi_backlog:', '-- kpi_backlog (edited):'));
    await waitForVersion(2);
    expect(await status()).toMatchObject({ version: 2, objects: ['kpi_backlog'], panels: ['50-backlog'] });
  });

  it('recomputes everything when the policy changes: first_response 4wh → 1wh moves its tile from 50% to 20%', async () => {
    // Hand-worked in test/apps/compare-policy.test.ts: 2 met of 4 judged under 4wh, 1 of 5 under 1wh.
    const tile = () => page.locator('.tile[data-kpi="timeliness:first_response"]').getAttribute('data-actual');
    expect(await tile()).toBe('0.5');
    edit(policy, (t) => t.replace(/(first_response:[^\n]*\n(?:[^\n]*\n)*?\s+within:\s*)4wh/, '$11wh'));
    await waitForVersion(3);
    expect(await tile()).toBe('0.2');
    const s = await status();
    expect(s.panels.length).toBe(await page.locator('section.panel[data-panel]').count());
    expect(s.objects).toContain('commitment_status');
  });

  it('shows a SQL error on the page, naming the file and line, and recovers when it is fixed', async () => {
    const file = join(queries, 'report', 'backlog_ageing.sql');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('open_complaints\nfrom kpi_backlog', 'open_complaint\nfrom kpi_backlog'));
    await page.waitForFunction(() => document.querySelector('#preview-error'), null, { timeout: 60_000 });
    expect(await page.locator('#preview-error').textContent()).toMatch(/backlog_ageing\.sql:\d+:\d+: Binder Error: Referenced column "open_complaint" not found/);
    // In place: the error is inside the backlog panel; the tiles and every other panel stay.
    const broken = page.locator('#panel-50-backlog[data-error="true"]');
    expect(await broken.count()).toBe(1);
    expect(await broken.locator('#preview-error').count()).toBe(1);
    expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#panel-60-worst-breaches tbody tr').count()).toBe(1);
    expect(await page.locator('section.panel[data-error]').count()).toBe(1);
    // The file's own line and column: "open_complaint" is the third column of the select line.
    const line = good.split('\n').findIndex((l) => l.startsWith('select age_band, age_band_order, open_complaints')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(await broken.locator('.preview-where').textContent()).toMatch(new RegExp(`backlog_ageing\\.sql, line ${line}, column ${'select age_band, age_band_order, '.length + 1}$`));
    // "did you mean": the nearest of kpi_backlog's columns by edit distance (one letter short).
    expect(await broken.locator('.preview-did-you-mean').textContent()).toBe('Did you mean: open_complaints');
    expect(await broken.textContent()).toContain('This panel\'s SQL failed');
    const during = await status();
    expect(during).toMatchObject({ version: 4, objects: [], panels: ['50-backlog'] });
    expect(during.error).toBeUndefined();
    expect(during.errors.map((x) => x.panel)).toEqual(['50-backlog']);
    writeFileSync(file, good);
    await waitForVersion(5);
    expect(await page.locator('#panel-50-backlog').count()).toBe(1);
    // After the fix only that panel is recomputed: no view, no other panel.
    expect(await status()).toMatchObject({ version: 5, objects: [], panels: ['50-backlog'], errors: [] });
    expect(await page.locator('section.panel[data-error]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('a view that cannot be rebuilt shows in the panels reading it; the fix rebuilds that view and those panels only', async () => {
    const file = join(queries, 'kpi', 'kpi_backlog.sql');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('and (resolved_at is null', 'and (resolved_att is null'));
    await waitForVersion(6);
    const broken = page.locator('#panel-50-backlog[data-error="true"]');
    expect(await broken.count()).toBe(1);
    expect(await broken.textContent()).toContain('The view it reads, kpi_backlog, could not be rebuilt');
    expect(await broken.locator('#preview-error').textContent()).toMatch(/kpi_backlog\.sql:\d+:\d+: Binder Error: Referenced column "resolved_att" not found/);
    // By hand: resolved_att → resolved_at is 1 edit; → received_at 4 (s→c, o→e, l→i, drop a t), within
    // a third of its 12 letters; every other column of stg_complaints is further.
    expect(await broken.locator('.preview-did-you-mean').textContent()).toBe('Did you mean: resolved_at, received_at');
    expect(await page.locator('section.panel[data-error]').count()).toBe(1);
    expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(6);
    expect(await status()).toMatchObject({ version: 6, objects: ['kpi_backlog'], panels: ['50-backlog'] });
    writeFileSync(file, good);
    await waitForVersion(7);
    expect(await status()).toMatchObject({ version: 7, objects: ['kpi_backlog'], panels: ['50-backlog'], errors: [] });
    expect(await page.locator('#panel-50-backlog tbody tr, #panel-50-backlog [data-vl-spec]').count()).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
  });
});

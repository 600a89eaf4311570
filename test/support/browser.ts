// Opens report pages in Debian's Chromium (driven by playwright-core) with the
// network blocked, as a reader without internet would. Collects console errors
// and failed requests so tests can assert there are none.
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.PLEDGE_CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "npm test" (its pretest installs it) or apt-get install chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage { page: Page; consoleErrors: string[]; consoleWarnings: string[]; blockedRequests: string[] }

/** `initScript` runs in the page before any of its own scripts (e.g. traps on window). */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }, initScript?: () => void): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  if (initScript) await context.addInitScript(initScript);
  const consoleErrors: string[] = [];
  const consoleWarnings: string[] = [];
  const blockedRequests: string[] = [];
  // Nothing but the file itself may load.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blockedRequests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
    if (m.type() === 'warning') consoleWarnings.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(pathToFileURL(file).href);
  // Every chart either draws or records its error.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-vl-spec]')]
    .every((el) => el.hasAttribute('data-rendered') || el.hasAttribute('data-render-error')), null, { timeout: 30_000 });
  return { page, consoleErrors, consoleWarnings, blockedRequests };
}

// Screenshots of the dashboard's first screen (1366 x 900) in Chinese and English for the README:
//   npm run demo && node bin/pledge.mjs run --month 2025-10 --lang en --out reports/out-en
//   node docs/first-screen.mjs reports/out/2025-10/index.html reports/out-en/2025-10/index.html
// Opens each page from disk in Debian's Chromium with the network blocked (as the tests do) and
// writes docs/first-screen-zh.png and docs/first-screen-en.png.
import { chromium } from 'playwright-core';
import { resolve, join, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [zh, en] = process.argv.slice(2);
if (!zh || !en) {
  console.error('usage: node docs/first-screen.mjs <zh dashboard index.html> <en dashboard index.html>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const browser = await chromium.launch({ executablePath: process.env.PLEDGE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [lang, file] of [['zh', zh], ['en', en]]) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(pathToFileURL(resolve(file)).href);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-vl-spec]')]
      .every((el) => el.hasAttribute('data-rendered') || el.hasAttribute('data-render-error')), null, { timeout: 30_000 });
    const out = join(here, `first-screen-${lang}.png`);
    await page.screenshot({ path: out });
    console.log(out);
    await context.close();
  }
} finally {
  await browser.close();
}

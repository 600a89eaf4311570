// PDF copies of report pages for filing on paper (reviews are filed, seed 003),
// printed by headless Chromium with the pages' own print CSS (A4). Chromium is
// optional: where it is not installed, Pledge says so and writes the HTML only.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../core/files.ts';

export const CHROMIUM_PATH = process.env.PLEDGE_CHROMIUM ?? '/usr/bin/chromium';

/** A4 (210 mm) less the print CSS's 12 mm side margins (src/reports/html.ts), in CSS pixels (96 per inch). */
export const A4_CONTENT_WIDTH = Math.floor(((210 - 2 * 12) / 25.4) * 96);

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Prints each HTML page to a PDF beside it (same name, .pdf); returns the PDF paths. */
export async function writePdfs(htmlPaths: string[]): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const written: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The pages are self-contained: nothing but the file itself may load.
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    for (const html of htmlPaths) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(pathToFileURL(html).href);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-vl-spec]')]
        .every((el) => el.hasAttribute('data-rendered') || el.hasAttribute('data-render-error')), null, { timeout: 30_000 });
      await page.emulateMedia({ media: 'print' });
      // Laid out at the A4 column's width, as on paper, and the charts drawn again at it (html.ts):
      // their text stays at its size instead of the drawing being scaled down to fit.
      await page.setViewportSize({ width: A4_CONTENT_WIDTH, height: 1100 });
      await page.evaluate(() => (window as unknown as { pledgeFitCharts?: () => Promise<unknown> }).pledgeFitCharts?.());
      // The running header and page numbers are the pages' own (CSS page-margin boxes, html.ts).
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      const path = html.replace(/\.html$/, '.pdf');
      writeFileAtomic(path, pdf);
      written.push(path);
    }
  } finally {
    await browser.close();
  }
  return written;
}

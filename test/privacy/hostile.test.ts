// A hostile export through ingest and every output Pledge writes: the dashboard (with an
// extra panel that puts export text in a Vega tooltip, href and labels) and `pledge query`
// in every console format over every table and view that holds export text.
//   - opened in Chromium, no injected script runs: window is trapped before the page loads
//     (alert/confirm/prompt/open/fetch/XHR/sendBeacon/eval/Function/document.cookie) and every
//     payload would set window.__pwned; no CSP violation is even attempted;
//   - no original name, phone, ID number or e-mail from the export is in any output byte;
//   - CSV cells cannot start a formula, the terminal gets no escape sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { tableFromIPC } from 'apache-arrow';
import { Warehouse } from '../../src/warehouse/db.ts';
import { pledge, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport, type OpenedPage } from '../support/browser.ts';
import { HOSTILE, HOSTILE_PANEL, HOSTILE_SQL, PII, writeHostileExport } from '../support/hostile.ts';

const dir = tempDir('pledge-hostile-');
const warehouse = join(dir, 'w.duckdb');
const out = join(dir, 'out');
const panels = join(dir, 'panels');
const queries = join(dir, 'queries');
const consoleOut = join(dir, 'console');
const common = ['--warehouse', warehouse, '--policy', join(ROOT, 'data', 'policy.yaml')];
let exported: ReturnType<typeof writeHostileExport>;
let ingestStdout: string;
let html: string;
let browser: Browser;
let opened: OpenedPage;

// Everything Pledge printed or wrote, by name, for the leak grep.
const outputs = new Map<string, Buffer>();

const TABLES = ['stg_complaints', 'complaint_versions', 'rejects', 'breach_list', 'kpi_repeat_complaints', 'imports'];
const FORMATS = ['table', 'csv', 'json'] as const;
const FILE_FORMATS = ['parquet', 'arrow'] as const;
const pack = join(dir, 'pack');

beforeAll(async () => {
  mkdirSync(join(dir, 'exports'));
  exported = writeHostileExport(join(dir, 'exports'));
  ingestStdout = pledgeOk(['ingest', exported.file, ...common]);
  outputs.set('ingest stdout', Buffer.from(ingestStdout));

  // The dashboard's panels plus one that puts export text into Vega.
  cpSync(join(ROOT, 'panels', 'dashboard'), panels, { recursive: true });
  cpSync(join(ROOT, 'queries'), queries, { recursive: true });
  writeFileSync(join(panels, '95-hostile.yaml'), HOSTILE_PANEL);
  writeFileSync(join(queries, 'report', 'hostile_text.sql'), HOSTILE_SQL);
  // The comparison page (--compare-policy) is an output too.
  const run = pledgeOk(['run', '--month', '2025-10', '--out', out, '--panels', panels, '--queries', queries, '--lang', 'en',
    '--compare-policy', join(ROOT, 'data', 'policy.yaml'), ...common]);
  outputs.set('run stdout', Buffer.from(run));

  mkdirSync(consoleOut);
  for (const t of TABLES) {
    for (const f of FORMATS) {
      const text = pledgeOk(['query', '--format', f, ...common, `from ${t}`]);
      writeFileSync(join(consoleOut, `${t}.${f}`), text);
    }
  }
  // Binary exports, read back as well as grepped raw (Parquet is compressed).
  for (const t of TABLES) {
    for (const f of FILE_FORMATS) pledgeOk(['query', '--format', f, '--output', join(consoleOut, `${t}.${f}`), ...common, `from ${t}`]);
  }
  // The quarter's assessment pack: HTML, evidence CSV and Parquet, manifest, calendar.
  outputs.set('assess stdout', Buffer.from(pledgeOk(['assess', '--quarter', '2025Q4', '--out', pack, ...common])));
  for (const f of [...walk(out), ...walk(consoleOut), ...walk(pack)]) {
    outputs.set(f, readFileSync(f));
    if (f.endsWith('.parquet') || f.endsWith('.arrow')) outputs.set(`${f} (decoded)`, Buffer.from(await decoded(f)));
  }
  html = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');

  browser = await launch();
  opened = await openReport(browser, join(out, '2025-10', 'index.html'), undefined, TRAPS);
});

afterAll(async () => { await browser?.close(); });

/** Every value of a Parquet or Arrow file, as JSON text. */
async function decoded(file: string): Promise<string> {
  if (file.endsWith('.arrow')) return JSON.stringify(tableFromIPC(readFileSync(file)).toArray(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  const wh = await Warehouse.open(':memory:');
  try {
    return JSON.stringify(await wh.rows('select * from read_parquet($f)', { f: file }));
  } finally {
    wh.close();
  }
}

function walk(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
}

// Installed before any script of the page runs. Each trap records instead of acting.
const TRAPS = () => {
  const w = window as unknown as Record<string, unknown> & { __trapped: string[] };
  w.__trapped = [];
  const note = (name: string) => (...args: unknown[]) => { w.__trapped.push(`${name}(${String(args[0]).slice(0, 80)})`); return undefined; };
  for (const name of ['alert', 'confirm', 'prompt', 'open', 'print']) w[name] = note(name);
  w.fetch = (...a: unknown[]) => { note('fetch')(...a); return Promise.reject(new Error('trapped')); };
  XMLHttpRequest.prototype.open = note('XMLHttpRequest.open') as never;
  navigator.sendBeacon = note('sendBeacon') as never;
  // The test driver itself (Playwright's UtilityScript) evaluates through these: let it through.
  const fromDriver = () => /UtilityScript/.test(new Error().stack ?? '');
  const realEval = w.eval as (s: string) => unknown;
  w.eval = (src: string) => (fromDriver() ? realEval(src) : note('eval')(src));
  const RealFunction = Function;
  w.Function = new Proxy(RealFunction, {
    apply: (t, self, args) => (fromDriver() ? Reflect.apply(t, self, args) : (note('Function')(args.join(',')), () => undefined)),
    construct: (t, args) => (fromDriver() ? Reflect.construct(t, args) : (note('new Function')(args.join(',')), () => undefined)),
  });
  Object.defineProperty(document, 'cookie', {
    get: () => { note('document.cookie get')(''); return ''; },
    set: (v) => { note('document.cookie set')(v); },
  });
  document.addEventListener('securitypolicyviolation', (e) => w.__trapped.push(`csp(${e.violatedDirective} ${e.blockedURI})`));
};

describe('a hostile export goes in', () => {
  it('loads what can be loaded and keeps the rest in rejects, counts adding up', () => {
    // 7 data rows: H6 (received_at "not a date") and H7 (one field too many) are rejected.
    expect(ingestStdout).toContain(`read 7 · loaded ${exported.loaded} · rejected ${exported.rejected}`);
  });
});

describe('the dashboard of a hostile export, in Chromium', () => {
  it('draws every chart, the hostile one included', async () => {
    const charts = await opened.page.$$eval('[data-vl-spec]', (els) => els.map((el) => ({
      id: el.getAttribute('data-vl-spec'), rendered: el.hasAttribute('data-rendered'), error: el.getAttribute('data-render-error'),
    })));
    expect(charts.map((c) => c.id)).toContain('spec-95-hostile');
    for (const c of charts) expect(c, c.id!).toEqual({ id: c.id, rendered: true, error: null });
    expect(opened.consoleErrors).toEqual([]);
  });

  it('shows the payloads as text a person can read', async () => {
    const text = await opened.page.evaluate(() => document.body.innerText);
    expect(text).toContain(HOSTILE.scriptTag);           // department in the scorecard table
    expect(text).toContain(HOSTILE.imgOnerror);
    expect(text).toContain(HOSTILE.svgOnload);           // handler in the worst-breaches table
    expect(text).toContain(HOSTILE.vegaSignal);
    // The RTL override and the terminal escapes are shown, not obeyed.
    expect(text).toContain('invoice\\u{202E}fdp.exe');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u{001B}[31mRED');
    // The tooltip shows the (masked) description as text.
    const bar = (await opened.page.$$('#panel-95-hostile svg .mark-rect path'))[0];
    await bar.hover();
    const tooltip = await opened.page.$eval('#vg-tooltip-element', (el) => el.textContent ?? '');
    expect(tooltip.length).toBeGreaterThan(0);
  });

  it('keeps a Content-Security-Policy with no unsafe-eval and no source outside the page', async () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'[^;]*script|data:[^;]*script/);
    // Three scripts of the page's own, each by its hash: the inlined libraries, the boot script
    // and the department/team filters (issue 17).
    expect(csp).toMatch(/script-src( 'sha256-[^']+'){3};/);
    // Outside the page's own scripts and JSON specs: no external reference of any kind.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '').replace(/<script type="application\/json"[\s\S]*?<\/script>/g, '');
    // The page as Chromium parsed it: no element loads anything, and links go only to files
    // beside the page (review pages, full-list CSVs, the breaches page), or to a section's anchor
    // (the contents bar, a tile's breaches): no scheme, no other host.
    const dom = await opened.page.evaluate(() => ({
      loaders: [...document.querySelectorAll('[src], [action], [formaction], [poster], [srcset], link, iframe, object, embed')].map((e) => e.outerHTML.slice(0, 80)),
      hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href')!),
    }));
    expect(dom.loaders).toEqual([]);
    expect(dom.hrefs.length).toBeGreaterThan(0);
    for (const h of dom.hrefs) expect(h).toMatch(/^(?![a-z][a-z0-9+.-]*:|\/\/)(?=.)([A-Za-z0-9_./-]+\.(html|csv))?(#[A-Za-z0-9_-]+)?$/i);
    expect(markup).not.toMatch(/@import|url\(/i);
  });

  it('escapes every payload in the JSON of the Vega specs (no </script, no raw U+2028)', () => {
    const specs = [...html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g)];
    expect(specs.length).toBeGreaterThanOrEqual(3);   // trend, commitments and the hostile panel
    for (const [, id, json] of specs) {
      expect(json, id).not.toMatch(/<|>|\u2028|\u2029|\u202e/);
      JSON.parse(json);
    }
    const hostile = JSON.parse(specs.find((s) => s[1] === 'spec-95-hostile')![2]);
    // The Vega expression strings arrive as plain data values, exactly as exported.
    const values = hostile.data.values as Record<string, string>[];
    expect(values.map((v) => v.department)).toContain(HOSTILE.vegaSignal);
    expect(values.map((v) => v.category)).toContain(HOSTILE.vegaDatum);
  });
  // Last: it hovers and clicks, which may log refused links.
  it('runs no injected script: no trap fired, no payload ran, no CSP violation was even attempted', async () => {
    // Hover and click every bar of the hostile chart: tooltips show export text, href holds javascript: and other junk.
    const bars = await opened.page.$$('#panel-95-hostile svg .mark-rect path');
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      await bar.hover();
      await bar.click();
    }
    await opened.page.waitForTimeout(200);
    const state = await opened.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
      trapped: (window as unknown as { __trapped: string[] }).__trapped,
      url: location.href,
      scripts: document.querySelectorAll('script:not([type])').length,
      injected: document.querySelectorAll('body img, svg[onload], iframe, object, embed').length,
      // Links Vega drew from the hostile chart's href channel, if it drew any.
      links: [...document.querySelectorAll('#panel-95-hostile a')].map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href')).filter((h) => h !== null),
    }));
    expect(state.pwned).toBeNull();
    expect(state.trapped).toEqual([]);
    // No link was followed: the page is still the report.
    expect(state.url.endsWith('/index.html')).toBe(true);
    // The only scripts are the page's own (the inlined libraries, the boot script, the filters); no element came from the data.
    expect(state.scripts).toBe(3);
    expect(state.injected).toBe(0);
    expect(opened.blockedRequests).toEqual([]);
    // Vega asked the page's loader about every href in the data and got a refusal: no link is drawn at all.
    expect(state.links).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });
});

describe('no personal data from the export in any output byte', () => {
  it('writes every output we expect to check', () => {
    const names = [...outputs.keys()];
    // The dashboard, the review pages, the policy comparison page and the pack's page.
    const pages = names.filter((k) => k.endsWith('.html'));
    expect(pages).toContain(join(out, '2025-10', 'index.html'));
    expect(pages).toContain(join(pack, 'index.html'));
    expect(pages.filter((k) => k.includes('compare-'))).toHaveLength(1);
    expect(pages.length).toBeGreaterThan(3);
    expect(names.filter((k) => k.startsWith(consoleOut))).toHaveLength(TABLES.length * (FORMATS.length + 2 * FILE_FORMATS.length));
    // Every evidence file is read: kpi, breach_list, commitment_status, sample, reconciliation, appeals,
    // appeal_effects, and under data/policy.yaml's points scheme points and points_lines: 9.
    expect(readdirSync(join(pack, 'evidence')).filter((f) => f.endsWith('.csv'))).toHaveLength(9);
    expect(names.filter((k) => k.startsWith(join(pack, 'evidence')) && k.endsWith('.csv'))).toHaveLength(9);
    expect(names.filter((k) => k.startsWith(join(pack, 'evidence')) && k.endsWith('.parquet (decoded)'))).toHaveLength(9);
  });

  it('finds no original name, phone number, ID number or e-mail address', () => {
    const originals = [...PII.names, ...PII.phones, ...PII.ids, ...PII.emails];
    const leaks: string[] = [];
    for (const [name, bytes] of outputs) {
      for (const o of originals) if (bytes.includes(Buffer.from(o, 'utf8'))) leaks.push(`${o} in ${name}`);
      // JSON may write non-ASCII as \\u escapes; check that spelling too.
      for (const o of PII.names) {
        const escaped = JSON.stringify(o).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        if (escaped !== o && bytes.includes(Buffer.from(escaped))) leaks.push(`${o} (escaped) in ${name}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('still shows the masked forms, so the grep is not vacuous', () => {
    const all = [...outputs.values()].map((b) => b.toString('utf8')).join('\n');
    for (const masked of ['张**', '欧**', 'A*** L**', 'J*** S****', '138****5678', '+86 139****2233', '110***********002X', 'z***@example.com']) {
      expect(all, masked).toContain(masked);
    }
  });
});

describe('console and CSV output of hostile text', () => {
  it('neutralises every CSV cell that a spreadsheet would run as a formula', () => {
    for (const t of TABLES) {
      const records = parse(readFileSync(join(consoleOut, `${t}.csv`)), { columns: true, relax_column_count: true }) as Record<string, string>[];
      for (const r of records) {
        for (const [col, v] of Object.entries(r)) {
          if (/^-?\d+(\.\d+)?$/.test(v)) continue;   // a number is a number
          expect(v, `${t}.${col}`).not.toMatch(/^[=+\-@\t\r]/);
        }
      }
    }
    for (const f of walk(pack).filter((f) => f.endsWith('.csv'))) {
      for (const r of parse(readFileSync(f), { columns: true }) as Record<string, string>[]) {
        for (const [col, v] of Object.entries(r)) if (!/^-?\d+(\.\d+)?(e-?\d+)?$/.test(v)) expect(v, `${f} ${col}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    const versions = parse(readFileSync(join(consoleOut, 'complaint_versions.csv')), { columns: true }) as Record<string, string>[];
    expect(versions.map((r) => r.handler)).toEqual(expect.arrayContaining([`'${HOSTILE.hyperlink}`, `'${HOSTILE.plusCmd}`, `'${HOSTILE.minus}`]));
  });

  it('prints no escape sequence, C1 control or bidi override to the terminal', () => {
    for (const t of TABLES) {
      for (const f of FORMATS) {
        const text = readFileSync(join(consoleOut, `${t}.${f}`), 'utf8');
        expect(text, `${t}.${f}`).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }
    }
    const table = readFileSync(join(consoleOut, 'complaint_versions.table'), 'utf8');
    expect(table).toContain('\\u{001B}[31mRED\\u{001B}[0m');
    // JSON stays valid and round-trips the exact text.
    const rows = JSON.parse(readFileSync(join(consoleOut, 'complaint_versions.json'), 'utf8')) as Record<string, string>[];
    expect(rows.map((r) => r.team)).toContain(HOSTILE.ansi);
    expect(rows.map((r) => r.category)).toContain(HOSTILE.rtl);
  });
});

describe('--reveal-pii', () => {
  it('shows the originals only when asked, and records each use beside the warehouse', () => {
    const masked = pledgeOk(['query', '--format', 'json', ...common, 'select customer_name from stg_complaints where complaint_id = \'H1\'']);
    expect(JSON.parse(masked)).toEqual([{ customer_name: '张**' }]);
    const r = pledge(['query', '--format', 'json', '--reveal-pii', ...common, 'select customer_name from stg_complaints where complaint_id = \'H1\'']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ customer_name: '张三丰' }]);
    expect(r.stderr).toContain('--reveal-pii');
    const log = readFileSync(`${warehouse}.reveal.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({ command: 'query', sql: 'select customer_name from stg_complaints where complaint_id = \'H1\'' });
    expect(statSync(`${warehouse}.reveal.log`).mode & 0o777).toBe(0o600);
  });

  it('masks a customer name under any column name, and inside a list, in every export', () => {
    // H1's customer is 张三丰; the five loaded customers sorted by complaint_id: 张三丰, Anna Lee, 欧阳娜娜, 欧阳娜娜, John Smith.
    const rows = JSON.parse(pledgeOk(['query', '--format', 'json', ...common,
      "select customer_name as who, (select list(customer_name order by complaint_id) from stg_complaints) as everyone from stg_complaints where complaint_id = 'H1'"]));
    expect(rows).toEqual([{ who: '张**', everyone: ['张**', 'A*** L**', '欧**', '欧**', 'J*** S****'] }]);
  });

  it('is refused for an assessment pack', () => {
    const r = pledge(['assess', '--quarter', '2025Q4', '--out', join(dir, 'pack-revealed'), '--reveal-pii', ...common]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('pledge: assess: --reveal-pii is refused: an assessment pack is handed to third parties and never carries personal data');
  });

  it('links a customer\'s complaints by a pseudonymous key, not by who they are', () => {
    // H3 and H4: customer U003 (欧阳娜娜), category "datum.x + …", 24 hours apart → one repeat.
    const rows = JSON.parse(pledgeOk(['query', '--format', 'json', '--as-of', '2025-11-01', ...common,
      'select complaint_id, previous_complaint_id, customer_key, days_since_previous from kpi_repeat_complaints'])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ complaint_id: 'H4', previous_complaint_id: 'H3', days_since_previous: 1 });
    expect(rows[0].customer_key).toMatch(/^K[a-p]{16}$/);
    // customer_id in an output is replaced by the same key.
    const ids = JSON.parse(pledgeOk(['query', '--format', 'json', ...common,
      "select customer_id, customer_key from stg_complaints where complaint_id = 'H4'"])) as Record<string, unknown>[];
    expect(ids[0].customer_id).toBe(ids[0].customer_key);
  });
});

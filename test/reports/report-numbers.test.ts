// Every number on the pages is the number `pledge query` gives: for the demo
// month, every tile, table row and chart of the dashboard and of one team's
// performance review (the department pages are made by the same code from the
// same panel files) is compared with the output of
// `pledge query --file <the panel's query> --month 2025-10 --param …` (the
// panel names its query and parameters in data-query / data-params; cells carry
// the raw value in data-value; the shown text is checked against it too).
// Then the page-size promise: a month with 100× the complaints gives pages of
// the same size within 10% (lists are bounded; the full lists are CSV files).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { pledgeOk, ROOT, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-numbers-');
const out = join(dir, 'out');
const warehouse = join(dir, 'w.duckdb');
const LIST_ROWS = 50; // data/policy.yaml reports.list_rows

type Row = Record<string, unknown>;
interface Section { id: string; query: string; params: Record<string, string>; html: string }

function sections(html: string): Section[] {
  return [...html.matchAll(/<section class="panel[^"]*" id="panel-([^"]+)"[^>]*data-query="([^"]+)" data-params="([^"]*)">([\s\S]*?)<\/section>/g)]
    .map((m) => ({ id: m[1], query: m[2], params: JSON.parse(unescape(m[3])), html: m[4] }));
}

function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

/** `pledge query` in a child process, without blocking the other queries. */
function pledgeQuery(args: string[]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'pledge.mjs'), 'query', '--format', 'json', ...args], { cwd: ROOT });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`pledge query ${args.join(' ')}: ${stderr}`))));
  });
}

/** Two at a time: the machines have two cores. */
async function inPairs<T, R>(items: T[], f: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < items.length) { const i = next++; results[i] = await f(items[i]); }
  }));
  return results;
}

/**
 * The page's raw value against the query's. Numbers may differ in the last bits:
 * DuckDB sums doubles in parallel, in an order that varies from run to run.
 */
function sameValue(shown: string, value: unknown, where: string) {
  if (typeof value === 'number' && !Number.isInteger(value)) expect(Number(shown), where).toBeCloseTo(value, 9);
  else expect(shown, where).toBe(raw(value));
}

const raw = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** What a person reads in a cell, checked against the raw value: "83.2%" against 0.8318…, "2,195" against 2195. */
function checkShownText(text: string, value: unknown, where: string) {
  const t = text.replace(/[,\s]/g, '');
  if (/^−?-?\d+(\.\d+)?%$/.test(t)) {
    expect(Math.abs(Number(t.replace('−', '-').slice(0, -1)) / 100 - Number(value)), where).toBeLessThanOrEqual(0.0005 + 1e-12);
  } else if (/^\d+(\.\d+)?$/.test(t) && typeof value === 'number') {
    expect(Math.abs(Number(t) - value), where).toBeLessThanOrEqual(0.05 + 1e-9);
  }
}

let pages: { name: string; file: string; html: string }[];
let expected: Map<string, Row[]>;

beforeAll(async () => {
  pledgeOk(['demo', '--dir', join(dir, 'exports'), '--warehouse', warehouse, '--out', out]);
  const monthDir = join(out, '2025-10');
  const dashboard = readFileSync(join(monthDir, 'index.html'), 'utf8');
  // The team that did worst on timeliness, as the dashboard links it.
  const red = /<tr data-kpi="timeliness">[\s\S]*?<a href="(team\/[^"]+)">/.exec(dashboard)!;
  pages = [
    { name: 'dashboard', file: join(monthDir, 'index.html'), html: dashboard },
    { name: 'team', file: join(monthDir, red[1]), html: readFileSync(join(monthDir, red[1]), 'utf8') },
  ];
  const keyOf = (s: Section) => `${s.query} ${JSON.stringify(s.params)}`;
  const unique = [...new Map(pages.flatMap((p) => sections(p.html)).map((s) => [keyOf(s), s])).values()];
  const results = await inPairs(unique, (s) => pledgeQuery(['--warehouse', warehouse, '--month', '2025-10',
    '--file', join('queries', s.query), ...Object.entries(s.params).flatMap(([k, v]) => ['--param', `${k}=${v}`])]));
  expected = new Map(unique.map((s, i) => [keyOf(s), results[i]]));
}, 600_000);

const expectedFor = (s: Section) => expected.get(`${s.query} ${JSON.stringify(s.params)}`)!;

describe('every number on the pages equals pledge query for the demo month', () => {
  it('covers every section of both pages', () => {
    for (const p of pages) {
      const ids = sections(p.html).map((s) => s.id);
      const all = [...p.html.matchAll(/<section class="panel[^"]*" id="panel-([^"]+)"/g)].map((m) => m[1]);
      expect(ids, p.name).toEqual(all);   // no section without a query behind it
    }
  });

  it('shows each tile\'s actual, target and last month as the query returns them', () => {
    const s = sections(pages[0].html).find((x) => x.id === '10-tiles')!;
    const tiles = [...s.html.matchAll(/data-kpi="([^"]+)" data-actual="([^"]*)" data-target="([^"]*)"/g)];
    const rows = expectedFor(s);
    expect(tiles.length).toBe(rows.length);
    for (const [i, r] of rows.entries()) {
      expect(tiles[i][1]).toBe(r.kpi);
      expect(tiles[i][2]).toBe(raw(r.actual));
      expect(tiles[i][3]).toBe(raw(r.target));
    }
  });

  for (const name of ['dashboard', 'team']) {
    it(`shows in every table of the ${name} page exactly the query's rows and values`, () => {
      const page = pages.find((p) => p.name === name)!;
      let cellsChecked = 0;
      for (const s of sections(page.html).filter((x) => x.html.includes('<table'))) {
        const rows = expectedFor(s);
        const bounded = /data-rows-total="(\d+)"/.exec(s.html);
        const htmlRows = [...s.html.matchAll(/<tr[^>]*>((?:(?!<\/tr>)[\s\S])*<td[\s\S]*?)<\/tr>/g)]
          .map((m) => [...m[1].matchAll(/<td[^>]*data-field="([^"]+)" data-value="([^"]*)">([\s\S]*?)<\/td>/g)])
          .filter((cells) => cells.length > 0);   // not the "no data this month" row
        if (bounded) {
          expect(Number(bounded[1]), s.id).toBe(rows.length);
          expect(htmlRows.length, s.id).toBe(Math.min(rows.length, LIST_ROWS));
        } else {
          expect(htmlRows.length, s.id).toBe(rows.length);
        }
        htmlRows.forEach((cells, i) => {
          for (const [, field, value, text] of cells) {
            if (field.endsWith('_label')) continue;   // words for a value checked in its own column
            sameValue(unescape(value), rows[i][field], `${s.id} row ${i} ${field}`);
            checkShownText(unescape(text.replace(/<[^>]+>/g, '')), rows[i][field], `${s.id} row ${i} ${field}`);
            cellsChecked++;
          }
        });
      }
      expect(cellsChecked).toBeGreaterThan(50);
    });

    it(`draws every chart of the ${name} page from exactly the query's rows`, () => {
      const page = pages.find((p) => p.name === name)!;
      const charts = sections(page.html).filter((x) => x.html.includes('data-vl-spec'));
      expect(charts.length).toBeGreaterThanOrEqual(2);
      for (const s of charts) {
        const spec = JSON.parse(/<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/.exec(s.html)![1]);
        const values = (spec.data.values as Row[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_label'))));
        const rows = expectedFor(s);
        expect(values.length, s.id).toBe(rows.length);
        values.forEach((v, i) => {
          expect(Object.keys(v).sort(), s.id).toEqual(Object.keys(rows[i]).sort());
          for (const k of Object.keys(v)) sameValue(raw(v[k]), rows[i][k], `${s.id} row ${i} ${k}`);
        });
      }
    });
  }

  it('writes the full breach list of the team to the CSV beside its page', () => {
    const team = pages[1];
    const s = sections(team.html).find((x) => x.id === '50-breaches')!;
    const csvName = /data-csv="([^"]+)"/.exec(s.html)![1];
    const csv = parse(readFileSync(join(team.file, '..', csvName)), { columns: true }) as Record<string, string>[];
    const rows = expectedFor(s);
    expect(csv.length).toBe(rows.length);
    expect(csv.length).toBeGreaterThan(LIST_ROWS);   // the demo's worst team has more breaches than a page shows
    expect(csv.map((r) => `${r.complaint_id}/${r.commitment}`)).toEqual(rows.map((r) => `${r.complaint_id}/${r.commitment}`));
    expect(Number(/data-rows-total="(\d+)"/.exec(s.html)![1])).toBe(rows.length);
    // Written chunk by chunk as it is read, yet the same bytes as `pledge query --format csv`.
    const asQueried = pledgeOk(['query', '--warehouse', warehouse, '--month', '2025-10', '--format', 'csv',
      '--file', join('queries', s.query), ...Object.entries(s.params).flatMap(([k, v]) => ['--param', `${k}=${v}`])]);
    expect(readFileSync(join(team.file, '..', csvName), 'utf8')).toBe(asQueried);
  });
});

describe('personal data on the review pages and lists', () => {
  it('puts no customer phone number or customer id on any page or CSV of the month', () => {
    const monthDir = join(out, '2025-10');
    const files = ['', 'department', 'team'].flatMap((sub) => readdirSync(join(monthDir, sub))
      .filter((f) => /\.(html|csv)$/.test(f)).map((f) => join(monthDir, sub, f)));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8').replace(/<script>[\s\S]*?<\/script>/g, '');   // not the inlined chart libraries
      expect(text, f).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);   // a mainland mobile number
      expect(text, f).not.toMatch(/\bCU\d{7}\b/);                // the demo's customer ids
    }
  });
});

describe('page size does not grow with the data', () => {
  it('gives pages of the same size within 10% for 1/100 of the demo and for the demo (100×)', () => {
    // The demo month has ~2,250 complaints; the small run has 1/100 of the demo's complaints.
    const small = join(dir, 'small');
    pledgeOk(['demo', '--complaints', '200', '--dir', join(small, 'exports'), '--warehouse', join(small, 'w.duckdb'), '--out', join(small, 'out')]);
    const sizes = (root: string) => new Map(['', 'department', 'team'].flatMap((sub) =>
      readdirSync(join(root, '2025-10', sub)).filter((f) => f.endsWith('.html')).map((f) => [`${sub}/${f}`, statSync(join(root, '2025-10', sub, f)).size])));
    const smallSizes = sizes(join(small, 'out'));
    const bigSizes = sizes(out);
    expect(smallSizes.size).toBeGreaterThanOrEqual(10);
    for (const [page, size] of smallSizes) {
      const big = bigSizes.get(page)!;
      expect(big, page).toBeDefined();
      expect(Math.abs(big - size) / size, `${page}: ${size} → ${big} bytes`).toBeLessThanOrEqual(0.10);
    }
  });
});

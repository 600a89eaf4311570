// The demo end to end, through the real CLI: generate, ingest, run. The
// dashboard must exist, show no customer's personal data, and show the numbers
// `pledge query` gives for the same warehouse, one of them re-derived here
// from the export files alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { pledgeJson, pledgeOk, tempDir } from './support/cli.ts';

const dir = tempDir('pledge-demo-');
const demoDir = join(dir, 'exports');
const warehouse = join(dir, 'warehouse.duckdb');
const out = join(dir, 'out');
let stdout: string;
let html: string;
let exportRows: Record<string, string>[];
let eventRows: Record<string, string>[];

beforeAll(() => {
  stdout = pledgeOk(['demo', '--dir', demoDir, '--warehouse', warehouse, '--out', out]);
  html = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
  exportRows = readdirSync(demoDir).filter((f) => f.startsWith('complaints-')).sort()
    .flatMap((f) => parse(readFileSync(join(demoDir, f)), { columns: true }) as Record<string, string>[]);
  eventRows = readdirSync(demoDir).filter((f) => f.startsWith('events-')).sort()
    .flatMap((f) => parse(readFileSync(join(demoDir, f)), { columns: true }) as Record<string, string>[]);
});

const tiles = () => [...html.matchAll(/<div class="tile [a-z]+" data-kpi="([^"]+)" data-actual="([^"]*)"/g)]
  .map((m) => ({ kpi: m[1], actual: m[2] === '' ? null : Number(m[2]) }));

describe('pledge demo', () => {
  it('ends by printing the path of the dashboard, which exists', () => {
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last).toBe(`dashboard: ${join(out, '2025-10', 'index.html')}`);
    expect(existsSync(join(out, '2025-10', 'index.html'))).toBe(true);
  });

  it('loads every row it generated: about 20,000 complaints, none rejected', () => {
    const [r] = pledgeJson<{ read: number; loaded: number; rejected: number }>(['query', '--warehouse', warehouse,
      "select sum(rows_read) as read, sum(rows_loaded) as loaded, sum(rows_rejected) as rejected from imports where kind = 'complaints'"]);
    expect(r).toEqual({ read: exportRows.length, loaded: exportRows.length, rejected: 0 });
    expect(exportRows.length).toBeGreaterThan(19_000);
  });

  it('loads every flow-log event it generated, none rejected', () => {
    const [r] = pledgeJson<{ read: number; loaded: number; rejected: number }>(['query', '--warehouse', warehouse,
      "select sum(rows_read) as read, sum(rows_loaded) as loaded, sum(rows_rejected) as rejected from imports where kind = 'events'"]);
    expect(r).toEqual({ read: eventRows.length, loaded: eventRows.length, rejected: 0 });
  });

  it('shows the extensions approved in October as counted in the flow-log files, and those approved after the deadline', () => {
    // The flow log's own count: extension_approved rows stamped in October 2025 (all before the as-of instant).
    const approved = eventRows.filter((e) => e.event === 'extension_approved' && e.at.startsWith('2025-10')).length;
    const cell = (field: string) => {
      const m = new RegExp(`data-panel="65-pauses-extensions"[\\s\\S]*?data-field="${field}"[^>]*>([^<]*)<`).exec(html);
      return m ? Number(m[1].replace(/,/g, '')) : NaN;
    };
    expect(approved).toBeGreaterThan(20);
    expect(cell('extensions')).toBe(approved);
    const [q] = pledgeJson<{ n: number }>(['query', '--warehouse', warehouse, '--month', '2025-10',
      "select count(*) as n from event_findings where finding = 'extension_after_due' and date_trunc('month', event_at::timestamp) = date '2025-10-01'"]);
    expect(q.n).toBeGreaterThan(0);
    expect(cell('extensions_after_due')).toBe(q.n);
  });

  it('shows no customer phone number and no customer name that is not also a member of staff', () => {
    const staff = exportRows.flatMap((r) => [r.handler, r.first_handler]).join('|');
    const phones = new Set(exportRows.map((r) => r.customer_phone));
    expect([...phones].filter((p) => html.includes(p))).toEqual([]);
    // Chinese names are short: one that is also (part of) a handler's name may appear as the handler.
    const names = new Set(exportRows.map((r) => r.customer_name).filter((n) => !staff.includes(n)));
    expect([...names].filter((n) => html.includes(n))).toEqual([]);
    // Nothing shaped like a mobile number outside the inlined chart libraries.
    const withoutLibraries = html.replace(/<script>[\s\S]*?<\/script>/g, '');
    expect(withoutLibraries).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });

  it('shows on every tile the number pledge query gives for it', () => {
    const expected = pledgeJson<{ kpi: string; actual: number | null }>(['query', '--warehouse', warehouse, '--month', '2025-10',
      '--file', 'queries/report/dashboard_tiles.sql']);
    const shown = tiles();
    expect(shown.length).toBe(expected.length);
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (const t of expected) {
      const tile = shown.find((s) => s.kpi === t.kpi)!;
      expect(tile, t.kpi).toBeDefined();
      if (t.actual === null) expect(tile.actual).toBeNull();
      else expect(tile.actual).toBeCloseTo(t.actual, 12);
    }
  });

  it('shows registration timeliness for October as re-derived from the export files alone', () => {
    // Policy: registered within 24 calendar hours, urgent within 1 hour; counted in the month the
    // deadline falls in; evaluated as of 2025-11-01 00:00 (+08:00).
    const asOf = Date.parse('2025-11-01T00:00:00+08:00');
    const instant = (local: string) => (local ? Date.parse(local.replace(' ', 'T') + '+08:00') : NaN);
    let met = 0, late = 0;
    for (const r of exportRows) {
      const due = instant(r.received_at) + (r.severity === 'urgent' ? 1 : 24) * 3_600_000;
      const dueLocal = new Date(due + 8 * 3_600_000).toISOString().slice(0, 7);
      if (dueLocal !== '2025-10') continue;
      const done = instant(r.registered_at);
      if (!Number.isNaN(done) && done <= asOf && done <= due) met++;
      else if (!Number.isNaN(done) && done <= asOf) late++;
      else if (due < asOf) late++;
    }
    const tile = tiles().find((t) => t.kpi === 'timeliness:register')!;
    expect(met + late).toBeGreaterThan(1000);
    expect(tile.actual).toBeCloseTo(met / (met + late), 12);
  });
  it('never shows a sentinel customer added afterwards (this test changes the warehouse: keep it last)', () => {
    const extra = join(dir, 'sentinel.csv');
    writeFileSync(extra, 'complaint_id,severity,channel,department,team,customer_name,customer_phone,received_at,first_response_at,description\n' +
      'Z1,general,phone,客服中心,客服中心一组,欧阳测试娜,13912345678,2025-10-20 10:00:00,2025-10-20 18:00:00,客户欧阳测试娜来电 13912345678\n');
    pledgeOk(['ingest', extra, '--warehouse', warehouse]);
    const out2 = join(dir, 'out2');
    pledgeOk(['run', '--month', '2025-10', '--warehouse', warehouse, '--out', out2]);
    const page = readFileSync(join(out2, '2025-10', 'index.html'), 'utf8');
    const count = "select count(*) as n from stg_complaints where customer_name = '欧阳测试娜'";
    // The original is kept, in the personal file only a --reveal-pii session attaches …
    expect(pledgeJson<{ n: number }>(['query', '--reveal-pii', '--warehouse', warehouse, count])[0].n).toBe(1);
    expect(pledgeJson<{ n: number }>(['query', '--warehouse', warehouse, count])[0].n).toBe(0);
    expect(page).not.toContain('欧阳测试娜'); // … and the report does not show it
    expect(page).not.toContain('13912345678');
  });
});

describe('files the demo writes', () => {
  it('are owner-only, every file and folder: the exports (names, phones), the warehouse, the reports', () => {
    const open: string[] = [];
    const walk = (d: string) => {
      if ((statSync(d).mode & 0o777) !== 0o700) open.push(`${d} ${(statSync(d).mode & 0o777).toString(8)}`);
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if ((statSync(p).mode & 0o777) !== 0o600) open.push(`${p} ${(statSync(p).mode & 0o777).toString(8)}`);
      }
    };
    for (const d of [demoDir, out]) walk(d);
    for (const f of [warehouse, `${warehouse}.personal`, `${warehouse}.key`].filter(existsSync)) if ((statSync(f).mode & 0o777) !== 0o600) open.push(f);
    expect(open).toEqual([]);
  });
});

describe('pledge test on the demo', () => {
  it('passes every data test of queries/tests/ for October and at the latest time recorded', () => {
    for (const when of [['--month', '2025-10'], []]) {
      const out = pledgeOk(['test', '--warehouse', warehouse, ...when]);
      const names = readdirSync(join(import.meta.dirname, '..', 'queries', 'tests')).filter((f) => f.endsWith('.sql'));
      expect(out).toMatch(new RegExp(`^${names.length} passed, 0 failed`, 'm'));
      for (const f of names) expect(out).toMatch(new RegExp(`^ok {4}${f.replace(/\.sql$/, '')} `, 'm'));
    }
  });
});

// The demo generator: deterministic, well-formed CSV, and internally consistent data
// (stage order, export cut-off, flow log agreeing with the complaint export).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { generateDemo, DEMO_DEFAULTS, DEMO_ORG, type DemoResult } from '../data/generate.ts';

const { isWorkday } = createRequire(import.meta.url)('chinese-days') as { isWorkday(d: string): boolean };

// Written out literally (not imported) so an accidental change to the generator's header fails here.
const HEADER = 'complaint_id,channel,severity,category,department,team,handler,first_handler,customer_id,customer_name,customer_phone,customer_segment,is_valid,reopened_count,received_at,registered_at,signed_at,first_response_at,escalated_at,plan_at,resolved_at,feedback_at,survey_at,satisfaction,archived_at,description';
const EVENT_HEADER = 'complaint_id,at,event,actor,team,detail';
const APPEAL_HEADER = '工单编号,申诉事项,申诉时间,审核时间,审核结果,申诉理由';
const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CHAIN = ['received_at', 'registered_at', 'first_response_at', 'plan_at', 'resolved_at', 'feedback_at', 'survey_at'];

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pledge-gen-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const readAll = (files: string[]) => files.map((f) => fs.readFileSync(f));
const records = (file: string): Record<string, string>[] => parse(fs.readFileSync(file), { columns: true });

describe('generateDemo: determinism', () => {
  it('same seed gives byte-identical files, a different seed differs', async () => {
    const a = await generateDemo({ outDir: tmp(), complaints: 600, seed: 42 });
    const b = await generateDemo({ outDir: tmp(), complaints: 600, seed: 42 });
    const c = await generateDemo({ outDir: tmp(), complaints: 600, seed: 43 });
    expect(a.complaintFiles.map((f) => path.basename(f))).toEqual(b.complaintFiles.map((f) => path.basename(f)));
    expect(a.eventFiles.map((f) => path.basename(f))).toEqual(b.eventFiles.map((f) => path.basename(f)));
    expect(a.appealFiles.map((f) => path.basename(f))).toEqual(b.appealFiles.map((f) => path.basename(f)));
    const all = (r: DemoResult) => Buffer.concat(readAll([...r.complaintFiles, ...r.eventFiles, ...r.appealFiles]));
    expect(all(a).equals(all(b))).toBe(true);
    expect(Buffer.concat(readAll(a.complaintFiles)).equals(Buffer.concat(readAll(c.complaintFiles)))).toBe(false);
  });

  it('exports its defaults', () => {
    expect(DEMO_DEFAULTS).toMatchObject({ seed: 20251001, complaints: 20000, start: '2025-04-01', end: '2025-11-30', splitBy: 'month' });
    expect(DEMO_ORG.teams.some((t) => t.name === DEMO_DEFAULTS.weakTeam)).toBe(true);
  });
});

describe('generateDemo: a 3,000-complaint sample', () => {
  let res: DemoResult;
  let rows: Record<string, string>[];
  let events: (Record<string, string> & { file: string })[];
  const exportAt = '2025-12-01 00:00:00';

  beforeAll(async () => {
    res = await generateDemo({ outDir: tmp(), complaints: 3000 });
    rows = res.complaintFiles.flatMap((f) => records(f).map((r) => ({ ...r, file: path.basename(f) })));
    events = res.eventFiles.flatMap((f) => records(f).map((r) => ({ ...r, file: path.basename(f) })));
  });

  it('writes one complaint file per month, canonical headers, 26 fields a row, counts that add up', () => {
    expect(res.complaints).toBe(3000);
    expect(rows.length).toBe(3000);
    expect(events.length).toBe(res.events);
    expect(res.complaintFiles.map((f) => path.basename(f))).toEqual(
      ['04', '05', '06', '07', '08', '09', '10', '11'].map((m) => `complaints-2025-${m}.csv`));
    for (const f of res.complaintFiles) {
      expect(fs.readFileSync(f, 'utf8').split('\n', 1)[0]).toBe(HEADER);
      const raw = parse(fs.readFileSync(f)) as string[][]; // throws on a ragged row
      for (const r of raw) expect(r.length).toBe(26);
    }
    for (const f of res.eventFiles) expect(fs.readFileSync(f, 'utf8').split('\n', 1)[0]).toBe(EVENT_HEADER);
    for (const f of res.appealFiles) expect(fs.readFileSync(f, 'utf8').split('\n', 1)[0]).toBe(APPEAL_HEADER);
    const size = [...res.complaintFiles, ...res.eventFiles, ...res.appealFiles].reduce((s, f) => s + fs.statSync(f).size, 0);
    expect(res.bytes).toBe(size);
    expect(fs.readFileSync(res.complaintFiles[0]).subarray(0, 3).toString('hex')).not.toBe('efbbbf'); // no BOM
  });

  it('has well-formed, plausible attribute values', () => {
    const ids = rows.map((r) => r.complaint_id);
    expect(ids).toEqual(ids.map((_, i) => 'C' + String(i + 1).padStart(7, '0')));
    const customers = new Map<string, string>();
    for (const r of rows) {
      expect(['phone', 'counter', 'letter', 'app', 'web', 'online_chat', 'email', 'social_media']).toContain(r.channel);
      expect(['general', 'major', 'urgent']).toContain(r.severity);
      expect(['', 'elderly', 'disabled', 'vip']).toContain(r.customer_segment);
      expect(['true', 'false']).toContain(r.is_valid);
      expect(['0', '1', '2']).toContain(r.reopened_count);
      expect(r.customer_id).toMatch(/^CU\d{7}$/);
      expect(r.customer_phone).toMatch(/^1[3-9]\d{9}$/);
      expect(r.team.startsWith(r.department)).toBe(true);
      expect(DEMO_ORG.teams.find((t) => t.name === r.team)?.handlers).toContain(r.handler);
      const who = `${r.customer_name}|${r.customer_phone}|${r.customer_segment}`;
      expect(customers.get(r.customer_id) ?? who).toBe(who); // stable per customer
      customers.set(r.customer_id, who);
    }
    const share = (f: (r: Record<string, string>) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => !['phone', 'counter', 'letter'].includes(r.channel))).toBeGreaterThan(0.5);
    expect(share((r) => r.severity === 'general')).toBeGreaterThan(0.8);
    expect(share((r) => r.first_handler !== r.handler)).toBeGreaterThan(0.1);
    expect(customers.size).toBeLessThan(rows.length); // repeat customers exist
    expect(rows.some((r) => /["\n]/.test(r.description))).toBe(true); // CSV quoting is exercised
    expect(rows.some((r) => r.description.includes(','))).toBe(true);
  });

  it('keeps stage order, the export cut-off and the per-file month', () => {
    let prev = '';
    for (const r of rows) {
      expect(r.received_at >= prev).toBe(true); // written in received_at order
      prev = r.received_at;
      expect(r.file).toBe(`complaints-${r.received_at.slice(0, 7)}.csv`);
      expect(r.received_at >= '2025-04-01 00:00:00' && r.received_at <= exportAt).toBe(true);
      let last = r.received_at, open = false;
      for (const c of CHAIN) {
        const v = r[c];
        if (v === '') { open = true; continue; }
        expect(v).toMatch(TS);
        expect(open, `${r.complaint_id} ${c} after an empty stage`).toBe(false);
        expect(v >= last, `${r.complaint_id} ${c}`).toBe(true);
        expect(v <= exportAt).toBe(true);
        last = v;
      }
      if (r.archived_at) expect(r.resolved_at && r.archived_at >= r.resolved_at && r.archived_at <= exportAt).toBeTruthy();
      // Signed for within the hour of receipt mostly (30 minutes is the sign commitment's limit), never before it.
      if (r.signed_at) expect(r.signed_at >= r.received_at && r.signed_at <= exportAt).toBe(true);
      if (r.severity === 'general') expect(r.escalated_at).toBe('');
      else if (r.escalated_at) expect(r.escalated_at >= r.received_at && r.escalated_at <= exportAt).toBe(true);
      expect(r.satisfaction === '').toBe(r.survey_at === '');
      if (r.satisfaction) expect(Number.isInteger(+r.satisfaction) && +r.satisfaction >= 0 && +r.satisfaction <= 100).toBe(true);
      if (r.reopened_count !== '0') expect(r.feedback_at).not.toBe('');
    }
    // Complaints received in the last days are still open at export time, as in a real export.
    expect(rows.filter((r) => r.received_at >= '2025-11-25').some((r) => r.resolved_at === '')).toBe(true);
  });

  it('lands working-clock stages inside working hours of Chinese working days', () => {
    for (const r of rows) for (const c of ['plan_at', 'resolved_at']) {
      const v = r[c];
      if (!v) continue;
      expect(isWorkday(v.slice(0, 10)), `${r.complaint_id} ${c} ${v}`).toBe(true);
      const hms = v.slice(11);
      expect((hms >= '09:00:00' && hms <= '12:00:00') || (hms >= '13:00:00' && hms <= '18:00:00'), `${c} ${v}`).toBe(true);
    }
  });

  it('has a flow log that is ordered and agrees with the complaint export', () => {
    const byId = new Map(rows.map((r) => [r.complaint_id, r]));
    const per = new Map<string, Record<string, string>[]>();
    let prev = '', prevFile = '';
    for (const e of events) {
      if (e.file !== prevFile) { prev = ''; prevFile = e.file; }
      expect(e.at).toMatch(TS);
      expect(e.at >= prev).toBe(true); // ordered by time within a file
      prev = e.at;
      expect(e.file).toBe(`events-${e.at.slice(0, 7)}.csv`);
      expect(['registered', 'paused', 'resumed', 'extension_approved', 'transferred', 'returned', 'reopened', 'resolved']).toContain(e.event);
      const c = byId.get(e.complaint_id)!;
      expect(c, e.complaint_id).toBeDefined();
      expect(e.at >= c.received_at && e.at <= exportAt).toBe(true);
      expect(DEMO_ORG.teams.some((t) => t.name === e.team)).toBe(true);
      if (!per.has(e.complaint_id)) per.set(e.complaint_id, []);
      per.get(e.complaint_id)!.push(e);
    }
    for (const r of rows) {
      const evs = per.get(r.complaint_id) ?? [];
      expect(evs.filter((e) => e.event === 'reopened').length).toBe(+r.reopened_count);
      for (const e of evs.filter((x) => x.event === 'reopened')) expect(e.at >= r.feedback_at).toBe(true);
      const transfers = evs.filter((e) => e.event === 'transferred');
      if (r.first_handler !== r.handler) expect(transfers.at(-1)?.team).toBe(r.team);
      else expect(transfers.length === 0 || evs.some((e) => e.event === 'returned')).toBe(true); // bounced back, final transfer not yet done
      const paused = evs.find((e) => e.event === 'paused'), resumed = evs.find((e) => e.event === 'resumed');
      if (resumed) expect(paused && paused.at <= resumed.at).toBeTruthy();
      for (const e of evs.filter((x) => x.event === 'extension_approved')) expect(e.detail).toMatch(/^\d+wd$/);
    }
    const kinds = new Set(events.map((e) => e.event));
    for (const k of ['registered', 'paused', 'resumed', 'extension_approved', 'transferred', 'reopened', 'resolved']) expect(kinds.has(k), k).toBe(true);
  });
});

describe('generateDemo: the appeals (申诉记录) of a 3,000-complaint sample', () => {
  let res: DemoResult;
  let byId: Map<string, Record<string, string>>;
  let appeals: (Record<string, string> & { file: string })[];
  const exportAt = '2025-12-01 00:00:00';
  // The first day of the month after a 'YYYY-MM-DD …' time.
  const nextMonth = (t: string) => { const y = +t.slice(0, 4), m = +t.slice(5, 7); return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`; };

  beforeAll(async () => {
    res = await generateDemo({ outDir: tmp(), complaints: 3000 });
    byId = new Map(res.complaintFiles.flatMap((f) => records(f)).map((r) => [r.complaint_id, r]));
    appeals = res.appealFiles.flatMap((f) => records(f).map((r) => ({ ...r, file: path.basename(f) })));
  });

  it('writes one file per month of filing, in filing order, as many rows as it says', () => {
    expect(appeals.length).toBe(res.appeals);
    expect(res.appeals).toBeGreaterThan(10); // about 1 in 100 complaints: a late plan or resolution, or an unreasonable complaint
    let prev = '';
    for (const a of appeals) {
      expect(a.file).toBe(`appeals-${a['申诉时间'].slice(0, 7)}.csv`);
      expect(a['申诉时间'] >= prev).toBe(true);
      prev = a['申诉时间'];
    }
  });

  it('appeals a complaint after its verdict month, with a decision or still pending, by the export', () => {
    for (const a of appeals) {
      const c = byId.get(a['工单编号'])!;
      expect(c, a['工单编号']).toBeDefined();
      expect(['initial_plan', 'resolve', '整单']).toContain(a['申诉事项']);
      expect(a['申诉时间'] <= exportAt).toBe(true);
      expect(['通过', '驳回', '审核中']).toContain(a['审核结果']);
      // Pending (审核中) has no decision time; a decision comes after the filing, by the export.
      if (a['审核结果'] === '审核中') expect(a['审核时间']).toBe('');
      else expect(a['审核时间'] > a['申诉时间'] && a['审核时间'] <= exportAt).toBe(true);
      if (a['申诉事项'] === '整单') {
        // The whole complaint: an unreasonable one (不合理诉求), appealed once its month of receipt is over.
        expect(c.is_valid).toBe('false');
        expect(a['申诉时间'] >= nextMonth(c.received_at)).toBe(true);
      } else {
        // A verdict: the appealed stage happened (late: the generator appeals late ones only).
        expect(c[a['申诉事项'] === 'resolve' ? 'resolved_at' : 'plan_at']).not.toBe('');
      }
    }
    const decisions = new Set(appeals.map((a) => a['审核结果']));
    expect(decisions.has('通过') && decisions.has('驳回')).toBe(true);
  });
});

describe('generateDemo: options', () => {
  it("splitBy 'none' writes complaints.csv and events.csv, and exportAt cuts the data off", async () => {
    const dir = tmp();
    const exportAt = '2025-06-20 12:00:00';
    const r = await generateDemo({ outDir: path.join(dir, 'nested'), complaints: 400, start: '2025-06-01', end: '2025-06-30', exportAt, splitBy: 'none', seed: 7 });
    expect(r.complaintFiles.map((f) => path.basename(f))).toEqual(['complaints.csv']);
    expect(r.eventFiles.map((f) => path.basename(f))).toEqual(['events.csv']);
    expect(r.appealFiles.map((f) => path.basename(f))).toEqual(r.appeals ? ['appeals.csv'] : []);
    const rows = records(r.complaintFiles[0]);
    expect(rows.length).toBe(r.complaints);
    expect(r.complaints).toBeGreaterThan(200);
    expect(r.complaints).toBeLessThan(400); // nothing received after the export exists yet
    for (const row of rows) for (const c of [...CHAIN, 'escalated_at', 'archived_at']) if (row[c]) expect(row[c] <= exportAt).toBe(true);
    for (const e of records(r.eventFiles[0])) expect(e.at <= exportAt).toBe(true);
  });
});

// A clock story's lateness, worked out by hand on the Chinese calendar and compared with what
// the SQL (queries/kpi/breach_clock.sql through the report queries) and the page say. No browser.
//
// The fixture (test/fixtures/drill-*.csv, policy-drill.yaml; working hours 09:00-12:00 and
// 13:00-18:00, so a working day is 480 working minutes):
// D1 is received Monday 2025-09-29 10:00. initial_plan is 3 working days, pausable and extendable.
//   The day it starts does not count (Civil Code art. 201). 2025's National Day holiday is
//   10-01..10-08, so the working days after 09-29 are 09-30, 10-09, 10-10: due at close of
//   business of the third, 2025-10-10 18:00 (original due).
//   Paused 09-30 10:00 - 14:00: 10:00-12:00 and 13:00-14:00 = 3 working hours, moving the due
//   instant 180 working minutes past 10-10 18:00; Saturday 10-11 is a make-up working day
//   (调休), so 09:00 + 3 h = 10-11 12:00.
//   The 2wd extension approved 10-10 15:00 (before that due instant) counts from the due day
//   10-11: the 2nd working day after it is Tuesday 10-14 (10-12 is a Sunday): due 10-14 18:00.
//   Done 10-17 11:00: working time from 10-14 18:00 is 10-15 (480) + 10-16 (480) + 10-17
//   09:00-11:00 (120) = 1080 working minutes = 2 working days 2 hours; 65 wall hours.
// D2 first_response (4 working hours) from Monday 10-20 09:00: 09:00-12:00 + 13:00-14:00,
//   due 14:00; done 10-21 10:00: 14:00-18:00 + 09:00-10:00 = 5 working hours (20 wall hours).
// D4 first_response from 10-22 09:00, due 14:00, done 17:30: 3 working hours 30 minutes.
// D3 and D5 keep every promise.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIXTURES, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { formatClockDuration } from '../../src/reports/format.ts';

const dir = tempDir('pledge-story-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(FIXTURES, 'policy-drill.yaml');
const base = ['--warehouse', warehouse, '--policy', policy];

beforeAll(() => {
  pledgeOk(['ingest', join(FIXTURES, 'drill-complaints.csv'), join(FIXTURES, 'drill-events.csv'), ...base, '--exported-at', '2025-10-31 23:00']);
  pledgeOk(['run', '--month', '2025-10', ...base, '--out', join(dir, 'out')]);
}, 240_000);

describe('the clock stories a run writes', () => {
  it('exist for every complaint a page links to, written once though both the dashboard and a review page link them', () => {
    // The breaches D1, D2, D4 (the header's working) are listed on the dashboard and on their teams' pages.
    const month = join(dir, 'out', '2025-10');
    const pages = readdirSync(month, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html') && !f.startsWith('complaint'));
    const linked = new Set<string>();
    for (const page of pages) {
      for (const [, href] of readFileSync(join(month, page), 'utf8').matchAll(/href="((?:\.\.\/)*complaint\/[^"#]+\.html)"/g)) linked.add(join(month, dirname(page), href));
    }
    expect([...linked].every((f) => existsSync(f))).toBe(true);
    expect(readdirSync(join(month, 'complaint')).map((f) => f.split('-')[0]).sort()).toEqual(['D1', 'D2', 'D4']);
    expect(linked.size).toBe(3);
  });
});

describe('lateness in the clock\'s own unit', () => {
  it('says working days and hours for a working-day clock, working hours for a working-hour one', () => {
    expect(formatClockDuration(1080, 'wd', 480, 'zh')).toBe('2 个工作日 2 小时');
    expect(formatClockDuration(1080, 'wd', 480, 'en')).toBe('2 working days 2 hours');
    expect(formatClockDuration(300, 'wh', 480, 'en')).toBe('5 working hours');
    expect(formatClockDuration(210, 'wh', 480, 'zh')).toBe('3 个工作小时 30 分钟');
    // A calendar clock stays in hours: 534 wall hours are 534 hours.
    expect(formatClockDuration(534 * 60, 'h', 480, 'en')).toBe('534 hours');
    expect(formatClockDuration(61, 'wd', 480, 'en')).toBe('1 working hour 1 minute');
  });

  it('works out D1\'s due instant and lateness as by hand', () => {
    const rows = pledgeJson<Record<string, unknown>>(['query', ...base, '--month', '2025-10', '--file', 'queries/report/story_commitments.sql', '--param', 'ids=D1']);
    const plan = rows.find((r) => r.commitment === 'initial_plan')!;
    expect(plan).toMatchObject({ status: 'breached', original_due_at: '2025-10-10 18:00:00', due_at: '2025-10-14 18:00:00', done_at: '2025-10-17 11:00:00', late_clock_minutes: 1080, paused_minutes: 180, extended_by: '2wd' });
    // resolve (10wd, not pausable): 09-30, 10-09, 10-10, 10-11 (make-up), 10-13 .. 10-17, 10-20 → 10-20 18:00, met.
    expect(rows.find((r) => r.commitment === 'resolve')).toMatchObject({ due_at: '2025-10-20 18:00:00', status: 'met' });
    const steps = pledgeJson<Record<string, unknown>>(['query', ...base, '--month', '2025-10', '--file', 'queries/report/story_adjustments.sql', '--param', 'ids=D1']);
    expect(steps.filter((s) => s.commitment === 'initial_plan').map((s) => [s.kind, s.decision, s.moved_minutes]))
      // the pause: 180 working minutes; the extension: 10-11 12:00 → 10-14 18:00 = 10-11 12:00-18:00 (300) + 10-13 (480) + 10-14 (480)
      .toEqual([['pause', 'applied', 180], ['extension', 'applied', 1260]]);
  });

  it('lists each breach with its lateness and adjustments, worst first by wall time', () => {
    const rows = pledgeJson<Record<string, unknown>>(['query', ...base, '--month', '2025-10', '--file', 'queries/report/commitment_breaches.sql']);
    expect(rows.map((r) => [r.complaint_id, r.commitment, r.late_hours, r.late_clock_minutes, r.pauses, r.extensions])).toEqual([
      ['D1', 'initial_plan', 65, 1080, 1, 1],
      ['D2', 'first_response', 20, 300, null, null],
      ['D4', 'first_response', 3.5, 210, null, null],
    ]);
  });

  it('draws the Pareto chart\'s last bar as "others", so its line reaches 100%', () => {
    // Breaches by category: 话费争议 2 (D1, D4), 网络质量 1 (D2), 账单错误 0 (D5). With 2 bars the
    // second holds the other two categories: 2/3, then 3/3.
    const rows = pledgeJson<Record<string, unknown>>(['query', ...base, '--month', '2025-10', '--file', 'queries/report/category_pareto_chart.sql', '--param', 'bars=2']);
    expect(rows.map((r) => [r.category, r.breaches, r.is_others, r.others_count])).toEqual([['话费争议', 2, false, null], [null, 1, true, 2]]);
    expect(rows.map((r) => r.cumulative_breach_share)).toEqual([2 / 3, 1]);
  });

  it('counts the KPIs missed on the team ranking as the red rows of the team\'s review page', () => {
    const month = join(dir, 'out', '2025-10');
    const dashboard = readFileSync(join(month, 'index.html'), 'utf8');
    const ranking = /id="panel-45-team-ranking"[\s\S]*?<\/section>/.exec(dashboard)![0];
    const rows = [...ranking.matchAll(/<tr[^>]*data-filter-team="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)];
    expect(rows.length).toBe(2);
    for (const [, , cells] of rows) {
      const href = /href="(team\/[^"]+)"/.exec(cells)![1];
      const missed = /data-field="kpis_missed" data-value="(\d+)">(\d+) \/ (\d+)</.exec(cells)!;
      const review = readFileSync(join(month, href), 'utf8');
      const scorecard = /id="panel-20-scorecard"[\s\S]*?<\/section>/.exec(review)![0];
      const red = scorecard.match(/<td class="num red" data-field="actual"/g)?.length ?? 0;
      const all = scorecard.match(/data-field="actual"/g)!.length;
      expect([Number(missed[2]), Number(missed[3])]).toEqual([red, all]);
      expect(review).toContain(`data-field="kpis_missed" data-value="${missed[1]}">${missed[2]} / ${missed[3]}<`);
    }
  });

  it('writes D1\'s clock story with the due instant and "2 个工作日 2 小时", and no customer name', () => {
    const storyDir = join(dir, 'out', '2025-10', 'complaint');
    const file = readdirSync(storyDir).find((f) => f.startsWith('D1-'))!;
    const html = readFileSync(join(storyDir, file), 'utf8');
    const row = /<tr data-commitment="initial_plan"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('2025-10-10 18:00');    // before the pause and the extension
    expect(row).toContain('<td data-field="due_at">2025-10-14 18:00</td>');
    expect(row).toContain('超时 2 个工作日 2 小时');
    expect(row).toContain('不计 3 个工作小时');       // the pause
    expect(row).toContain('顺延 2 个工作日 5 小时');   // the extension: 1260 = 2 x 480 + 300
    // Personal data stays out: the customer's name is in the export and in the pause's note.
    expect(html).not.toContain('张三丰');
    expect(html).not.toContain('13812345678');
  });
});

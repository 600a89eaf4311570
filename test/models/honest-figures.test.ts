// Honest figures through the real command line, on a hand-made support-ticket export
// (test/fixtures/honest/): what cannot be judged is counted and shown, never a pass.
//
// tickets.csv, policy.yaml (register 24h, first_response 4h, resolve 3d, all wall clock;
// online [web], offline [phone]), exported 2025-10-31 22:00 (Asia/Shanghai):
//   T1 web   recv 10-06 09:00  reg 10-06 10:00  res 10-07 09:00  score 90
//   T2 web   recv 10-06 09:00  reg 10-08 09:00  res 10-07 09:00  score 70
//   T3 phone recv 10-06 09:00  reg 10-06 09:30  res 10-05 09:00  (resolved before received)
//   T4 phone same as T3
//   T5 fax   recv 10-06 09:00  reg 10-06 09:10  res 10-08 09:00  score 100 (fax: a channel the policy lacks)
//   T6 web   recv 10-31 20:00  nothing else (register due 11-01 20:00, after the export)
//   T7 web   recv 10-20 09:00  nothing else (register due 10-21 09:00, resolve due 10-23 09:00)
// No row has a first_response_at: no import records that stage.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, pledge, pledgeJson, tempDir } from '../support/cli.ts';
import { launch, openReport } from '../support/browser.ts';

const HONEST = join(FIXTURES, 'honest');
const policy = join(HONEST, 'policy.yaml');
const dir = tempDir('pledge-honest-');
const warehouse = join(dir, 'w.duckdb');
const at = ['--warehouse', warehouse, '--policy', policy];
let ingestErr = '';

beforeAll(() => {
  const r = pledge(['ingest', join(HONEST, 'tickets.csv'), '--exported-at', '2025-10-31 22:00', ...at]);
  if (r.code !== 0) throw new Error(r.stderr);
  ingestErr = r.stderr;
});

type Kpi = { kpi: string; actual: number | null; numerator: number | null; denominator: number; unknown: number; judged_share: number | null; on_target: boolean | null };
const october = () => pledgeJson<Kpi>(['query', ...at, '--month', '2025-10',
  "select kpi, actual, numerator, denominator, unknown, judged_share, on_target from kpi_summary_monthly where month = '2025-10-01' order by kpi"]);
const kpi = (rows: Kpi[], name: string) => rows.find((r) => r.kpi === name)!;

describe('unknown is counted, never a pass', () => {
  it('resolution: T3 and T4 cannot be judged; 3 of the 4 judged resolved, 4 of 6 judged: cannot be judged', () => {
    // Resolve clocks due in October: T1, T2, T5 met; T7 overdue (due 10-23); T3, T4 unknown.
    const r = kpi(october(), 'resolution_rate');
    expect(r).toMatchObject({ numerator: 3, denominator: 4, unknown: 2, on_target: null });
    expect(r.actual).toBeCloseTo(0.75, 10);
    expect(r.judged_share).toBeCloseTo(4 / 6, 10);
  });

  it('register: every clock judged (4 met, T2 breached, T7 overdue), so it is judged and missed', () => {
    const r = kpi(october(), 'timeliness:register');
    expect(r).toMatchObject({ numerator: 4, denominator: 6, unknown: 0, judged_share: 1, on_target: false });
  });

  it('first response: no import records it, so all six October clocks are unknown, with that reason', () => {
    const r = kpi(october(), 'timeliness:first_response');
    // Due 4 h after receipt: T1-T5 and T7 in October; T6 (10-31 20:00 + 4 h = 11-01 00:00) in November.
    expect(r).toMatchObject({ actual: null, denominator: 0, unknown: 6, on_target: null });
    const reasons = pledgeJson<{ data_problem: string; n: number }>(['query', ...at, '--month', '2025-10',
      "select data_problem, count(*) as n from commitment_status where commitment = 'first_response' group by all"]);
    expect(reasons).toEqual([{ data_problem: 'no import records first_response_at', n: 7 }]);
    expect(ingestErr).toMatch(/tickets\.csv: no first_response_at in any row .*commitment first_response cannot be measured/);
  });

  it('the composite leaves out what cannot be judged: Support is scored on register alone (4/6)', () => {
    const rows = pledgeJson<{ composite: number; kpis_scored: number }>(['query', ...at, '--month', '2025-10',
      "select composite, kpis_scored from kpi_composite_monthly where month = '2025-10-01' and level = 'department'"]);
    expect(rows).toHaveLength(1);
    expect(rows[0].kpis_scored).toBe(1);
    expect(rows[0].composite).toBeCloseTo(100 * 4 / 6, 8);
  });

  it('the dashboard shows it grey with judged/due, and never says every KPI met its target', () => {
    const out = join(dir, 'out');
    const r = pledge(['run', '--month', '2025-10', '--lang', 'en', '--out', out, ...at]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
    expect(html).toMatch(/class="tile unjudged" data-kpi="resolution_rate"[^>]*data-judged="4" data-due="6"/);
    expect(html).toMatch(/class="tile red" data-kpi="timeliness:register"/);
    expect(html).toContain('judged 4 of 6');
    expect(html).not.toContain('Every KPI met its target');
    expect(html).toMatch(/<tr data-kpi="resolution_rate" class="unjudged">/);
  });

  it('in Chromium, what cannot be judged reads "cannot be judged" on a grey tile, the missed one on a red one', async () => {
    const browser = await launch();
    try {
      const { page, consoleErrors } = await openReport(browser, join(dir, 'out', '2025-10', 'index.html'));
      const tile = (kpi: string) => page.locator(`.tile[data-kpi="${kpi}"]`);
      expect(await tile('resolution_rate').innerText()).toContain('cannot be judged');
      expect(await tile('resolution_rate').innerText()).toContain('judged 4 of 6');
      // The grey of .tile.unjudged (#f5f7fa), not the red of a missed KPI (#fff5f5), nor a green tile's white.
      const background = (kpi: string) => tile(kpi).evaluate((e) => getComputedStyle(e).backgroundColor);
      expect(await background('resolution_rate')).toBe('rgb(245, 247, 250)');
      expect(await background('timeliness:register')).toBe('rgb(255, 245, 245)');
      expect(consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('pledge validate', () => {
  it('says what ingest says: which commitment the export cannot measure, which channel the policy lacks', () => {
    const r = pledge(['validate', join(HONEST, 'tickets.csv'), '--policy', policy]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tickets\.csv: no first_response_at in any row .*commitment first_response cannot be measured/);
    expect(r.stdout).toMatch(/channel values the policy does not list: fax \(1\)/);
  });
});

describe('satisfaction without feedback or survey times', () => {
  it('counts the scores in the month each ticket was resolved: T1 90, T2 70, T5 100', () => {
    const rows = october();
    expect(kpi(rows, 'satisfaction_rate')).toMatchObject({ numerator: 2, denominator: 3 });   // 90 and 100 are >= 85
    expect(kpi(rows, 'survey_coverage')).toMatchObject({ numerator: 3, denominator: 3 });
    expect(kpi(rows, 'satisfaction_mean').actual).toBeCloseTo((90 + 70 + 100) / 3, 10);
  });
});

describe('a channel the policy does not list', () => {
  it('is the group "unknown channel", counted beside online vs offline so the groups add up', () => {
    const rows = pledgeJson<{ kpi: string; denominator_a: number; denominator_b: number; denominator_neither: number }>(['query', ...at,
      '--month', '2025-10', '--file', 'queries/report/parity.sql']);
    // Resolution: online T1, T2, T7 (3 judged); offline T3, T4 (unknown: 0 judged); fax T5 (1). 3 + 0 + 1 = 4.
    expect(rows.find((r) => r.kpi === 'resolution_rate')).toMatchObject({ denominator_a: 3, denominator_b: 0, denominator_neither: 1 });
    // Timeliness (all commitments): online 6 (register and resolve of T1, T2, T7), offline 2
    // (register of T3, T4), fax 2 (T5's register and resolve): 10, the organisation's denominator.
    expect(rows.find((r) => r.kpi === 'timeliness')).toMatchObject({ denominator_a: 6, denominator_b: 2, denominator_neither: 2 });
    expect(ingestErr).toMatch(/channel values the policy does not list: fax \(1\)/);
  });
});

describe('the data horizon', () => {
  it('a clock due after the export and not done is unknown ("data ends"), not overdue', () => {
    const rows = pledgeJson<{ complaint_id: string; commitment: string; status: string; data_problem: string | null }>(['query', ...at,
      '--month', '2025-11', "select complaint_id, commitment, status, data_problem from commitment_status where complaint_id in ('T6', 'T7') and commitment <> 'first_response' order by 1, 2"]);
    expect(rows).toEqual([
      // Due 11-03 20:00 and 11-01 20:00, both after the export (10-31 22:00).
      { complaint_id: 'T6', commitment: 'register', status: 'unknown', data_problem: 'data ends 2025-10-31 22:00' },
      { complaint_id: 'T6', commitment: 'resolve', status: 'unknown', data_problem: 'data ends 2025-10-31 22:00' },
      // Due before the export and not done by it: overdue is known.
      { complaint_id: 'T7', commitment: 'register', status: 'overdue', data_problem: null },
      { complaint_id: 'T7', commitment: 'resolve', status: 'overdue', data_problem: null },
    ].sort((a, b) => (a.complaint_id + a.commitment).localeCompare(b.complaint_id + b.commitment)));
  });

  it('a run past the horizon says so on stderr and on the first screen', () => {
    const out = join(dir, 'out-nov');
    // 2025-11 starts after the data end (2025-10-31 22:00): run with --allow-empty, which this test means to do.
    const r = pledge(['run', '--month', '2025-11', '--allow-empty', '--lang', 'en', '--out', out, ...at]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('as of 2025-12-01 00:00 Asia/Shanghai (end of 2025-11)');
    expect(r.stderr).toContain('warning: the data ends 2025-10-31 22:00:00');
    const html = readFileSync(join(out, '2025-11', 'index.html'), 'utf8');
    expect(html).toContain('data-horizon="2025-10-31 22:00:00"');
  });

  it('without --allow-empty a month past the data is refused, naming where the data end; a month the data end inside is provisional', () => {
    const out = join(dir, 'out-refused');
    const r = pledge(['run', '--month', '2025-11', '--lang', 'en', '--out', out, ...at]);
    expect(r.code).toBe(1);
    // The export was made 2025-10-31 22:00 (--exported-at of the fixture): November starts after it.
    expect(r.stderr).toContain('pledge: 2025-11 starts after the data end: the latest export vouches for the state of things up to 2025-10-31 22:00');
    expect(r.stderr).toContain('--allow-empty');
    expect(existsSync(join(out, '2025-11'))).toBe(false);
    // An empty month before the data: no complaint received in it (the fixture's receipts are all in October).
    const early = pledge(['run', '--month', '2025-09', '--lang', 'en', '--out', out, ...at]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('pledge: 2025-09: no complaint was received in the month (0 complaints; the warehouse holds complaints received 2025-10-');
    // October: the data end 2025-10-31 22:00, two hours before the month does.
    const oct = pledge(['run', '--month', '2025-10', '--lang', 'en', '--quiet', '--out', out, ...at]);
    expect(oct.code).toBe(0);
    expect(oct.stderr).toContain('warning: 2025-10 is provisional: the data end 2025-10-31 22:00, inside the month');
    expect(oct.stderr).not.toMatch(/^run: /m);
  });
});

describe('months are half-open', () => {
  it('a receipt at 00:00 on the 1st is the new month\'s: not in October\'s complaints or backlog', () => {
    const w = join(dir, 'midnight.duckdb');
    expect(pledge(['ingest', join(HONEST, 'midnight.csv'), '--warehouse', w, '--policy', policy]).code).toBe(0);
    const atW = ['--warehouse', w, '--policy', policy];
    // M1 received 10-31 23:59:59 is October's; M2 received 2025-11-01 (00:00) is November's.
    expect(pledgeJson(['query', ...atW, '--month', '2025-10', 'select complaint_id from stg_complaints order by 1'])).toEqual([{ complaint_id: 'M1' }]);
    expect(pledgeJson(['query', ...atW, '--month', '2025-10', 'select sum(open_complaints)::int as open from kpi_backlog where department is null'])).toEqual([{ open: 1 }]);
    expect(pledgeJson(['query', ...atW, '--month', '2025-11', 'select complaint_id from stg_complaints order by 1'])).toEqual([{ complaint_id: 'M1' }, { complaint_id: 'M2' }]);
  });
});

describe('the as-of a command used', () => {
  it('is printed, and a query naming one month without --month says how to match the dashboard', () => {
    const r = pledge(['query', ...at, "select actual from kpi_summary_monthly where month = '2025-10-01' and kpi = 'resolution_rate'"]);
    expect(r.code).toBe(0);
    // Without --month the as-of is just after the latest time recorded: T6's receipt, 2025-10-31 20:00.
    expect(r.stderr).toContain('as of 2025-10-31 20:00:01 Asia/Shanghai (just after the latest time recorded in the warehouse)');
    expect(r.stderr).not.toContain('the data ends');
    expect(r.stderr).toContain('add --month 2025-10');
  });
});

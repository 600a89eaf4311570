// The stages written once (src/warehouse/stages.ts): no SQL file lists them, the long model
// stg_complaint_stage gives the rows worked out by hand below, and the warehouse's
// policy_stage table is the TypeScript list.
//
// Policy: register within 24 h, resolve within 3 days (Asia/Shanghai). As of 2025-11-01 00:00.
// Complaint export (times local):
//   A1 received 10-13 09:00, registered 10-13 09:30, resolved 10-15 10:00
//   A2 received 10-14 09:00, registered and resolved left empty
//   A3 received 11-03 09:00 (after the as-of), registered 11-03 09:10
// Flow log:
//   A1 registered 10-13 09:40   the export has 09:30: the export's stands (listed in event_findings)
//   A2 registered 10-14 11:00   fills A2's empty registered_at
//   A2 resolved   10-16 10:00   fills A2's empty resolved_at
//   A2 reopened   10-17 09:00
//   A2 resolved   10-20 10:00   after the reopening: the second round, not the stage
//   A2 feedback   11-05 10:00   after the as-of: not happened yet, no feedback_at row
//   Z9 resolved   10-15 10:00   no export carries Z9: no row
// So stg_complaint_stage holds, by hand:
//   A1 received_at   10-13 09:00 export     A2 received_at   10-14 09:00 export
//   A1 registered_at 10-13 09:30 export     A2 registered_at 10-14 11:00 event
//   A1 resolved_at   10-15 10:00 export     A2 resolved_at   10-16 10:00 event
// and nothing of A3 (received after the as-of), as stg_complaints holds no A3.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';
import { STAGE_LIST } from '../../src/warehouse/stages.ts';

const dir = tempDir('pledge-stages-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(dir, 'policy.yaml');
const asOf = '2025-11-01 00:00';
const q = <T = Record<string, unknown>>(sql: string) => pledgeJson<T>(['query', '--warehouse', warehouse, '--policy', policy, '--as-of', asOf, sql]);

beforeAll(() => {
  writeFileSync(policy, `timezone: Asia/Shanghai
calendar: { holidays: CN, working_hours: ["09:00-12:00", "13:00-18:00"] }
resolution: { commitment: resolve }
scorecard: { weights: { "timeliness:register": 0.5, resolution_rate: 0.5 } }
parity: { kpis: [timeliness, resolution_rate] }
commitments:
  register: { from: received_at, to: registered_at, within: 24h }
  resolve: { from: received_at, to: resolved_at, within: 3d }
`);
  const complaints = join(dir, 'complaints.csv');
  writeFileSync(complaints, [
    'complaint_id,channel,severity,department,team,received_at,registered_at,resolved_at',
    'A1,phone,general,客服部,一组,2025-10-13 09:00,2025-10-13 09:30,2025-10-15 10:00',
    'A2,phone,general,客服部,一组,2025-10-14 09:00,,',
    'A3,phone,general,客服部,一组,2025-11-03 09:00,2025-11-03 09:10,',
  ].join('\n') + '\n');
  const events = join(dir, 'events.csv');
  writeFileSync(events, [
    'complaint_id,at,event,actor,team,detail',
    'A1,2025-10-13 09:40:00,registered,王芳,一组,',
    'A2,2025-10-14 11:00:00,登记,王芳,一组,',
    'A2,2025-10-16 10:00:00,resolved,王芳,一组,',
    'A2,2025-10-17 09:00:00,reopened,王芳,一组,',
    'A2,2025-10-20 10:00:00,resolved,王芳,一组,',
    'A2,2025-11-05 10:00:00,feedback,王芳,一组,',
    'Z9,2025-10-15 10:00:00,resolved,王芳,一组,',
  ].join('\n') + '\n');
  pledgeOk(['ingest', complaints, events, '--warehouse', warehouse, '--policy', policy, '--exported-at', '2025-11-06 00:00']);
});

/** Every .sql file under queries/, with its comments taken out. */
function sqlFiles(): { file: string; code: string }[] {
  const out: { file: string; code: string }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) out.push({ file: relative(ROOT, p), code: readFileSync(p, 'utf8').replace(/--[^\n]*/g, '') });
    }
  };
  walk(join(ROOT, 'queries'));
  return out;
}

describe('the stages are listed once', () => {
  it('no SQL file names a stage column as a literal, names more than one stage event as a literal, or names most stages', () => {
    const columns = STAGE_LIST.map((s) => s.column) as string[];
    const events = STAGE_LIST.map((s) => s.event) as string[];
    const files = sqlFiles();
    expect(files.length).toBeGreaterThan(50);
    const offences = files.flatMap(({ file, code }) => {
      const literals = [...code.matchAll(/'([^']*)'/g)].map((m) => m[1]);
      const named = columns.filter((c) => new RegExp(`\\b${c}\\b`).test(code));
      const eventLiterals = [...new Set(literals.filter((l) => events.includes(l)))];
      return [
        ...literals.filter((l) => columns.includes(l)).map((l) => `${file}: '${l}'`),
        // A rule about one stage (resolved again after a reopening) names its event; a list names many.
        ...(eventLiterals.length > 1 ? [`${file}: events ${eventLiterals.join(', ')}`] : []),
        // A KPI reads the few stages it is about (kpi_fact_monthly: four); a list of stages names them all.
        ...(named.length > 4 ? [`${file}: names ${named.length} stages`] : []),
      ];
    });
    expect(offences).toEqual([]);
  });

  it('policy_stage is the TypeScript list, and complaint_versions has a column per stage in that order', () => {
    const rows = q('select stage, event, position, follows, label, label_zh from policy_stage order by position');
    expect(rows).toEqual(STAGE_LIST.map((s, i) => ({
      stage: s.column, event: s.event, position: i + 1, follows: 'follows' in s ? s.follows : null, label: s.label, label_zh: s.labelZh,
    })));
    expect(rows.map((r) => r.stage)).toEqual([
      'received_at', 'registered_at', 'first_response_at', 'escalated_at', 'plan_at', 'resolved_at', 'feedback_at', 'survey_at', 'archived_at',
    ]);
    // The clocks and findings read a stage by its position among the *_at columns.
    const cols = q<{ c: string }>(`select column_name as c from duckdb_columns() where table_name = 'complaint_versions' and column_name like '%\\_at' escape '\\' order by column_index`);
    expect(cols.map((r) => r.c)).toEqual(rows.map((r) => r.stage));
  });
});

describe('stg_complaint_stage on a hand-made export and flow log', () => {
  it('gives the rows worked out by hand: export times, and stages only the flow log fills', () => {
    const rows = q(`select complaint_id, stage, strftime(instant::timestamp, '%Y-%m-%d %H:%M') as instant, source
      from stg_complaint_stage order by complaint_id, stage`);
    expect(rows).toEqual([
      { complaint_id: 'A1', stage: 'received_at', instant: '2025-10-13 09:00', source: 'export' },
      { complaint_id: 'A1', stage: 'registered_at', instant: '2025-10-13 09:30', source: 'export' },
      { complaint_id: 'A1', stage: 'resolved_at', instant: '2025-10-15 10:00', source: 'export' },
      { complaint_id: 'A2', stage: 'received_at', instant: '2025-10-14 09:00', source: 'export' },
      { complaint_id: 'A2', stage: 'registered_at', instant: '2025-10-14 11:00', source: 'event' },
      { complaint_id: 'A2', stage: 'resolved_at', instant: '2025-10-16 10:00', source: 'event' },
    ]);
  });

  it('stg_complaints has the filled stages as columns, and the clocks run on them', () => {
    const [a2] = q(`select strftime(registered_at::timestamp, '%Y-%m-%d %H:%M') as reg, strftime(resolved_at::timestamp, '%Y-%m-%d %H:%M') as res,
      feedback_at from stg_complaints where complaint_id = 'A2'`);
    expect(a2).toEqual({ reg: '2025-10-14 11:00', res: '2025-10-16 10:00', feedback_at: null });
    // A1 register 30 min, met; resolve 10-13 09:00 -> 10-15 10:00 within 3 days, met.
    // A2 register 09:00 -> 11:00 (the filled stage) within 24 h, met. A2 resolve starts 10-14
    // 09:00, due 10-17 09:00; resolved 10-16 10:00 (filled) but reopened 10-17 09:00 within the
    // default 30-day window, and the resolution clock continues (reopenings.resolution_clock
    // default) to the second resolution, 10-20 10:00: past due, breached.
    const st = q(`select complaint_id, commitment, status from commitment_status order by 1, 2`);
    expect(st).toEqual([
      { complaint_id: 'A1', commitment: 'register', status: 'met' },
      { complaint_id: 'A1', commitment: 'resolve', status: 'met' },
      { complaint_id: 'A2', commitment: 'register', status: 'met' },
      { complaint_id: 'A2', commitment: 'resolve', status: 'breached' },
    ]);
  });

  it('the stage event the export contradicts is listed, the ones that fill are not', () => {
    const rows = q(`select finding, complaint_id, event from event_findings where finding = 'stage_event_disagrees' order by all`);
    expect(rows).toEqual([{ finding: 'stage_event_disagrees', complaint_id: 'A1', event: 'registered' }]);
  });
});

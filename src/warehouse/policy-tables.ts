// Puts the policy and the calendar into DuckDB as small temporary tables, so
// that every clock, rule and target is joined in SQL rather than pasted into it.
// Temporary: a report run opens the warehouse read-only and the policy in force
// is the file given on the command line, not whatever was used last time.
import { createHash } from 'node:crypto';
import type { Warehouse } from './db.ts';
import { PledgeError } from '../core/errors.ts';
import { type Policy, type Selector, parseDuration, rulesOf, workingDayMinutes } from './policy.ts';
import { calendarDays, workingIntervals } from './calendar.ts';
import { COMMITMENT_KPI, KPI_CATALOGUE, type KpiEntry, commitmentName, policyKpis } from './kpi-catalogue.ts';
import { STAGE_LIST, type Stage } from './stages.ts';

const SELECTOR_SHAPE = '"sel_severity":["VARCHAR"],"sel_channel":["VARCHAR"],"sel_channel_kind":["VARCHAR"],"sel_segment":["VARCHAR"]';

function selectorColumns(s: Selector | undefined) {
  return {
    sel_severity: s?.severity ?? null,
    sel_channel: s?.channel ?? null,
    sel_channel_kind: s?.channel_kind ?? null,
    sel_segment: s?.segment ?? null,
  };
}

async function tableFromJson(wh: Warehouse, table: string, shape: string, rows: object[]): Promise<void> {
  // from_json with an explicit structure keeps the column types exact even when a column is all null.
  await wh.run(`create or replace temp table ${table} as
    select unnest(from_json($data, '[{${shape}}]'), recursive := true)`, { data: JSON.stringify(rows) });
}

/**
 * The stages (stages.ts) as the SQL reads them: policy_stage, one row per stage, and the enum
 * type pledge_stage of its columns in stage order, which a PIVOT turns into one column each
 * (queries/staging/stg_complaints.sql). The nine built in, the same for every policy, then
 * the policy's own (`stages:`, policy.stageList); loaded with the policy tables so every
 * session has them.
 *
 * A stage's position is its place among the *_at columns of complaint_versions, which the
 * clocks read by position (queries/intermediate/int_commitment_clock.sql): the nine first,
 * then each policy's own stage where ingest added its column (schema.ts ensureWarehouse).
 * A column an earlier policy added and this one does not list stays a stage (its times are
 * stored; no commitment of this policy reads it), named by its column. A stage of the
 * policy's that the warehouse has no column for yet is refused, saying how to add it.
 */
export async function loadStageTables(wh: Warehouse, stages: readonly Stage[] = STAGE_LIST): Promise<void> {
  const stored = (await wh.rows(`select column_name from duckdb_columns()
      where table_name = 'complaint_versions' and schema_name = 'main' and database_name = current_database()
        and regexp_matches(column_name, '_at$') order by column_index`)).map((r) => String(r.column_name));
  // No complaint_versions at all (a hand-made test table set, the lake's reader): the stages as listed.
  const columns = stored.length ? stored : stages.map((s) => s.column);
  const missing = stages.filter((s) => !columns.includes(s.column));
  if (missing.length) {
    throw new PledgeError(`the warehouse has no column for the policy's stage ${missing.map((s) => s.column).join(', ')} (stages:): `
      + 'pledge ingest or pledge build with this policy adds it (empty until an export or flow log records it)');
  }
  await tableFromJson(wh, 'policy_stage',
    '"stage":"VARCHAR","event":"VARCHAR","position":"INTEGER","follows":"VARCHAR","label":"VARCHAR","label_zh":"VARCHAR"',
    columns.map((column, i) => {
      const s = stages.find((x) => x.column === column);
      return {
        stage: column, event: s?.event || null, position: i + 1, follows: s?.follows ?? null, label: s?.label ?? column, label_zh: s?.labelZh ?? column,
      };
    }));
  await wh.run('drop type if exists temp.pledge_stage');
  await wh.run(STAGE_TYPE_SQL);
}

/** The enum of the stage columns in stage order, made from policy_stage (a reader of the lake makes it the same way). */
export const STAGE_TYPE_SQL = 'create temp type pledge_stage as enum (select stage from policy_stage order by position)';

/** catalogue: the KPIs (default the project's catalogue; a test passes one with a KPI added). */
export async function loadPolicyTables(wh: Warehouse, policy: Policy, catalogue: readonly KpiEntry[] = KPI_CATALOGUE): Promise<void> {
  await loadStageTables(wh, policy.stageList);
  const names = Object.keys(policy.commitments);
  const kpis = policyKpis(policy, catalogue);
  const kpiTarget = (name: string) => kpis.find((k) => k.key === `${COMMITMENT_KPI.prefix}${name}`)!.targetValue;
  await tableFromJson(wh, 'policy_commitment',
    `"commitment":"VARCHAR","ord":"INTEGER","label":"VARCHAR","label_zh":"VARCHAR","from_stage":"VARCHAR","to_stage":"VARCHAR","pausable":"BOOLEAN","extendable":"BOOLEAN","target":"DOUBLE",${SELECTOR_SHAPE}`,
    names.map((name, i) => {
      const c = policy.commitments[name];
      return {
        commitment: name, ord: i + 1, label: commitmentName(policy, name, 'en'), label_zh: commitmentName(policy, name, 'zh'),
        from_stage: c.from, to_stage: c.to, pausable: c.pausable, extendable: c.extendable,
        target: kpiTarget(name), ...selectorColumns(c.applies_to),
      };
    }));

  await tableFromJson(wh, 'policy_commitment_rule',
    `"commitment":"VARCHAR","rule_no":"INTEGER","limit_amount":"INTEGER","limit_unit":"VARCHAR","limit_text":"VARCHAR",${SELECTOR_SHAPE}`,
    names.flatMap((name) => rulesOf(policy.commitments[name]).map((r, i) => ({
      commitment: name, rule_no: i + 1, limit_amount: r.limit.amount, limit_unit: r.limit.unit,
      limit_text: r.limit.text, ...selectorColumns(r.when),
    }))));

  await tableFromJson(wh, 'policy_channel', '"channel":"VARCHAR","channel_kind":"VARCHAR"', [
    ...policy.channels.online.map((channel) => ({ channel, channel_kind: 'online' })),
    ...policy.channels.offline.map((channel) => ({ channel, channel_kind: 'offline' })),
  ]);

  await tableFromJson(wh, 'policy_severity', '"severity":"VARCHAR","severity_rank":"INTEGER"',
    policy.severities.map((severity, i) => ({ severity, severity_rank: i + 1 })));

  // policy_target is the KPI catalogue (src/warehouse/kpi-catalogue.ts) resolved against this
  // policy: every target in the unit its KPI is computed in (rates as shares 0..1, the mean
  // score in points 0..100), its direction, its unit and labels, and kpi_order, the order
  // people see KPIs in (tiles, scorecards, the red table).
  await tableFromJson(wh, 'policy_target',
    '"kpi":"VARCHAR","target":"DOUBLE","direction":"VARCHAR","kpi_order":"INTEGER","kpi_unit":"VARCHAR","label_zh":"VARCHAR","label_en":"VARCHAR"',
    kpis.map((k) => ({
      kpi: k.key, target: k.targetValue, direction: k.direction, kpi_order: k.order, kpi_unit: k.unit, label_zh: k.label.zh, label_en: k.label.en,
    })));

  const weights = Object.entries(policy.scorecard.weights);
  const totalWeight = weights.reduce((a, [, w]) => a + w, 0);
  await tableFromJson(wh, 'policy_scorecard_weight', '"kpi":"VARCHAR","weight":"DOUBLE","share":"DOUBLE"',
    weights.map(([kpi, weight]) => ({ kpi, weight, share: weight / totalWeight })));
  // The points scheme (scorecard.scheme: points; queries/kpi/kpi_points_lines_monthly.sql): its
  // tables are empty under the weighted scheme, so no points are worked out.
  const points = policy.scorecard.scheme === 'points' ? policy.scorecard.points : { kpis: {}, items: [] };
  await tableFromJson(wh, 'policy_points_kpi', '"kpi":"VARCHAR","full_points":"DOUBLE","line":"DOUBLE","per_point":"DOUBLE","per_case":"DOUBLE","floor_points":"DOUBLE"',
    Object.entries(points.kpis).map(([kpi, k]) => ({ kpi, full_points: k.full, line: k.line, per_point: k.per_point ?? null, per_case: k.per_case ?? null, floor_points: k.floor })));
  await tableFromJson(wh, 'policy_points_item', '"item":"VARCHAR","item_order":"INTEGER","label":"VARCHAR","label_zh":"VARCHAR","event":"VARCHAR","finding_category":"VARCHAR","points":"DOUBLE","max_points":"DOUBLE"',
    points.items.map((i, n) => ({
      item: i.name, item_order: n + 1, label: i.label ?? i.name, label_zh: i.label_zh ?? i.label ?? i.name,
      event: i.event ?? null, finding_category: i.finding ?? null, points: i.points, max_points: i.max ?? null,
    })));
  await tableFromJson(wh, 'policy_unit_class', '"unit_class":"VARCHAR","max_points":"DOUBLE","unit":"VARCHAR"',
    Object.entries(policy.scorecard.unit_classes).flatMap(([unit_class, c]) => c.units.map((unit) => ({ unit_class, max_points: c.max, unit }))));
  await tableFromJson(wh, 'policy_remediation', '"kpi":"VARCHAR","step":"VARCHAR","step_order":"INTEGER","working_days":"INTEGER","limit_text":"VARCHAR"',
    policy.remediation.kpis.flatMap((kpi) => [
      { kpi, step: 'investigation', step_order: 1, working_days: parseDuration(policy.remediation.investigation)!.amount, limit_text: policy.remediation.investigation },
      { kpi, step: 'findings', step_order: 2, working_days: parseDuration(policy.remediation.findings)!.amount, limit_text: policy.remediation.findings },
    ]));
  await tableFromJson(wh, 'policy_parity_kpi', '"kpi":"VARCHAR"', policy.parity.kpis.map((kpi) => ({ kpi })));
  await tableFromJson(wh, 'policy_parity_segment', '"segment":"VARCHAR"', policy.parity.segments.map((segment) => ({ segment })));

  // Scalars the SQL reads with getvariable(): one place, named like the policy keys.
  const vars: Record<string, string | number | boolean> = {
    satisfaction_scale_max: policy.satisfaction.scale_max,
    satisfied_at: policy.satisfaction.satisfied_at,
    resolution_commitment: policy.resolution.commitment,
    resolution_exclude_invalid: policy.resolution.exclude_invalid,
    working_day_deadline: policy.calendar.working_day_deadline,
    parity_gap_threshold: policy.parity.gap_threshold,
    at_risk_share: policy.at_risk.share,
    repeat_window_days: policy.repeat.window_days,
    report_list_rows: policy.reports.list_rows,
    min_judged_share: policy.targets.min_judged_share,
    // The points scheme: the score every unit starts from, and how many units each of the red and black lists holds.
    points_base: policy.scorecard.points.base,
    points_lists: policy.scorecard.points.lists,
    // Appeals: working days after the end of the verdict's month (queries/kpi/kpi_appeals.sql).
    appeal_window_wd: parseDuration(policy.appeals.window)!.amount,
    // Closed months (queries/kpi/kpi_month_close.sql): the settle period, and which policy text is in force.
    close_after_amount: parseDuration(policy.reports.close_after)!.amount,
    close_after_unit: parseDuration(policy.reports.close_after)!.unit,
    policy_sha256: createHash('sha256').update(policy.text).digest('hex'),
    ...clockEventVariables(policy),
  };
  for (const [k, v] of Object.entries(vars)) await wh.run(`set variable ${k} = $v`, { v });
  await wh.run(ON_TARGET_MACRO);
  // A cap or window left empty in the policy means "no limit": a null variable.
  for (const [k, v] of Object.entries(clockEventLimits(policy))) {
    await wh.run(v === null ? `set variable ${k} = null::double` : `set variable ${k} = $v::double`, v === null ? undefined : { v });
  }
}

/**
 * "Meets its target in its direction", written once for every SQL file that judges a value
 * (kpi_unit_monthly, assess_kpi, ...): null, never a pass, when the value is missing or
 * when less than targets.min_judged_share of it could be judged (judged_share =
 * judged / (judged + unknown); a null share, nothing due at all, has no value either).
 */
export const ON_TARGET_MACRO = `create or replace temp macro pledge_on_target(actual, target, direction, judged_share) as
  case when actual is null or target is null then null
       when coalesce(judged_share, 0) < getvariable('min_judged_share') then null
       when direction = 'at_most' then actual <= target
       else actual >= target end`;

/**
 * The calendar over [from, to]: one row per day plus the working-minute marks
 * of a working day. The cumulative columns are computed by SQL in
 * queries/staging/stg_calendar.sql.
 */
export async function loadCalendarTables(wh: Warehouse, policy: Policy, from: string, to: string): Promise<void> {
  await tableFromJson(wh, 'calendar_source',
    '"day":"DATE","is_working":"BOOLEAN","kind":"VARCHAR","name":"VARCHAR","covered":"BOOLEAN","source":"VARCHAR"',
    calendarDays(policy, from, to));
  const intervals = workingIntervals(policy);
  await tableFromJson(wh, 'policy_working_hours', '"start_minute":"INTEGER","end_minute":"INTEGER"',
    intervals.map(([start_minute, end_minute]) => ({ start_minute, end_minute })));
}

const SECONDS = { m: 60, h: 3600, d: 86400 } as const;

/** Seconds of working time in a working day: every working day has the policy's working hours. */
export function workingDaySeconds(policy: Policy): number {
  return workingDayMinutes(policy) * 60;
}

function clockEventVariables(policy: Policy): Record<string, string | number | boolean> {
  const window = parseDuration(policy.reopenings.window)!;
  return {
    working_day_seconds: workingDaySeconds(policy),
    breach_owner: policy.ownership.breach_owner,
    reopen_window_seconds: window.amount * SECONDS[window.unit as keyof typeof SECONDS],
    reopen_resolution_clock: policy.reopenings.resolution_clock,
  };
}

/**
 * The extension caps in both measures a clock can have: working seconds (wh/wd
 * clocks; a calendar-unit cap counts as that much working time) and wall seconds
 * (m/h/d clocks; 1wd counts as 24 h, 1wh as 1 h).
 */
function clockEventLimits(policy: Policy): Record<string, number | null> {
  const cap = policy.extensions.max_total === null ? undefined : parseDuration(policy.extensions.max_total)!;
  const working = !cap ? null : cap.unit === 'wd' ? cap.amount * workingDaySeconds(policy) : cap.unit === 'wh' ? cap.amount * 3600 : cap.amount * SECONDS[cap.unit];
  const wall = !cap ? null : cap.unit === 'wd' ? cap.amount * 86400 : cap.unit === 'wh' ? cap.amount * 3600 : cap.amount * SECONDS[cap.unit];
  return { extension_max_count: policy.extensions.max_count, extension_cap_working_seconds: working, extension_cap_wall_seconds: wall };
}

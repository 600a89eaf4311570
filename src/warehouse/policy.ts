// The policy file: every threshold Pledge measures against. Parsed once at the
// edge, validated with a schema, and passed inward as typed values. Errors name
// the file and the key, e.g.
//   data/policy.yaml: commitments.first_response.within[1].limit: "4 wh" is not a duration (try "4wh")
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PledgeError } from '../core/errors.ts';
import { type IcsEvent, parseIcs } from './ics.ts';
import { COMMITMENT_KPI, KPI_CATALOGUE, kpiEntry } from './kpi-catalogue.ts';
import { CLOCK_EVENT_NAMES, STAGE_COLUMNS, STAGE_LIST, type Stage, isBuiltinStage, stagesWith } from './stages.ts';

export const DURATION_UNITS = ['m', 'h', 'd', 'wh', 'wd'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface Duration { amount: number; unit: DurationUnit; text: string }

/** "15m", "4wh", "3wd", "24h", "1d" → { amount, unit }. Undefined when not a duration. */
export function parseDuration(text: string): Duration | undefined {
  const m = /^(\d+)(m|h|d|wh|wd)$/.exec(text.trim());
  return m ? { amount: Number(m[1]), unit: m[2] as DurationUnit, text: text.trim() } : undefined;
}

/**
 * The longest limit Pledge accepts, in days: a year, leap day included. m, h and d
 * count by the clock (366d, 8784h, 527040m); wd counts working days (366wd) and wh
 * the working hours of that many working days under calendar.working_hours (2928wh
 * with the default eight-hour day). Anything longer is a slip (100000wd), and its
 * deadline would fall past the calendar Pledge builds (to the end of the second year
 * after the last receipt, src/models/session.ts), making every verdict `unknown`.
 * The bound is far below 2^53, so an amount too large to be held exactly
 * (9007199254740993m) is refused by it too.
 */
export const MAX_LIMIT_DAYS = 366;

/** A well-formed limit per unit, for hints: a hint never repeats the value it is about. */
const UNIT_EXAMPLE: Record<DurationUnit, string> = { m: '30m', h: '24h', d: '30d', wh: '4wh', wd: '3wd' };

/** The longest limit in `unit` (see MAX_LIMIT_DAYS), given the minutes of a working day. */
export function longestLimit(unit: DurationUnit, workingDayMinutes: number): number {
  const days = MAX_LIMIT_DAYS;
  return { m: days * 1440, h: days * 24, d: days, wd: days, wh: Math.floor((days * workingDayMinutes) / 60) }[unit];
}

/** Why a well-formed duration cannot be meant as a limit (zero, or past MAX_LIMIT_DAYS); undefined when it can. */
export function limitProblem(d: Duration, workingDayMinutes: number): string | undefined {
  if (d.amount === 0) {
    return `"${d.text}" is no time at all: nothing can be done within it (a limit is at least 1 of its unit, e.g. "${UNIT_EXAMPLE[d.unit]}")`;
  }
  const max = longestLimit(d.unit, workingDayMinutes);
  if (!Number.isSafeInteger(d.amount) || d.amount > max) {
    const how = d.unit === 'wh' ? ` at ${+(workingDayMinutes / 60).toFixed(2)} working hours a day` : '';
    return `"${d.text}" is longer than the longest limit Pledge accepts, ${MAX_LIMIT_DAYS} days (${max}${d.unit}${how}): `
      + `its deadline would fall past the calendar and never be judged; write the limit you mean, e.g. "${UNIT_EXAMPLE[d.unit]}"`;
  }
  return undefined;
}

/** Why `text` is not a duration, with a well-formed one to write instead (never `text` itself). */
function durationSyntaxError(text: string): string {
  const squeezed = text.replace(/\s+/g, '').toLowerCase();
  const near = parseDuration(squeezed);
  // "15 wd" or "4WH": the same limit written loosely. Offered only when it is a limit Pledge accepts.
  if (near && squeezed !== text.trim() && !limitProblem(near, 24 * 60)) return `"${text}" is not a duration (try "${squeezed}"; units: m, h, d, wh, wd)`;
  const unit = (/(wh|wd|m|h|d)$/.exec(squeezed)?.[1] ?? 'wd') as DurationUnit;
  const why = /^[-\u2212]/.test(squeezed) ? 'a limit is never negative; '
    : /\d[.,]\d/.test(squeezed) ? 'amounts are whole numbers (1.5h is 90m); '
      : '';
  return `"${text}" is not a duration: ${why}write a whole number and a unit, e.g. "${UNIT_EXAMPLE[unit]}" (units: m, h, d, wh, wd)`;
}

const durationText = z.string().refine((s) => parseDuration(s) !== undefined, {
  error: (iss) => durationSyntaxError(String(iss.input)),
});

/** The built-in stage columns (the one stage list, stages.ts); a policy adds its own (`stages:`). */
export const STAGES = STAGE_COLUMNS;

/**
 * A target that is a share (0..1). 95 for 95% is the likely slip: the error says
 * what to write instead.
 */
const rateTarget = z.number().refine((v) => v >= 0 && v <= 1, {
  error: (iss) => {
    const v = Number(iss.input);
    return v > 1 && v <= 100
      ? `${v} looks like a percentage: write ${+(v / 100).toFixed(6)} (rates are shares from 0 to 1)`
      : `${v} is not a share from 0 to 1`;
  },
});

/** A stage a commitment names: one of the policy's stages (checked in checkConsistency, which lists them). */
const stage = z.string();
const listOf = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const selector = z.strictObject({
  severity: listOf.optional(),
  channel: listOf.optional(),
  channel_kind: listOf.optional(),
  segment: listOf.optional(),
});
export type Selector = z.infer<typeof selector>;

const rule = z.strictObject({ when: selector.optional(), limit: durationText });
const commitment = z.strictObject({
  label: z.string().optional(),
  label_zh: z.string().optional(),
  from: stage,
  to: stage,
  applies_to: selector.optional(),
  within: z.union([durationText, z.array(rule).min(1)]),
  target: rateTarget.optional(),
  pausable: z.boolean().default(false),
  // An approved extension (延期) moves this commitment's due instant (policy.extensions caps it).
  extendable: z.boolean().default(false),
});

/**
 * A policy's own stage (stages: [..., { column: signed_at, ... }]): its column, the export
 * headers that feed it (zh and en, matched like every header synonym), its words, and the
 * flow-log event that fills it when the export leaves it empty (none: only the export does).
 */
const customStage = z.strictObject({
  column: z.string().regex(/^[a-z][a-z0-9_]*_at$/, 'a stage column is snake_case and ends in _at, e.g. signed_at'),
  headers: listOf.default([]),
  label: z.string().optional(),
  label_zh: z.string().optional(),
  event: z.string().regex(/^[a-z][a-z0-9_]*$/, 'event names are snake_case, e.g. signed').optional(),
  // The names a flow log writes for the event (e.g. 签收); the event's own name always counts.
  event_names: listOf.default([]),
  follows: z.string().optional(),
});
type CustomStageEntry = z.infer<typeof customStage>;

/**
 * A KPI's points (points scheme, 考核计分): its full score, and below its line (on the wrong side
 * of it, for an at_most KPI) points off per percentage point (per point for a score KPI) or per
 * case short of the line, never below its floor.
 */
const pointsKpi = z.strictObject({
  full: z.number().positive(),
  line: z.number().min(0),
  per_point: z.number().min(0).optional(),
  per_case: z.number().min(0).optional(),
  floor: z.number().min(0).default(0),
}).superRefine((k, ctx) => {
  if ((k.per_point === undefined) === (k.per_case === undefined)) ctx.addIssue({ code: 'custom', message: 'give one of per_point (points off per percentage point below the line) or per_case (per case short of it)' });
  if (k.floor > k.full) ctx.addIssue({ code: 'custom', path: ['floor'], message: `the floor ${k.floor} is above the full score ${k.full}` });
});

/** A bonus or penalty item: points per flow-log event of a kind, or per finding of a category, of the unit's complaints. */
const pointsItem = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'item names are snake_case'),
  label: z.string().optional(),
  label_zh: z.string().optional(),
  event: z.string().optional(),
  finding: z.enum(['data_quality', 'tamper']).optional(),
  points: z.number().refine((v) => v !== 0, 'an item is worth some points: positive for a bonus, negative for a penalty'),
  // The most the item can add or take away in a month (points, positive).
  max: z.number().positive().optional(),
}).refine((i) => (i.event === undefined) !== (i.finding === undefined), 'count either an event (event: reopened) or findings (finding: tamper)');

const pointsScheme = z.strictObject({
  base: z.number().default(0),
  kpis: z.record(z.string(), pointsKpi).default({}),
  items: z.array(pointsItem).default([]),
  // 红黑榜: the N best (red list) and N worst (black list) units of each level in the month.
  lists: z.number().int().min(0).default(3),
});

/** A duration in calendar units only (m, h, d): windows that must not depend on the calendar. */
const wallDurationText = durationText.refine((s) => ['m', 'h', 'd'].includes(parseDuration(s)!.unit), {
  error: (iss) => `"${String(iss.input)}" must be in calendar units (m, h or d), e.g. "30d"`,
});

const workingDays = z.string().refine((s) => parseDuration(s)?.unit === 'wd', {
  error: (iss) => `"${String(iss.input)}" is not a number of working days (try "2wd")`,
});

/** "09:00-12:00" → [540, 720]: a working-hours interval as minutes after local midnight. */
/** Minutes of working time in a working day: every working day has the policy's working hours. */
export function workingDayMinutes(policy: Policy): number {
  return policy.calendar.working_hours.reduce((s, span) => { const [a, b] = spanMinutes(span); return s + b - a; }, 0);
}

export function spanMinutes(span: string): [number, number] {
  const [a, b] = span.split('-').map((hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5)));
  return [a, b];
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** One interval of working hours: within the day (00:00 to 24:00) and not empty or inverted. */
const clockTime = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'working hours look like "09:00-12:00"')
  .superRefine((span, ctx) => {
    const [a, b] = spanMinutes(span);
    const problem = a > 1440 || b > 1440 ? 'is past the end of the day (the latest time is 24:00)'
      : a === b ? `is empty: it starts and ends at ${hhmm(a)} (e.g. "09:00-12:00")`
        // A night shift is two intervals, one each side of midnight.
        : a > b ? `ends before it starts: write "${hhmm(b)}-${hhmm(a)}", or for hours across midnight two intervals, "00:00-${hhmm(b)}" and "${hhmm(a)}-24:00"`
          : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: `"${span}" ${problem}` });
  });

/** The working day: intervals that do not overlap, so that each working minute counts once. */
const workingHours = z.array(clockTime).min(1, 'at least one interval of working hours, e.g. ["09:00-12:00", "13:00-18:00"]')
  .superRefine((spans, ctx) => {
    const order = spans.map((s, i) => ({ i, s, m: spanMinutes(s) })).sort((x, y) => x.m[0] - y.m[0]);
    for (let k = 1; k < order.length; k++) {
      const [prev, cur] = [order[k - 1], order[k]];
      if (cur.m[0] < prev.m[1]) {
        const merged = `${hhmm(prev.m[0])}-${hhmm(Math.max(prev.m[1], cur.m[1]))}`;
        ctx.addIssue({ code: 'custom', path: [cur.i], message: `"${cur.s}" overlaps "${prev.s}" (working_hours[${prev.i}]): list each working minute once, e.g. "${merged}" for both` });
        return;
      }
    }
  });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates look like "2025-10-01"');

/** What the spot-check sample may be stratified by (columns of the sample's population). */
export const SAMPLE_STRATA = ['department', 'outcome', 'severity', 'channel_kind'] as const;

const policySchema = z.strictObject({
  organisation: z.string().default('Pledge demo organisation'),
  timezone: z.string().default('Asia/Shanghai'),
  calendar: z.strictObject({
    // CN: the Chinese statutory calendar; none: Monday to Friday. Any other country's days
    // come from iCalendar files (`ics`), on top of either.
    holidays: z.enum(['CN', 'none'], {
      error: (iss) => `"${String(iss.input)}" is not a built-in calendar: use CN (Chinese statutory holidays and make-up working days) or none (Monday to Friday); for another country's holidays, set holidays: none and list an iCalendar file of them under calendar.ics, e.g. ics: [us-holidays.ics]`,
    }).default('CN'),
    // iCalendar (.ics) files of holidays and make-up working days, relative to this policy file.
    ics: listOf.default([]),
    working_hours: workingHours.default(['09:00-12:00', '13:00-18:00']),
    // Civil Code art. 201/203: a "within N working days" period ends with the N-th
    // working day; where working hours are set, at close of business.
    working_day_deadline: z.enum(['close_of_business', 'end_of_day']).default('close_of_business'),
    extra_holidays: z.array(isoDate).default([]),
    extra_working_days: z.array(isoDate).default([]),
    // Years the built-in calendar does not cover yet (the State Council publishes each
    // year in the autumn): declaring a year here marks it as covered.
    years: z.record(z.string().regex(/^\d{4}$/), z.strictObject({
      holidays: z.array(isoDate).default([]),
      working_days: z.array(isoDate).default([]),
    })).default({}),
  }).prefault({}),
  channels: z.strictObject({
    online: z.array(z.string()).default(['app', 'web', 'online_chat', 'email', 'social_media']),
    offline: z.array(z.string()).default(['phone', 'counter', 'letter']),
  }).prefault({}),
  satisfaction: z.strictObject({
    scale_max: z.number().positive().default(100),
    satisfied_at: z.number().default(85),
  }).prefault({}),
  // Severities from least to most severe: lowering one between two exports is a tamper finding.
  severities: z.array(z.string()).min(1).default(['general', 'major', 'urgent']),
  resolution: z.strictObject({
    commitment: z.string().default('resolve'),
    exclude_invalid: z.boolean().default(true),
  }).prefault({}),
  // Clock events from the flow log (工单流转记录). Pauses are switched on per commitment
  // (`pausable`), extensions per commitment (`extendable`).
  extensions: z.strictObject({
    max_count: z.number().int().min(0).nullable().default(2),   // null: no limit
    max_total: durationText.nullable().default('10wd'),          // null: no limit
  }).prefault({}),
  ownership: z.strictObject({
    // Whom a breach is charged to: the team holding the complaint at the due instant
    // (after transfers) or the first handler's team (首问负责制).
    breach_owner: z.enum(['team_at_due', 'first_team']).default('team_at_due'),
  }).prefault({}),
  reopenings: z.strictObject({
    window: wallDurationText.default('30d'),
    resolution_clock: z.enum(['continue', 'restart']).default('continue'),
  }).prefault({}),
  // Appeals (申诉, an export of their own): one filed more than `window` working days after the
  // end of the month its verdict falls in (a commitment's due month; a whole complaint's
  // month of receipt) is ignored and listed as a finding (event_findings appeal_after_window).
  appeals: z.strictObject({
    window: workingDays.default('5wd'),
  }).prefault({}),
  targets: z.strictObject({
    timeliness: rateTarget.default(0.95),
    resolution_rate: rateTarget.default(0.9),
    satisfaction_rate: rateTarget.default(0.85),
    satisfaction_mean: z.number().default(85),   // on the policy's own scale (satisfaction.scale_max)
    survey_coverage: rateTarget.default(0.8),
    reopen_rate_max: rateTarget.default(0.05),
    // 回退率 (return_rate): measured only when set, e.g. 0.05 (at most 5% of the complaints
    // assigned to a unit sent back by it).
    return_rate_max: rateTarget.optional(),
    // A rate is judged against its target only when at least this share of what fell due
    // could be judged (not status unknown); below it the KPI "cannot be judged", never a pass.
    min_judged_share: rateTarget.default(0.95),
  }).prefault({}),
  // The quarterly third-party assessment (第三方评估): how the spot-check sample (抽查) is drawn.
  assessment: z.strictObject({
    sample: z.strictObject({
      size: z.number().int().positive().default(60),
      strata: z.array(z.enum(SAMPLE_STRATA)).min(1).default(['department', 'outcome'])
        .refine((s) => new Set(s).size === s.length, 'each stratum column once'),
      min_per_stratum: z.number().int().nonnegative().default(1),
      seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(20251001),
    }).prefault({}),
  }).prefault({}),
  // Values for the $parameters of query files (the lines of an analyst's own
  // KPIs, e.g. fast_first_response: 1 hour): thresholds stay in the policy file.
  // Each is checked against the type the query's header declares when it runs.
  parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'parameter names are snake_case'),
    z.union([z.string(), z.number(), z.boolean()])).default({}),
  // Performance reviews (绩效考核): the composite score is the weighted mean of
  // these KPIs (the 12345-hotline three-rate scheme by default: response,
  // resolution, satisfaction). Keys are KPI names as in kpi_summary_monthly.
  scorecard: z.strictObject({
    // weighted: the composite score (kpi_composite_monthly); points: the points scheme below
    // (queries/kpi/kpi_points_monthly.sql), shown beside it on the ranking and review pages.
    scheme: z.enum(['weighted', 'points']).default('weighted'),
    weights: z.record(z.string(), z.number().positive()).default({
      'timeliness:first_response': 0.30, resolution_rate: 0.35, satisfaction_rate: 0.35,
    }),
    points: pointsScheme.prefault({}),
    // Classes of unit (departments or teams, by name), each with its maximum score.
    unit_classes: z.record(z.string().regex(/^[A-Za-z0-9_\-\u4e00-\u9fff]+$/, 'a class name is letters, digits, _ or -'),
      z.strictObject({ max: z.number().positive(), units: z.array(z.string()).min(1) })).default({}),
  }).prefault({}),
  // Parity (seed 001): online vs offline and special segments vs other customers;
  // a gap in a rate larger than this (absolute, 0.05 = 5 percentage points) is flagged.
  parity: z.strictObject({
    gap_threshold: z.number().min(0).max(1).default(0.05),
    segments: z.array(z.string()).default(['elderly', 'disabled', 'vip']),
    kpis: z.array(z.string()).default(['timeliness', 'timeliness:first_response', 'resolution_rate', 'satisfaction_rate', 'survey_coverage']),
  }).prefault({}),
  // Open commitments past this share of their allowed time are "at risk" (help-desk escalation warning).
  at_risk: z.strictObject({
    share: z.number().gt(0).lt(1).default(0.75),
  }).prefault({}),
  // A repeat complaint: the same customer, the same category, within this many days of the previous one.
  repeat: z.strictObject({
    window_days: z.number().int().positive().default(30),
  }).prefault({}),
  // Seed 003: when a monthly KPI is below its line, an investigation starts within
  // `investigation` and findings are due within `findings` (working days after the month closes).
  remediation: z.strictObject({
    kpis: z.array(z.string()).default(['satisfaction_rate']),
    investigation: workingDays.default('2wd'),
    findings: workingDays.default('5wd'),
  }).prefault({}),
  // How many rows of a breach or at-risk list a page shows; the full list is in a CSV beside it.
  reports: z.strictObject({
    list_rows: z.number().int().positive().default(50),
    // A handler's rate over fewer cases than this is shown greyed, with its count: too few to rank anyone by.
    min_cases: z.number().int().positive().default(30),
    // A month is closed (its figures published, src/models/close.ts) once this long after its
    // end has passed in the warehouse's data; seed 003's "within 10 working days".
    close_after: durationText.refine((s) => parseDuration(s)!.unit !== 'wh', {
      error: (iss) => `"${String(iss.input)}" must be in working days or calendar units (wd, d, h or m), e.g. "10wd"`,
    }).default('10wd'),
  }).prefault({}),
  // Personal data: outputs are masked by default (pledge … --reveal-pii to unmask, logged).
  // Files Pledge creates are private to their owner unless these say otherwise.
  privacy: z.strictObject({
    file_mode: z.string().regex(/^0?[0-7]{3}$/, 'a file mode in octal, like "0600"').default('0600'),
    dir_mode: z.string().regex(/^0?[0-7]{3}$/, 'a folder mode in octal, like "0700"').default('0700'),
    // The pseudonym key (keyed hash of customer identities); default "<warehouse>.key".
    key_file: z.string().optional(),
  }).prefault({}),
  // The stages a clock can start or stop on: the nine built in (stages.ts) are always there
  // and may be listed by their column; an entry with a column of its own adds a stage.
  stages: z.array(z.union([z.string(), customStage])).default([]),
  commitments: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'commitment names are snake_case'), commitment)
    .refine((c) => Object.keys(c).length > 0, 'at least one commitment is needed'),
});

export type Policy = z.infer<typeof policySchema> & {
  source: string; text: string;
  /** Every stage under this policy: the nine built in, then the policy's own (stagesWith). */
  stageList: readonly Stage[];
  /** The policy's own stages alone (empty unless `stages:` adds some). */
  customStages: readonly Stage[];
  /** The events of calendar.ics, read when the policy is (src/warehouse/ics.ts). */
  calendarEvents: IcsEvent[];
};
export type Commitment = Policy['commitments'][string];

export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PledgeError(`${path}: cannot read the policy file`);
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, source: string): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new PledgeError(`${source}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = policySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues[0]);
    throw new PledgeError(`${source}: ${keyPath(issue.path)}: ${issue.message}`);
  }
  const customStages = resolveStages(parsed.data.stages, source);
  const policy = { ...parsed.data, source, text, calendarEvents: [] as IcsEvent[], customStages, stageList: stagesWith(customStages) };
  checkConsistency(policy, raw);
  policy.calendarEvents = readCalendarFiles(policy);
  return policy;
}

/** `stages:` as Stage rows: a built-in named by its column adds nothing; each other entry is checked against the rest. */
function resolveStages(entries: (string | CustomStageEntry)[], source: string): Stage[] {
  const out: Stage[] = [];
  const taken = new Set<string>(Object.values(CLOCK_EVENT_NAMES).flat().concat(STAGE_LIST.flatMap((s) => [...s.eventNames])).map((n) => n.toLowerCase()));
  entries.forEach((entry, i) => {
    const key = `${source}: stages[${i}]`;
    if (typeof entry === 'string') {
      if (!isBuiltinStage(entry)) throw new PledgeError(`${key}: "${entry}" is not a built-in stage (one of ${STAGE_COLUMNS.join(', ')}); a stage of your own is written { column: ${entry}, headers: [...] }`);
      return;
    }
    if (isBuiltinStage(entry.column)) throw new PledgeError(`${key}.column: "${entry.column}" is a built-in stage: list it by name (- ${entry.column}), it cannot be redefined`);
    if (out.some((s) => s.column === entry.column)) throw new PledgeError(`${key}.column: "${entry.column}" is listed twice`);
    const names = entry.event === undefined ? [] : [...new Set([entry.event, ...entry.event_names])];
    if (entry.event === undefined && entry.event_names.length) throw new PledgeError(`${key}.event_names: names of an event, but no event: add event: (e.g. event: ${entry.column.replace(/_at$/, '')})`);
    for (const n of names) {
      if (taken.has(n.toLowerCase())) throw new PledgeError(`${key}: event name "${n}" already names another event or stage`);
      taken.add(n.toLowerCase());
    }
    const known = [...STAGE_COLUMNS, ...out.map((s) => s.column)] as string[];
    if (entry.follows !== undefined && !known.includes(entry.follows)) {
      throw new PledgeError(`${key}.follows: "${entry.follows}" is not a stage listed before it (one of ${known.join(', ')})`);
    }
    const label = entry.label ?? entry.column.replace(/_at$/, '').replace(/_/g, ' ');
    out.push({
      column: entry.column, event: entry.event ?? '', eventNames: names, headers: entry.headers,
      label, labelZh: entry.label_zh ?? label, short: label.charAt(0).toUpperCase() + label.slice(1),
      ...(entry.follows === undefined ? {} : { follows: entry.follows }),
    });
  });
  return out;
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/** A union ("a duration or a list of rules") fails as a whole; report the branch that got furthest. */
function deepestIssue(issue: Issue, prefix: PropertyKey[] = []): Issue {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { ...issue, path };
  const candidates = issue.errors.flat().map((i) => deepestIssue(i, path));
  return candidates.sort((a, b) => b.path.length - a.path.length)[0] ?? { ...issue, path };
}

function keyPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(top level)';
}

/** calendar.ics: each file relative to the policy file, parsed now so that a bad file stops `validate` and `ingest`. */
function readCalendarFiles(policy: Policy): IcsEvent[] {
  return policy.calendar.ics.flatMap((file, i) => {
    const key = `${policy.source}: calendar.ics[${i}]`;
    let text: string;
    try {
      text = readFileSync(resolve(dirname(policy.source), file), 'utf8');
    } catch {
      throw new PledgeError(`${key}: cannot read "${file}" (paths are relative to the policy file's folder, ${resolve(dirname(policy.source))})`);
    }
    try {
      return parseIcs(text, file, policy.timezone);
    } catch (e) {
      if (e instanceof PledgeError) throw new PledgeError(`${key}: ${e.message}`);
      throw e;
    }
  });
}

/**
 * Satisfaction figures in the policy are on its own scale (0..scale_max): the
 * SQL rescales scores to 0..100 points, and src/warehouse/policy-tables.ts the mean
 * target with them. A value off the scale is a unit slip (4 meant on 1-5, written
 * against 0-100, or 85 left as the default on a 1-5 survey).
 */
function checkSatisfactionScale(policy: Policy, raw: unknown): void {
  const max = policy.satisfaction.scale_max;
  const written = (section: string, key: string) => {
    const s = (raw as Record<string, Record<string, unknown> | undefined> | null)?.[section];
    return s !== null && typeof s === 'object' && key in s;
  };
  const check = (section: string, key: string, v: number) => {
    if (v >= 0 && v <= max) return;
    const how = written(section, key) ? '' : ' (the default, on a 0-100 scale)';
    // Well above a small scale but within 0..100: most likely written in points.
    const looksLikePoints = max < 50 && v > 2 * max && v <= 100;
    throw new PledgeError(`${policy.source}: ${section}.${key}: ${v}${how} is outside the satisfaction scale 0..${max} (satisfaction.scale_max: ${max}); give it on that scale${looksLikePoints ? `, e.g. ${+(v / 100 * max).toFixed(2)} for ${v} of 100` : ''}`);
  };
  check('satisfaction', 'satisfied_at', policy.satisfaction.satisfied_at);
  check('targets', 'satisfaction_mean', policy.targets.satisfaction_mean);
}

function checkConsistency(policy: Policy, raw: unknown): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: policy.timezone });
  } catch {
    throw new PledgeError(`${policy.source}: timezone: "${policy.timezone}" is not a time zone (try "Asia/Shanghai")`);
  }
  checkSatisfactionScale(policy, raw);
  checkLimits(policy);
  const stages = policy.stageList.map((s) => s.column);
  for (const [name, c] of Object.entries(policy.commitments)) {
    for (const end of ['from', 'to'] as const) {
      if (!stages.includes(c[end])) throw new PledgeError(`${policy.source}: commitments.${name}.${end}: "${c[end]}" is not a stage (one of ${stages.join(', ')}; add your own under stages:)`);
    }
  }
  if (!policy.commitments[policy.resolution.commitment]) {
    throw new PledgeError(`${policy.source}: resolution.commitment: "${policy.resolution.commitment}" is not one of the commitments (${Object.keys(policy.commitments).join(', ')})`);
  }
  const kpis = headlineKpis(policy);
  for (const k of Object.keys(policy.scorecard.weights)) {
    if (!kpis.includes(k)) throw new PledgeError(`${policy.source}: scorecard.weights.${k}: not a KPI (one of ${kpis.join(', ')})`);
  }
  if (!Object.keys(policy.scorecard.weights).length) throw new PledgeError(`${policy.source}: scorecard.weights: at least one weight is needed`);
  // Parity compares rates where more is better: a share KPI with direction at_least in the catalogue.
  const comparable = kpis.filter((k) => kpiEntry(k)?.unit === 'share' && kpiEntry(k)?.direction === 'at_least');
  policy.parity.kpis.forEach((k, i) => {
    if (!comparable.includes(k)) throw new PledgeError(`${policy.source}: parity.kpis[${i}]: "${k}" is not a rate parity compares (one of ${comparable.join(', ')})`);
  });
  policy.remediation.kpis.forEach((k, i) => {
    if (!kpis.includes(k)) throw new PledgeError(`${policy.source}: remediation.kpis[${i}]: "${k}" is not a KPI (one of ${kpis.join(', ')})`);
  });
  checkPoints(policy, kpis);
  const both = policy.channels.online.filter((c) => policy.channels.offline.includes(c));
  if (both.length) throw new PledgeError(`${policy.source}: channels: "${both[0]}" is listed as both online and offline`);
}

/** The points scheme names KPIs that exist, events of the vocabulary, and each unit in one class at most. */
function checkPoints(policy: Policy, kpis: string[]): void {
  const pts = policy.scorecard.points;
  if (policy.scorecard.scheme === 'points' && !Object.keys(pts.kpis).length) {
    throw new PledgeError(`${policy.source}: scorecard.points.kpis: the points scheme needs at least one KPI (e.g. resolution_rate: { full: 25, line: 0.9, per_point: 1 })`);
  }
  for (const k of Object.keys(pts.kpis)) {
    if (!kpis.includes(k)) throw new PledgeError(`${policy.source}: scorecard.points.kpis.${k}: not a KPI (one of ${kpis.join(', ')})`);
  }
  const events = [...Object.keys(CLOCK_EVENT_NAMES), ...policy.stageList.map((s) => s.event).filter(Boolean)];
  pts.items.forEach((item, i) => {
    if (item.event !== undefined && !events.includes(item.event)) throw new PledgeError(`${policy.source}: scorecard.points.items[${i}].event: "${item.event}" is not a flow-log event (one of ${events.join(', ')})`);
    if (pts.items.findIndex((x) => x.name === item.name) !== i) throw new PledgeError(`${policy.source}: scorecard.points.items[${i}].name: "${item.name}" is listed twice`);
  });
  const classOf = new Map<string, string>();
  for (const [name, c] of Object.entries(policy.scorecard.unit_classes)) {
    for (const unit of c.units) {
      if (classOf.has(unit)) throw new PledgeError(`${policy.source}: scorecard.unit_classes.${name}.units: "${unit}" is already in class ${classOf.get(unit)}`);
      classOf.set(unit, name);
    }
  }
}

/** Every duration of the policy with its key, e.g. commitments.resolve.within[1].limit. */
function policyDurations(policy: Policy): { key: string; text: string }[] {
  const out: { key: string; text: string }[] = [];
  for (const [name, c] of Object.entries(policy.commitments)) {
    if (typeof c.within === 'string') out.push({ key: `commitments.${name}.within`, text: c.within });
    else c.within.forEach((r, i) => out.push({ key: `commitments.${name}.within[${i}].limit`, text: r.limit }));
  }
  if (policy.extensions.max_total !== null) out.push({ key: 'extensions.max_total', text: policy.extensions.max_total });
  out.push({ key: 'reopenings.window', text: policy.reopenings.window },
    { key: 'remediation.investigation', text: policy.remediation.investigation },
    { key: 'remediation.findings', text: policy.remediation.findings },
    { key: 'reports.close_after', text: policy.reports.close_after },
    { key: 'appeals.window', text: policy.appeals.window });
  return out;
}

/** Zero and overlong limits (limitProblem), judged against this policy's working day. */
function checkLimits(policy: Policy): void {
  const minutes = workingDayMinutes(policy);
  for (const { key, text } of policyDurations(policy)) {
    const problem = limitProblem(parseDuration(text)!, minutes);
    if (problem) throw new PledgeError(`${policy.source}: ${key}: ${problem}`);
  }
}

/** A commitment's `within` as an ordered rule list (first match wins). */
export function rulesOf(c: Commitment): { when?: Selector; limit: Duration }[] {
  const rules = typeof c.within === 'string' ? [{ limit: c.within }] : c.within;
  return rules.map((r) => ({ when: 'when' in r ? r.when : undefined, limit: parseDuration(r.limit)! }));
}

/** Every KPI name a target, weight or trigger can refer to. */
export function headlineKpis(policy: Pick<Policy, 'commitments' | 'targets'>): string[] {
  const targets = policy.targets as Record<string, number | undefined>;
  return [...KPI_CATALOGUE.filter((k) => targets[k.target] !== undefined).map((k) => k.key), ...Object.keys(policy.commitments).map((c) => `${COMMITMENT_KPI.prefix}${c}`)];
}

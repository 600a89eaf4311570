// The stages of a complaint's handling, written once. Every other list of stages is
// derived from this one: the policy's allowed clock ends (policy.ts), the warehouse's
// stage columns (schema.ts), the export headers and flow-log event names that map onto
// them (export-kinds.ts), the policy_stage table the SQL reads (policy-tables.ts, and
// through it queries/staging/stg_complaint_stage.sql), the words of the methodology
// page and the assessment pack's sample columns.
// A plain data module: it imports nothing from the project, so every layer may read it.

export interface Stage {
  /** The stage's column in complaint_versions and stg_complaints (every *_at column is a stage). */
  readonly column: string;
  /**
   * The flow-log event that records it (工单流转记录), the canonical name an event row maps to.
   * Its first occurrence before any reopening fills the stage when the export leaves it empty.
   * Empty for a policy's own stage that no event fills (policy `stages:`, event omitted).
   */
  readonly event: string;
  /** Names a flow log writes for the event (matched after trimming, case-insensitively). */
  readonly eventNames: readonly string[];
  /** Headers a complaint export writes for the column (zh and en), matched like every header synonym. */
  readonly headers: readonly string[];
  /** What the stage is, in words (English, then Chinese): the methodology page. */
  readonly label: string;
  readonly labelZh: string;
  /** A column heading (the assessment pack's sample). */
  readonly short: string;
  /**
   * The stage this one cannot come before, besides receipt (which every stage follows): a
   * time before it is a contradiction (findings data_quality "feedback_at before resolved_at").
   */
  readonly follows?: string;
}

/** In the order a complaint goes through them; a stage's position is its place here (1-based). */
export const STAGE_LIST = [
  {
    column: 'received_at', event: 'received', eventNames: ['received', '受理'],
    headers: ['受理时间', '来电时间', '投诉时间', '接收时间', '收到时间', '受理日期', 'Created Date', 'Created', 'Date Received', 'Received At', 'Received Date', 'Opened At', 'Open Date'],
    label: 'received', labelZh: '收到', short: 'Received',
  },
  {
    column: 'registered_at', event: 'registered', eventNames: ['registered', '登记'],
    headers: ['登记时间', '立案时间', '录入时间', 'Registered At', 'Registration Date', 'Logged At'],
    label: 'registered', labelZh: '登记', short: 'Registered',
  },
  {
    column: 'first_response_at', event: 'first_response', eventNames: ['first_response', '首次响应'],
    headers: ['首次响应时间', '首次回复时间', '首次联系时间', '响应时间', 'First Response At', 'First Response Date', 'First Response Time'],
    label: 'first response', labelZh: '首次响应', short: 'First response',
  },
  {
    column: 'escalated_at', event: 'escalated', eventNames: ['escalated', '上报'],
    headers: ['上报时间', '升级时间', 'Escalated At', 'Escalation Date'],
    label: 'escalated to the responsible leader', labelZh: '上报', short: 'Escalated',
  },
  {
    column: 'plan_at', event: 'plan', eventNames: ['plan', '初步方案'],
    headers: ['初步方案时间', '方案时间', '初步解决方案时间', 'Plan At', 'Initial Solution Date', 'Solution Proposed At'],
    label: 'initial solution', labelZh: '初步解决方案', short: 'Initial solution',
  },
  {
    column: 'resolved_at', event: 'resolved', eventNames: ['resolved', '办结'],
    headers: ['办结时间', '解决时间', '结案时间', '完成时间', 'Closed Date', 'Closed At', 'Resolved At', 'Resolved Date', 'Resolution Date'],
    label: 'resolved', labelZh: '办结', short: 'Resolved',
  },
  {
    column: 'feedback_at', event: 'feedback', eventNames: ['feedback', '反馈'],
    headers: ['反馈时间', '结果反馈时间', '回复时间', '答复时间', 'Feedback At', 'Feedback Date', 'Response Sent Date'],
    label: 'result reported back', labelZh: '结果反馈', short: 'Reported back', follows: 'resolved_at',
  },
  {
    column: 'survey_at', event: 'survey', eventNames: ['survey', '回访'],
    headers: ['回访时间', '满意度回访时间', 'Survey At', 'Survey Date'],
    label: 'satisfaction follow-up', labelZh: '回访', short: 'Follow-up', follows: 'feedback_at',
  },
  {
    column: 'archived_at', event: 'archived', eventNames: ['archived', '归档'],
    headers: ['归档时间', '存档时间', 'Archived At', 'Archive Date'],
    label: 'archived', labelZh: '归档', short: 'Archived',
  },
] as const satisfies readonly Stage[];

/**
 * The flow-log events that are not stages (they move clocks and ownership), with the names
 * exports write for them: the event vocabulary is these and the stages' events
 * (src/ingest/kinds.ts EVENT_NAMES). Here so that a policy's own stage event can be checked
 * against them when the policy is read.
 */
export const CLOCK_EVENT_NAMES: Readonly<Record<string, readonly string[]>> = {
  paused: ['paused', '挂起', '中止'],
  resumed: ['resumed', '恢复'],
  extension_approved: ['extension_approved', '延期'],
  transferred: ['transferred', '转办'],
  // 退回 / 回退: the unit holding the complaint sends it back (team: the one getting it back).
  returned: ['returned', '退回', '回退'],
  reopened: ['reopened', '重办'],
};

export type StageColumn = (typeof STAGE_LIST)[number]['column'];

/** The stage columns, in order: the ends a commitment's clock may start or stop on. */
export const STAGE_COLUMNS = STAGE_LIST.map((s) => s.column) as unknown as readonly [StageColumn, ...StageColumn[]];

/** The stage a column names among `stages` (a policy's stageList; default the nine), undefined when none. */
export function stageOf(column: string, stages: readonly Stage[] = STAGE_LIST): Stage | undefined {
  return stages.find((s) => s.column === column);
}

/** "registered (登记, registered_at)": a stage as the methodology names it (`stages`: the policy's, default the nine). */
export function stageWords(column: string, stages: readonly Stage[] = STAGE_LIST): string {
  const s = stageOf(column, stages);
  return s ? `${s.label} (${s.labelZh}, ${s.column})` : column;
}

/**
 * The stages under a policy: the nine above, always (every warehouse stores their columns),
 * then the policy's own (`stages:` in the policy file, src/warehouse/policy.ts), in the order
 * it lists them. A policy's own stage is a column added to complaint_versions by the first
 * ingest or build under that policy (schema.ts ensureStageColumns).
 */
export function stagesWith(custom: readonly Stage[]): readonly Stage[] {
  return [...(STAGE_LIST as readonly Stage[]), ...custom];
}

/** The built-in stages' columns (a policy's own stage may not take one). */
export function isBuiltinStage(column: string): boolean {
  return stageOf(column) !== undefined;
}

// The kinds of export Pledge reads, each described as data: its canonical
// columns and types, which are required, the column that identifies a record,
// the warehouse table it lands in, and the header names real systems write for
// each column (Chinese and English). Decoding, header mapping, date parsing and
// rejects are written once over this description, so every kind of export gets
// the same treatment: a second kind is a second entry, not a second pipeline.
import { COMPLAINT_COLUMNS, REQUIRED_COLUMNS } from '../warehouse/schema.ts';
import { CLOCK_EVENT_NAMES, STAGE_LIST, type Stage, type StageColumn } from '../warehouse/stages.ts';

export type ColumnType = 'VARCHAR' | 'BOOLEAN' | 'INTEGER' | 'DOUBLE' | 'TIMESTAMPTZ';

export interface ExportKind {
  name: string;
  /** Warehouse table the rows are appended to (with import_id and line_no first). */
  table: string;
  columns: Record<string, ColumnType>;
  required: string[];
  /** The column naming the record; a row without it is rejected. */
  idColumn: string;
  /**
   * True when one file holds at most one row per record (a complaint list); a flow log
   * holds many rows per complaint and only exact repeats are duplicates.
   */
  oneRowPerRecord: boolean;
  /** Header names real systems write, matched after folding (see foldHeader). */
  synonyms: Record<string, string[]>;
  /** Built-in value mappings (export value → canonical value), applied before a profile's own. */
  values?: Record<string, Record<string, string>>;
  /** Columns whose canonical values are a closed list: anything else is a reject. */
  allowed?: Record<string, string[]>;
  /**
   * Kind-specific row checks: SQL selects over the temp table `typed` (src_<col>: text
   * as exported, typed_<col>: canonical value) giving line_no, column_name, raw_value, reason.
   */
  rowChecks?: string[];
  /** The kind's table columns and the SQL over `typed` that fills each; default typed_<col> into <col>. */
  tableColumns?: Record<string, string>;
}

const COMPLAINT_SYNONYMS: Record<keyof typeof COMPLAINT_COLUMNS, string[]> = {
  complaint_id: ['投诉编号', '工单号', '工单编号', '投诉单号', '投诉工单号', '受理编号', 'Ticket ID', 'Ticket Number', 'Ticket No', 'Case ID', 'Case Number', 'Complaint ID', 'Complaint Number', 'Complaint No'],
  channel: ['诉求渠道', '来源', '投诉渠道', '受理渠道', '渠道', '投诉来源', 'Channel', 'Source', 'Submitted via', 'Intake Channel'],
  severity: ['严重程度', '紧急程度', '投诉级别', '级别', '等级', 'Severity', 'Priority', 'Urgency'],
  category: ['投诉类别', '投诉类型', '诉求类型', '问题分类', '类别', 'Category', 'Complaint Type', 'Issue Type'],
  department: ['承办单位', '责任部门', '处理部门', '承办部门', '部门', 'Agency', 'Department', 'Responsible Department'],
  team: ['班组', '处理班组', '承办班组', '小组', 'Team', 'Assignment Group'],
  handler: ['处理人', '承办人', '经办人', 'Handler', 'Assignee', 'Assigned To'],
  first_handler: ['首问负责人', '首问人', '首问责任人', 'First Handler', 'First Owner'],
  customer_id: ['客户编号', '用户编号', '客户ID', '用户ID', 'Customer ID', 'Account ID'],
  customer_name: ['客户姓名', '用户姓名', '投诉人', '投诉人姓名', 'Customer Name'],
  customer_phone: ['联系电话', '客户电话', '手机号码', '联系方式', 'Customer Phone', 'Phone Number', 'Contact Phone'],
  customer_segment: ['客户类型', '客户群体', '用户类别', '客户类别', 'Customer Segment', 'Segment'],
  is_valid: ['是否有效', '有效投诉', '是否有效投诉', 'Valid', 'Is Valid'],
  reopened_count: ['重办次数', '重开次数', '重新处理次数', 'Reopened Count', 'Reopen Count', 'Times Reopened'],
  satisfaction: ['满意度', '满意度评分', '回访满意度', '评分', 'Customer Satisfaction Rating', 'Satisfaction', 'Satisfaction Score', 'CSAT'],
  // The stage columns' headers are kept with the stages (stages.ts).
  ...(Object.fromEntries(STAGE_LIST.map((st) => [st.column, [...st.headers]])) as Record<StageColumn, string[]>),
  outcome: ['处理状态', '工单状态', '办理状态', '处理结果', '状态', 'Status', 'Outcome', 'Resolution'],
  description: ['投诉内容', '诉求内容', '问题描述', '投诉描述', '描述', 'Description', 'Details', 'Complaint Description', 'Descriptor'],
};

export const COMPLAINTS: ExportKind = {
  name: 'complaints',
  table: 'complaint_versions',
  columns: COMPLAINT_COLUMNS,
  required: REQUIRED_COLUMNS,
  idColumn: 'complaint_id',
  oneRowPerRecord: true,
  synonyms: COMPLAINT_SYNONYMS,
};

/**
 * Flow-log events: canonical name → the names exports write for it (matched after
 * trimming, case-insensitively). Clock events first, then stage events (each stage's
 * event, stages.ts), which fill or confirm stage times.
 */
export const EVENT_NAMES: Record<string, string[]> = {
  ...Object.fromEntries(Object.entries(CLOCK_EVENT_NAMES).map(([e, names]) => [e, [...names]])),
  ...Object.fromEntries(STAGE_LIST.map((st) => [st.event, [...st.eventNames]])),
};

/**
 * A flow log (工单流转记录): one row per event, many per complaint, so only exact
 * repeats are duplicates. `at` lands in event_at (AT is a keyword in DuckDB SQL);
 * the event name as written is kept beside the canonical one.
 */
export const EVENTS: ExportKind = {
  name: 'events',
  table: 'event_versions',
  columns: { complaint_id: 'VARCHAR', at: 'TIMESTAMPTZ', event: 'VARCHAR', actor: 'VARCHAR', team: 'VARCHAR', detail: 'VARCHAR' },
  required: ['complaint_id', 'at', 'event'],
  idColumn: 'complaint_id',
  oneRowPerRecord: false,
  synonyms: {
    complaint_id: ['工单编号', '投诉编号'],
    at: ['时间', '操作时间'],
    event: ['事件', '操作'],
    actor: ['操作人'],
    team: ['处理部门', '接收部门'],
    detail: ['说明', '备注'],
  },
  values: { event: Object.fromEntries(Object.entries(EVENT_NAMES).flatMap(([event, names]) => names.map((n) => [n, event]))) },
  allowed: { event: Object.keys(EVENT_NAMES) },
  rowChecks: [
    `select line_no, 'at' as column_name, src_at as raw_value, 'missing time' as reason
      from typed where nullif(trim(src_at), '') is null`,
    `select line_no, 'event', src_event, 'missing event' from typed where typed_event is null`,
    `select line_no, 'detail', src_detail, 'extension_approved needs a duration in detail (e.g. 5wd; units m, h, d, wh, wd)'
      from typed where typed_event = 'extension_approved' and not regexp_full_match(coalesce(typed_detail, ''), '[0-9]+(m|h|d|wh|wd)')`,
  ],
  tableColumns: {
    complaint_id: 'typed_complaint_id', event_at: 'typed_at', event: 'typed_event', event_raw: 'trim(src_event)',
    actor: 'typed_actor', team: 'typed_team', detail: 'typed_detail',
  },
};

/** Appeal decisions: canonical → the words exports write (matched after trimming, case-insensitively). */
export const APPEAL_DECISIONS: Record<string, string[]> = {
  approved: ['approved', 'upheld', '通过', '同意', '批准', '支持', '申诉成功'],
  rejected: ['rejected', 'dismissed', '驳回', '不同意', '不予支持', '不通过', '申诉失败'],
  pending: ['pending', '待审核', '审核中', '处理中', '未裁定'],
};

/**
 * Appeals (申诉记录): a unit asks that a verdict (one commitment of a complaint) or a whole
 * complaint (不合理诉求, malicious or repeated) be taken out of its figures. Many rows per
 * complaint are possible, so only exact repeats are duplicates. `commitment` empty (or 整单,
 * 全部, whole) names the whole complaint. A decided appeal needs its decision time.
 */
export const APPEALS: ExportKind = {
  name: 'appeals',
  table: 'appeal_versions',
  columns: { complaint_id: 'VARCHAR', commitment: 'VARCHAR', filed_at: 'TIMESTAMPTZ', decided_at: 'TIMESTAMPTZ', decision: 'VARCHAR', reason: 'VARCHAR' },
  required: ['complaint_id', 'filed_at', 'decision'],
  idColumn: 'complaint_id',
  oneRowPerRecord: false,
  synonyms: {
    complaint_id: ['工单编号', '投诉编号', '工单号', 'Ticket ID', 'Complaint ID'],
    commitment: ['申诉事项', '申诉对象', '申诉承诺', '承诺事项', 'Appealed', 'Commitment'],
    filed_at: ['申诉时间', '提出时间', '申请时间', 'Filed At', 'Appeal Date', 'Filed'],
    decided_at: ['审核时间', '裁定时间', '审批时间', 'Decided At', 'Decision Date'],
    decision: ['审核结果', '裁定结果', '申诉结果', '审批结果', 'Decision', 'Outcome'],
    reason: ['申诉理由', '申诉原因', '理由', 'Reason'],
  },
  values: {
    decision: Object.fromEntries(Object.entries(APPEAL_DECISIONS).flatMap(([d, names]) => names.map((n) => [n, d]))),
    commitment: { 整单: '', 全部: '', 整件: '', whole: '', '*': '' },
  },
  allowed: { decision: Object.keys(APPEAL_DECISIONS) },
  rowChecks: [
    `select line_no, 'filed_at' as column_name, src_filed_at as raw_value, 'missing filing time' as reason
      from typed where nullif(trim(src_filed_at), '') is null`,
    `select line_no, 'decision', src_decision, 'missing decision' from typed where typed_decision is null`,
    `select line_no, 'decided_at', src_decided_at, 'a decided appeal needs its decision time'
      from typed where typed_decision in ('approved', 'rejected') and typed_decided_at is null`,
    `select line_no, 'decided_at', src_decided_at, 'decided before it was filed'
      from typed where typed_decided_at < typed_filed_at`,
  ],
  tableColumns: {
    complaint_id: 'typed_complaint_id', commitment: "nullif(typed_commitment, '')", filed_at: 'typed_filed_at', decided_at: 'typed_decided_at',
    decision: 'typed_decision', decision_raw: 'trim(src_decision)', reason: 'typed_reason',
  },
};

export const EXPORT_KINDS: Record<string, ExportKind> = { complaints: COMPLAINTS, events: EVENTS, appeals: APPEALS };

/**
 * The kinds under a policy with stages of its own (policy `stages:`): a complaint export
 * gains each stage's column (a time) and header synonyms, a flow log each stage's event
 * and the names it is written as. With none, the built-in kinds themselves.
 */
export function kindsFor(stages: readonly Stage[] = []): Record<string, ExportKind> {
  if (!stages.length) return EXPORT_KINDS;
  const complaints: ExportKind = {
    ...COMPLAINTS,
    columns: { ...COMPLAINTS.columns, ...Object.fromEntries(stages.map((st) => [st.column, 'TIMESTAMPTZ'])) },
    synonyms: { ...COMPLAINTS.synonyms, ...Object.fromEntries(stages.map((st) => [st.column, [...st.headers]])) },
  };
  const names = Object.fromEntries(stages.filter((st) => st.event).map((st) => [st.event, [...st.eventNames]]));
  const events: ExportKind = {
    ...EVENTS,
    values: { event: { ...EVENTS.values!.event, ...Object.fromEntries(Object.entries(names).flatMap(([event, ns]) => ns.map((n) => [n, event]))) } },
    allowed: { event: [...EVENTS.allowed!.event, ...Object.keys(names)] },
  };
  return { complaints, events, appeals: APPEALS };
}

/**
 * The kind an export is, from its header when no profile names it: a flow log has
 * complaint_id, at and event (by name or synonym) and no received_at; an appeal list
 * complaint_id, filed_at and decision and no received_at; anything else is read as a
 * complaint export (whose own header check then names what is missing).
 */
export function kindForHeader(header: string[], kinds: Record<string, ExportKind> = EXPORT_KINDS): ExportKind {
  const folded = new Set(header.map(foldHeader));
  const has = (kind: ExportKind, column: string) => [column, ...(kind.synonyms[column] ?? [])].some((n) => folded.has(foldHeader(n)));
  const { complaints, events, appeals } = kinds;
  if (has(complaints, 'received_at')) return complaints;
  if (events.required.every((c) => has(events, c))) return events;
  if (appeals.required.every((c) => has(appeals, c))) return appeals;
  return complaints;
}

export function exportKind(name: string, kinds: Record<string, ExportKind> = EXPORT_KINDS): ExportKind | undefined {
  return kinds[name];
}

/**
 * Header text as compared: Unicode NFKC (full-width ＩＤ and （） become ID and ()),
 * lower case, and without spaces, underscores, hyphens and punctuation, so
 * "Date received", "date_received" and "ＤＡＴＥ ＲＥＣＥＩＶＥＤ？" are one name.
 */
export function foldHeader(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s_\-.:?!()[\]{}"'/\\#*]+/gu, '');
}

// Words shown to people, in Chinese and English. Numbers are formatted for the
// page's locale; everything from an export is escaped where it is written.
import type { Policy } from '../warehouse/policy.ts';
import { commitmentName, kpiName, kpiUnit } from '../warehouse/kpi-catalogue.ts';

export type Lang = 'zh' | 'en';
export type Localized = string | { zh?: string; en?: string };

export function localize(text: Localized | undefined, lang: Lang): string {
  if (text === undefined || text === null) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en ?? text.zh ?? '';
}

/** Replaces every {zh, en} object inside a panel definition (a Vega-Lite spec, say) by the page language's text. */
export function localizeDeep(value: unknown, lang: Lang): unknown {
  if (Array.isArray(value)) return value.map((v) => localizeDeep(v, lang));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => k === 'zh' || k === 'en')) return (value as Record<Lang, unknown>)[lang] ?? Object.values(value)[0];
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localizeDeep(v, lang)]));
  }
  return value;
}

const STATUS: Record<string, { zh: string; en: string }> = {
  met: { zh: '按时', en: 'met' },
  breached: { zh: '超时完成', en: 'breached' },
  overdue: { zh: '逾期未办', en: 'overdue' },
  pending: { zh: '未到期', en: 'pending' },
  not_applicable: { zh: '不适用', en: 'not applicable' },
  unknown: { zh: '数据存疑', en: 'unknown' },
};

const GROUP: Record<string, { zh: string; en: string }> = {
  online: { zh: '线上', en: 'online' },
  offline: { zh: '线下', en: 'offline' },
  unknown: { zh: '未知渠道', en: 'unknown channel' },
  elderly: { zh: '老年客户', en: 'elderly' },
  disabled: { zh: '残障客户', en: 'disabled' },
  vip: { zh: 'VIP 客户', en: 'VIP' },
  others: { zh: '其他客户', en: 'other customers' },
};

const LEVEL: Record<string, { zh: string; en: string }> = {
  organisation: { zh: '全公司', en: 'organisation' },
  department: { zh: '部门', en: 'department' },
  team: { zh: '班组', en: 'team' },
};

const STEP: Record<string, { zh: string; en: string }> = {
  investigation: { zh: '启动调查', en: 'investigation' },
  findings: { zh: '提交调查结论', en: 'findings' },
};

const DIMENSION: Record<string, { zh: string; en: string }> = {
  commitment: { zh: '承诺', en: 'commitment' },
  category: { zh: '投诉类别', en: 'category' },
};

// Channel codes as the complaint systems export them (policy channels: online / offline).
const CHANNEL: Record<string, { zh: string; en: string }> = {
  phone: { zh: '电话', en: 'Phone' },
  hotline: { zh: '热线', en: 'Hotline' },
  app: { zh: 'App', en: 'App' },
  web: { zh: '网站', en: 'Website' },
  online_chat: { zh: '在线客服', en: 'Online chat' },
  email: { zh: '电子邮件', en: 'E-mail' },
  social_media: { zh: '社交媒体', en: 'Social media' },
  wechat: { zh: '微信', en: 'WeChat' },
  counter: { zh: '营业厅', en: 'Service counter' },
  letter: { zh: '信函', en: 'Letter' },
  visit: { zh: '来访', en: 'Visit' },
};

// Data-quality codes: where a finding comes from (report/data_quality.sql's source) and the
// flow-log findings' kinds (queries/kpi/event_findings.sql). Free-text reasons are shown as they are.
const FINDING: Record<string, { zh: string; en: string }> = {
  commitment_status: { zh: '无法判定的承诺', en: 'Commitments that cannot be judged' },
  rejects: { zh: '导入拒收的行', en: 'Rows rejected at ingest' },
  'findings: data_quality': { zh: '导出数据矛盾', en: 'Contradictions in the exports' },
  'findings: tamper': { zh: '导出之间的改动', en: 'Changes between exports' },
  event_findings: { zh: '工单流转记录', en: 'Flow log' },
  pause_open: { zh: '挂起未恢复（时钟停止至统计时点）', en: 'Pause never resumed (clock stopped up to the as-of)' },
  pause_ignored: { zh: '挂起/恢复不成对（已忽略）', en: 'Unmatched pause or resume (ignored)' },
  extension_after_due: { zh: '到期后才批准的延期（已忽略）', en: 'Extension approved after the due instant (ignored)' },
  extension_over_cap: { zh: '超出上限的延期（已忽略）', en: 'Extension beyond the policy cap (ignored)' },
  extension_unit_mismatch: { zh: '延期单位与时限不符（已忽略）', en: 'Extension in another kind of time than its clock (ignored)' },
  stage_event_disagrees: { zh: '流转记录与导出的环节时间不一致', en: 'Flow log and export disagree on a stage time' },
  unknown_complaint: { zh: '流转记录中的投诉不在任何导出中', en: 'Flow-log event for a complaint no export holds' },
  appeal_after_window: { zh: '超过申诉期提出的申诉（已忽略）', en: 'Appeal filed after the window (ignored)' },
  appeal_unknown_complaint: { zh: '申诉的投诉不在任何导出中（已忽略）', en: 'Appeal for a complaint no export holds (ignored)' },
  appeal_unknown_commitment: { zh: '申诉事项不是考核承诺（已忽略）', en: 'Appeal naming no commitment of the policy (ignored)' },
};

const SEVERITY: Record<string, { zh: string; en: string }> = {
  general: { zh: '一般', en: 'general' },
  major: { zh: '重大', en: 'major' },
  urgent: { zh: '紧急', en: 'urgent' },
};

/** A severity (policy severities) in words; one the table does not hold is shown as it is. */
export function severityLabel(severity: string, lang: Lang): string {
  return SEVERITY[severity]?.[lang] ?? severity;
}

// The fields an assessment sample may be stratified by (policy assessment.sample.strata).
const STRATA_FIELD: Record<string, { zh: string; en: string }> = {
  department: { zh: '部门', en: 'department' },
  outcome: { zh: '结果', en: 'outcome' },
  severity: { zh: '级别', en: 'severity' },
  channel_kind: { zh: '线上/线下', en: 'online/offline' },
};

export function strataFieldLabel(field: string, lang: Lang): string {
  return STRATA_FIELD[field]?.[lang] ?? field;
}

/** A channel code in words; a code the table does not hold is shown as it is. */
export function channelLabel(channel: string, lang: Lang): string {
  return CHANNEL[channel]?.[lang] ?? channel;
}

/** A data-quality source or finding code in words; anything else (a free-text reason) as it is. */
export function findingLabel(code: string, lang: Lang): string {
  return FINDING[code]?.[lang] ?? code;
}

// Flow-log events that move a clock or change hands (a clock story's timeline; stages are named by src/warehouse/stages.ts).
const EVENT: Record<string, { zh: string; en: string }> = {
  paused: { zh: '挂起', en: 'paused' },
  resumed: { zh: '恢复', en: 'resumed' },
  extension_approved: { zh: '批准延期', en: 'extension approved' },
  transferred: { zh: '转办', en: 'transferred' },
  returned: { zh: '退回', en: 'returned' },
  reopened: { zh: '重新打开', en: 'reopened' },
};

export function eventLabel(event: string, lang: Lang): string {
  return EVENT[event]?.[lang] ?? event;
}

/** A parity group (channel kind or customer segment); unknown names are shown as they are. */
export function groupLabel(group: string, lang: Lang): string {
  return GROUP[group]?.[lang] ?? group;
}

export function levelLabel(level: string, lang: Lang): string {
  return LEVEL[level]?.[lang] ?? level;
}

export function stepLabel(step: string, lang: Lang): string {
  return STEP[step]?.[lang] ?? step;
}

export function dimensionLabel(dimension: string, lang: Lang): string {
  return DIMENSION[dimension]?.[lang] ?? dimension;
}

export function statusLabel(status: string, lang: Lang): string {
  return STATUS[status]?.[lang] ?? status;
}

export function commitmentLabel(policy: Policy, name: string, lang: Lang): string {
  return commitmentName(policy, name, lang);
}

/** A KPI's name from the catalogue (src/warehouse/kpi-catalogue.ts); a name it does not hold is shown as it is. */
export function kpiLabel(policy: Policy, kpi: string, lang: Lang): string {
  return kpiName(policy, kpi, lang);
}

/** Is this KPI a share (0..1, shown as a percentage) or a score? By its unit in the catalogue. */
export function isRate(kpi: string): boolean {
  return kpiUnit(kpi) === 'share';
}

// Appeals (申诉; queries/kpi/kpi_appeals.sql): what became of each, and its decision.
const APPEAL_STATUS: Record<string, { zh: string; en: string }> = {
  applied: { zh: '已采纳：从单位指标中剔除', en: 'applied: taken out of the unit\'s figures' },
  rejected: { zh: '驳回：照常计入', en: 'rejected: counted as before' },
  pending: { zh: '待审核：照常计入', en: 'pending: counted as before' },
  late: { zh: '超过申诉期限：不予受理，照常计入', en: 'filed after the window: ignored, counted as before' },
  unknown_complaint: { zh: '工单不在任何导出中：已忽略', en: 'names no complaint the exports hold: ignored' },
  unknown_commitment: { zh: '申诉事项不是考核规则中的承诺：已忽略', en: 'names no commitment of the policy: ignored' },
};

const APPEAL_DECISION: Record<string, { zh: string; en: string }> = {
  approved: { zh: '通过', en: 'approved' },
  rejected: { zh: '驳回', en: 'rejected' },
  pending: { zh: '待审核', en: 'pending' },
};

export function appealStatusLabel(status: string, lang: Lang): string {
  return APPEAL_STATUS[status]?.[lang] ?? status;
}

export function appealDecisionLabel(decision: string, lang: Lang): string {
  return APPEAL_DECISION[decision]?.[lang] ?? decision;
}

// How a line of the points scheme was earned or lost (queries/kpi/kpi_points_lines_monthly.sql's `how`);
// {shortfall} {cases} {deduction} {n} are filled in by pointsHowWords.
const POINTS_HOW: Record<string, { zh: string; en: string }> = {
  full: { zh: '达到考核线，得满分', en: 'at or past its line: full score' },
  deducted: { zh: '低于考核线 {shortfall} 个百分点{cases}，扣 {deduction} 分', en: '{shortfall} points short of its line{cases}: {deduction} off' },
  floor: { zh: '低于考核线 {shortfall} 个百分点{cases}，扣至保底分', en: '{shortfall} points short of its line{cases}: down to its floor' },
  unjudged: { zh: '无法判定，不得分', en: 'cannot be judged: no points' },
  bonus: { zh: '{n} 次，加分', en: '{n} times: bonus' },
  penalty: { zh: '{n} 次，减分', en: '{n} times: penalty' },
  capped: { zh: '{n} 次，已达上限', en: '{n} times: at its maximum' },
  none: { zh: '无', en: 'none' },
};
const CASES_SHORT = { zh: '，差 {n} 件', en: ', {n} cases short' };

/** A points line's `how` in words, with its figures (one decimal; cases and occurrences whole). */
export function pointsHowWords(r: { how?: unknown; shortfall?: unknown; cases_short?: unknown; deduction?: unknown; occurrences?: unknown }, lang: Lang): string {
  const template = POINTS_HOW[String(r.how)]?.[lang] ?? String(r.how);
  const fmt = (v: unknown, digits: number) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(Number(v));
  // English counts agree with their noun ("1 case short", "1 time"); Chinese has no plural.
  const one = (v: unknown, text: string) => (lang === 'en' && Number(v) === 1 ? text.replace('cases', 'case').replace('times', 'time') : text);
  const cases = r.cases_short === null || r.cases_short === undefined ? '' : one(r.cases_short, CASES_SHORT[lang].replace('{n}', fmt(r.cases_short, 0)));
  return one(r.occurrences, template).replace('{shortfall}', fmt(r.shortfall, 1)).replace('{cases}', cases)
    .replace('{deduction}', fmt(r.deduction, 1)).replace('{n}', fmt(r.occurrences, 0));
}

// The red and black lists (红黑榜) of the points scheme.
const POINTS_LIST: Record<string, { zh: string; en: string }> = {
  red: { zh: '红榜', en: 'red list (best)' },
  black: { zh: '黑榜', en: 'black list (worst)' },
};

export function pointsListLabel(list: unknown, lang: Lang): string {
  return list === null || list === undefined ? '' : POINTS_LIST[String(list)]?.[lang] ?? String(list);
}

export const UI = {
  dashboardTitle: { zh: '投诉处理承诺月度看板', en: 'Complaint commitments: monthly dashboard' },
  target: { zh: '目标', en: 'target' },
  vsLastMonth: { zh: '较上月', en: 'vs last month' },
  noData: { zh: '本月无数据', en: 'no data this month' },
  asOf: { zh: '数据截至', en: 'as of' },
  policy: { zh: '考核规则', en: 'policy' },
  cannotJudge: { zh: '无法判定', en: 'cannot be judged' },
  // {judged} of {due}: what the rate is made of, beside what fell due (the rest is unknown)
  judgedOf: { zh: '可判定 {judged}/{due}', en: 'judged {judged} of {due}' },
  pastHorizon: {
    zh: '注意：数据截至 {horizon}（最近一次导出），晚于此时到期且未办结的环节无法判定（不计为逾期）；本页统计时点为 {asOf}。',
    en: 'Warning: the data ends {horizon} (the latest export); clocks due after it and not done cannot be judged (not counted overdue). This page is as of {asOf}.',
  },
  uncovered: {
    zh: '注意：以下年份尚无官方节假日安排，工作日按周一至周五推算：',
    en: 'Warning: no published holiday calendar for these years; Monday to Friday was assumed:',
  },
  organisation: { zh: '全公司', en: 'Whole organisation' },
  reviewTitle: { zh: '绩效考核', en: 'Performance review' },
  backToDashboard: { zh: '返回月度看板', en: 'Back to the monthly dashboard' },
  // The compare page's title and the dashboard's link to it (pledge run --compare-policy).
  whatIf: { zh: '考核规则模拟', en: 'Policy what-if' },
  composite: { zh: '综合得分', en: 'Composite score' },
  rank: { zh: '排名', en: 'Rank' },
  orgComposite: { zh: '全公司综合得分', en: 'Organisation' },
  weights: { zh: '权重', en: 'Weights' },
  fullList: { zh: '完整清单（CSV）', en: 'Full list (CSV)' },
  rowsShown: { zh: '页面显示前 {shown} 行，共 {total} 行', en: 'showing the first {shown} of {total} rows' },
  kpi: { zh: '指标', en: 'KPI' },
  // The operator's words (issue 17): run's closing table, the workbook, the month index.
  actual: { zh: '实际', en: 'actual' },
  onTarget: { zh: '达标', en: 'on target' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  judged: { zh: '可判定', en: 'judged' },
  due: { zh: '到期', en: 'due' },
  unit: { zh: '单位', en: 'unit' },
  weight: { zh: '权重', en: 'weight' },
  sheetDepartments: { zh: '部门考核', en: 'Department scorecards' },
  sheetTeams: { zh: '班组考核', en: 'Team scorecards' },
  sheetRanking: { zh: '排名', en: 'Rankings' },
  sheetBreaches: { zh: '违约清单', en: 'Breach list' },
  // The points scheme and appeals (issue 20): the workbook's sheets and the pack's sections.
  sheetPoints: { zh: '计分', en: 'Points' },
  sheetAppeals: { zh: '申诉', en: 'Appeals' },
  pointsLine: { zh: '考核项', en: 'KPI or item' },
  lineValue: { zh: '考核线', en: 'line' },
  fullPoints: { zh: '满分', en: 'full score' },
  pointsEarned: { zh: '得分', en: 'points earned' },
  pointsLost: { zh: '失分', en: 'points lost' },
  reason: { zh: '说明', en: 'reason' },
  score: { zh: '得分', en: 'score' },
  pointsTotal: { zh: '合计（封顶后）', en: 'total (after the class maximum)' },
  classMax: { zh: '类别满分', en: 'class maximum' },
  pointsList: { zh: '红黑榜', en: 'list' },
  appealItem: { zh: '申诉事项', en: 'appealed' },
  wholeComplaint: { zh: '整单', en: 'whole complaint' },
  filedAt: { zh: '申诉时间', en: 'filed' },
  decidedAt: { zh: '审核时间', en: 'decided' },
  decision: { zh: '审核结果', en: 'decision' },
  windowEnds: { zh: '申诉截止', en: 'window ends' },
  verdict: { zh: '原判定', en: 'verdict' },
  level: { zh: '层级', en: 'level' },
  department: { zh: '所属部门', en: 'department' },
  unitsRanked: { zh: '参与排名', en: 'units ranked' },
  kpisMissed: { zh: '未达标指标', en: 'headline KPIs missed' },
  kpisUnjudged: { zh: '无法判定指标', en: 'headline KPIs not judged' },
  breaches: { zh: '违约数', en: 'breaches' },
  complaintId: { zh: '工单编号', en: 'complaint' },
  commitment: { zh: '承诺', en: 'commitment' },
  handler: { zh: '承办人', en: 'handler' },
  limit: { zh: '时限', en: 'limit' },
  dueAt: { zh: '到期时间', en: 'due at' },
  doneAt: { zh: '完成时间', en: 'done at' },
  status: { zh: '状态', en: 'status' },
  lateHours: { zh: '超时（小时）', en: 'late (hours)' },
  category: { zh: '类别', en: 'category' },
  // The dashboard's link to the month index (<out>/index.html, one folder up).
  everyMonth: { zh: '← 各月报告', en: '← Every month' },
  monthIndexTitle: { zh: '投诉处理承诺：各月报告', en: 'Complaint commitments: every month' },
  month: { zh: '月份', en: 'month' },
  monthClosed: { zh: '已关账', en: 'closed' },
  monthProvisional: { zh: '暂定', en: 'provisional' },
  pages: { zh: '页面', en: 'pages' },
  dashboard: { zh: '月度看板', en: 'dashboard' },
  reviewPages: { zh: '考核页', en: 'review pages' },
  comparePages: { zh: '规则对比', en: 'policy comparison' },
  workbook: { zh: 'Excel 工作簿', en: 'Excel workbook' },
  packs: { zh: '考核材料包', en: 'assessment packs' },
  previewPanelError: { zh: '此面板的 SQL 出错，未能计算', en: 'This panel\'s SQL failed' },
  previewViewError: { zh: '此面板读取的 {view} 未能重建', en: 'The view it reads, {view}, could not be rebuilt' },
  previewWhere: { zh: '{file}，第 {line} 行，第 {column} 列', en: '{file}, line {line}, column {column}' },
  previewDidYouMean: { zh: '是否应为：', en: 'Did you mean: ' },
  previewThere: { zh: '现有的名称', en: 'What is there' },
  previewFix: { zh: '修改文件并保存后，此面板会自动重新计算，页面其余部分不变。', en: 'Fix the file and save: this panel is recomputed by itself; the rest of the page stays.' },
  previewPageError: { zh: '看板无法生成', en: 'The dashboard cannot be built' },
  previewPageFix: { zh: '修改文件并保存后，本页会自动重新加载。', en: 'Fix the file and save: this page reloads by itself.' },
  revealed: {
    zh: '本报告含未遮蔽的个人信息（--reveal-pii），请勿转发。',
    en: 'This report shows personal data unmasked (--reveal-pii): do not forward it.',
  },
  // The foot of every printed page (src/reports/html.ts)
  pageOf: { zh: '第 {page} 页，共 {pages} 页', en: 'Page {page} of {pages}' },
  generated: { zh: '由 Pledge 生成；数字均来自 queries/ 下的 SQL。', en: 'Made by Pledge; every number comes from the SQL in queries/.' },
  // Drill-down (src/reports/story.ts): a tile's breaches, a complaint's clock story, the contents bar.
  breachesLink: { zh: '违约 {n} →', en: '{n} breaches →' },
  whatIsRed: { zh: '责任部门 →', en: 'who owns it →' },
  fewCases: { zh: '（仅 {n} 件）', en: '(only {n})' },
  fewCasesTitle: { zh: '仅 {n} 件，少于 {min} 件：样本太小，不作排名依据', en: 'only {n} cases, fewer than {min}: too few to rank by' },
  contents: { zh: '目录', en: 'Contents' },
  filterDepartment: { zh: '部门', en: 'Department' },
  filterTeam: { zh: '班组', en: 'Team' },
  filterAll: { zh: '全部', en: 'All' },
  breachesTitle: { zh: '违约清单（按承诺）', en: 'Breaches by commitment' },
  storyTitle: { zh: '投诉时限明细', en: 'Clock story' },
  backToBreaches: { zh: '返回违约清单', en: 'Back to the breach list' },
} satisfies Record<string, { zh: string; en: string }>;

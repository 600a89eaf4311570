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
  composite: { zh: '综合得分', en: 'Composite score' },
  rank: { zh: '排名', en: 'Rank' },
  orgComposite: { zh: '全公司综合得分', en: 'Organisation' },
  weights: { zh: '权重', en: 'Weights' },
  fullList: { zh: '完整清单（CSV）', en: 'Full list (CSV)' },
  rowsShown: { zh: '页面显示前 {shown} 行，共 {total} 行', en: 'showing the first {shown} of {total} rows' },
  kpi: { zh: '指标', en: 'KPI' },
  revealed: {
    zh: '本报告含未遮蔽的个人信息（--reveal-pii），请勿转发。',
    en: 'This report shows personal data unmasked (--reveal-pii): do not forward it.',
  },
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

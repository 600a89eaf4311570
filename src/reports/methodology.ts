// The methodology in plain words, written from the policy actually in force:
// every commitment, its clock, its limits, what counts as met, and what is
// left out and why. Nothing here is a fixed text about thresholds: change the
// policy and the words change with it.
import type { Policy, Selector } from '../warehouse/policy.ts';
import { parseDuration, rulesOf } from '../warehouse/policy.ts';
import { stageOf, stageWords, type Stage } from '../warehouse/stages.ts';
import { escapeHtml } from './html.ts';
import { durationWords, formatLimit, formatPercent } from './format.ts';
import { type Lang, channelLabel, groupLabel, severityLabel, strataFieldLabel } from './labels.ts';

export function selectorWords(s: Selector | undefined): string {
  if (!s) return '';
  const parts = (Object.entries(s) as [string, string[] | undefined][])
    .filter(([, v]) => v && v.length)
    .map(([k, v]) => `${k.replace('_', ' ')} ${v!.join(' or ')}`);
  return parts.join(' and ');
}

function limitWords(policy: Policy, name: string): string {
  const rules = rulesOf(policy.commitments[name]);
  return rules.map((r, i) => {
    const when = selectorWords(r.when);
    const prefix = when ? `${when}: ` : rules.length > 1 && i === rules.length - 1 ? 'otherwise: ' : '';
    return `${prefix}within ${durationWords(r.limit, 'en')}`;
  }).join('; ') + (rules.every((r) => r.when) ? '; any other complaint: not applicable' : '');
}

const pct = (v: number) => formatPercent(v, 'en', 0);
const e = escapeHtml;

/** The methodology in the page's language (the assessment pack's --lang); the same policy values in both. */
export function methodologyHtml(policy: Policy, asOf: string, lang: Lang = 'en'): string {
  if (lang === 'zh') return methodologyZh(policy, asOf);
  const cal = policy.calendar;
  const names = Object.keys(policy.commitments);
  const rows = names.map((name) => {
    const c = policy.commitments[name];
    const target = c.target ?? policy.targets.timeliness;
    return `<tr data-commitment="${e(name)}"><td><strong>${e(c.label ?? name)}</strong><br>${e(c.label_zh ?? '')} <code>${e(name)}</code></td>
<td>from ${e(stageWords(c.from, policy.stageList))} to ${e(stageWords(c.to, policy.stageList))}</td>
<td>${e(selectorWords(c.applies_to) || 'every complaint')}</td>
<td>${e(limitWords(policy, name))}</td>
<td class="num">${pct(target)}</td>
<td>${c.pausable ? 'yes (policy: pausable)' : 'no'}</td>
<td>${c.extendable ? 'yes (policy: extendable)' : 'no'}</td></tr>`;
  }).join('\n');
  const calendarWords = cal.holidays === 'CN'
    ? 'Monday to Friday, minus the Chinese statutory holidays and plus the make-up working days (调休) published by the State Council (data of the chinese-days package, version in manifest.json)'
    : 'Monday to Friday (no public-holiday calendar is applied)';
  const extras = [
    cal.extra_holidays.length ? `the organisation's own closures ${cal.extra_holidays.join(', ')}` : '',
    cal.extra_working_days.length ? `extra working days ${cal.extra_working_days.join(', ')}` : '',
    Object.keys(cal.years).length ? `years declared in the policy: ${Object.keys(cal.years).join(', ')}` : '',
  ].filter(Boolean);
  const t = policy.targets;
  const sample = policy.assessment.sample;
  return `<section class="panel" id="methodology"><h2>Methodology (评估方法)</h2>
<p>Every number in this pack is computed by the SQL files in <code>sql/</code> from the input files listed in <code>manifest.json</code>,
against the policy in <code>policy.yaml</code>, as of <strong>${e(asOf)}</strong> (${e(policy.timezone)}). Stage times recorded at or after
that instant count as not having happened yet (a month is [its first day 00:00, the next month's first day 00:00)). All times are local to ${e(policy.timezone)}.</p>
<h3>Calendar and clocks</h3>
<ul>
<li>Working days: ${e(calendarWords)}${extras.length ? `; also ${e(extras.join('; '))}` : ''}. The calendar used, day by day, is <code>calendar.csv</code>.</li>
<li>Working hours: ${e(cal.working_hours.join(', '))}. A limit in working hours counts only time inside these hours on working days.</li>
<li>A limit in working days follows the Chinese rule for periods (Civil Code art. 201): the day the clock starts does not count, and the
deadline is ${cal.working_day_deadline === 'end_of_day' ? 'the end (24:00)' : 'close of business'} of the N-th working day after it.
If the calendar has no published holidays for a year, Monday to Friday is assumed there and the page says so.</li>
<li>Limits in minutes, hours and calendar days count wall-clock time.</li>
</ul>
<h3>The commitments measured</h3>
<p>Each commitment is a clock from one stage of a complaint to another. Where several limits are listed, the first that matches the complaint applies.</p>
<div class="table-wrap"><table><thead><tr><th>Commitment</th><th>Clock</th><th>Applies to</th><th>Limit</th><th class="num">Target</th><th>Pausable</th><th>Extendable</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
${clockEventsHtml(policy)}
<h3>What counts as met</h3>
<ul>
<li><strong>met</strong>: the end stage was recorded at or before the due instant.</li>
<li><strong>breached</strong>: the end stage was recorded after the due instant.</li>
<li><strong>overdue</strong>: the end stage was not recorded by the as-of instant and the due instant had passed; a breach already.</li>
<li><strong>pending</strong>: not done and not yet due, or the clock has not started (its start stage is not recorded yet), or it is paused.</li>
<li><strong>not applicable</strong>: the commitment does not cover the complaint (its "applies to", or no limit matches).</li>
<li><strong>unknown</strong>: the data cannot be judged (no receipt time, a stage recorded before the one it follows, an end recorded without its start,
or a deadline beyond the loaded calendar); never counted as a pass, and listed with its reason in <code>evidence/commitment_status.csv</code>.</li>
</ul>
<h3>How the KPIs are computed</h3>
<ul>
<li>A commitment counts in the month its due instant falls in (local time); the quarter is its three months added together (numerators and denominators summed),
so each quarterly figure is the month-weighted combination of the monthly ones.</li>
<li><strong>What cannot be judged</strong> is counted, never a pass: a clock is unknown when its stage times contradict each other, when no import
records its start or end stage at all, or when it fell due after the data ends (the latest export time) without being done. Every rate is shown with
its judged share, judged ÷ (judged + unknown); below ${pct(t.min_judged_share)} (targets.min_judged_share) the KPI is marked "cannot be judged":
neither met nor missed, and left out of composite scores.</li>
<li><strong>Timeliness</strong> of a commitment = met ÷ (met + breached + overdue). Pending, not applicable and unknown are left out of the rate.
Target ${pct(t.timeliness)} unless the commitment has its own (table above). "All commitments" adds every commitment's counts.</li>
<li><strong>Resolution rate</strong> (resolution clocks that cannot be judged left out of both parts) = complaints resolved by the as-of instant and not reopened within ${e(policy.reopenings.window)} of that resolution (实际解决率) ÷ complaints whose <code>${e(policy.resolution.commitment)}</code> commitment fell due in the period${policy.resolution.exclude_invalid ? '; complaints judged unreasonable (不合理投诉, is_valid false) are answered but left out of this rate' : '; complaints judged unreasonable are included'}. Target at least ${pct(t.resolution_rate)}.</li>
<li><strong>Reopen rate</strong> = resolved complaints reopened at least once ÷ resolved complaints. Target at most ${pct(t.reopen_rate_max)}.</li>
<li><strong>Satisfaction</strong>: the complaints whose result was reported back in the month; surveyed = a follow-up recorded by the as-of instant with a score.
Scores are on a 0–${e(policy.satisfaction.scale_max)} scale (shown on 0–100); satisfied = a score of at least ${e(policy.satisfaction.satisfied_at)}.
Satisfaction rate = satisfied ÷ surveyed (target ${pct(t.satisfaction_rate)}); mean score target ${e(t.satisfaction_mean)} of ${e(policy.satisfaction.scale_max)}
(${e(Math.round(t.satisfaction_mean * 1000 / policy.satisfaction.scale_max) / 10)} points on 0–100);
survey coverage (回访率) = surveyed ÷ reported back (target ${pct(t.survey_coverage)}). An unsurveyed complaint is not a satisfied one.</li>
</ul>
<h3>Spot-check sample (抽查)</h3>
<p>${e(sample.size)} complaints, stratified by ${e(sample.strata.join(' × '))}, each stratum getting its proportional share
(largest remainders, at least ${e(sample.min_per_stratum)}, never more than it holds); see the sample section for the draw rule.</p>
<h3>Personal data</h3>
<p>Customer names, phone numbers, ID numbers and e-mail addresses are not in this pack; free-text descriptions are left out because they may contain them.
The complaint ID leads to the source record.</p>
</section>`;
}

/** The flow-log rules (pauses, extensions, transfers, reopenings) as the policy sets them. */
function clockEventsHtml(policy: Policy): string {
  const pausable = Object.keys(policy.commitments).filter((n) => policy.commitments[n].pausable);
  const extendable = Object.keys(policy.commitments).filter((n) => policy.commitments[n].extendable);
  const x = policy.extensions;
  const caps = [
    x.max_count === null ? 'no limit on their number' : `at most ${x.max_count} per commitment`,
    x.max_total === null ? 'no limit on their total length' : `at most ${durationWords(parseDuration(x.max_total)!, 'en')} in total`,
  ].join(' and ');
  const list = (names: string[]) => (names.length ? names.map((n) => `<code>${e(n)}</code>`).join(', ') : 'none');
  return `<h3>Clocks that stop and move (the flow log, 工单流转记录)</h3>
<ul>
<li><strong>Pauses</strong> (挂起) apply to ${list(pausable)}. Each pause that starts before the due instant (as already moved) moves it by the
pause's length, measured in the commitment's own clock (working time for working-hour and working-day limits, wall time otherwise), in time order;
a pause starting after the due instant changes nothing. A pause with no resume keeps the clock stopped up to the as-of instant: pending, not overdue.
Overlapping or unmatched pause events are ignored and listed as findings.</li>
<li><strong>Extensions</strong> (延期) apply to ${list(extendable)}: an approved extension moves the due instant by its duration, counted from the
due instant on the same calendar, with ${e(caps)}. An extension approved after the due instant had passed, or beyond the caps, is ignored
for the status and listed as a finding.</li>
<li><strong>Ownership</strong>: a breach is charged to ${policy.ownership.breach_owner === 'first_team'
    ? 'the first handler\'s team (首问负责制)'
    : 'the team holding the complaint at the due instant, after transfers (转办) and returns (退回)'}; both that team and the first handler's team are recorded.</li>
<li><strong>Reopenings</strong> (重办): a complaint reopened within ${e(policy.reopenings.window)} of its resolution does not count as resolved;
its resolution clock ${policy.reopenings.resolution_clock === 'restart'
    ? 'restarts with a full period from the reopening'
    : 'continues: the time between the resolution and the reopening does not count'}, and it is done when resolved again.</li>
</ul>`;
}

// ---------------------------------------------------------------- 中文
// The same methodology for a Chinese pack (pledge assess --lang zh), from the same policy values.

const SELECTOR_ZH: Record<string, string> = { severity: '级别', channel: '渠道', channel_kind: '渠道类型', segment: '客户群' };

function selectorWordsZh(s: Selector | undefined): string {
  if (!s) return '';
  const value = (k: string, v: string) => (k === 'severity' ? severityLabel(v, 'zh') : k === 'channel' ? channelLabel(v, 'zh') : groupLabel(v, 'zh'));
  return (Object.entries(s) as [string, string[] | undefined][])
    .filter(([, v]) => v && v.length)
    .map(([k, v]) => `${SELECTOR_ZH[k] ?? k}为${v!.map((x) => value(k, x)).join('或')}`).join('且');
}

function limitWordsZh(policy: Policy, name: string): string {
  const rules = rulesOf(policy.commitments[name]);
  return rules.map((r, i) => {
    const when = selectorWordsZh(r.when);
    const prefix = when ? `${when}：` : rules.length > 1 && i === rules.length - 1 ? '其他：' : '';
    return `${prefix}${durationWords(r.limit, 'zh')}内`;
  }).join('；') + (rules.every((r) => r.when) ? '；其他投诉：不适用' : '');
}

const stageZh = (column: string, stages: readonly Stage[]) => {
  const s = stageOf(column, stages);
  return s ? `${s.labelZh}（${s.column}）` : column;
};

function methodologyZh(policy: Policy, asOf: string): string {
  const cal = policy.calendar;
  const pctZh = (v: number) => formatPercent(v, 'zh', 0);
  const rows = Object.keys(policy.commitments).map((name) => {
    const c = policy.commitments[name];
    const target = c.target ?? policy.targets.timeliness;
    return `<tr data-commitment="${e(name)}"><td><strong>${e(c.label_zh ?? c.label ?? name)}</strong> <code>${e(name)}</code></td>
<td>自${e(stageZh(c.from, policy.stageList))}至${e(stageZh(c.to, policy.stageList))}</td>
<td>${e(selectorWordsZh(c.applies_to) || '全部投诉')}</td>
<td>${e(limitWordsZh(policy, name))}</td>
<td class="num">${pctZh(target)}</td>
<td>${c.pausable ? '是（规则：可挂起）' : '否'}</td>
<td>${c.extendable ? '是（规则：可延期）' : '否'}</td></tr>`;
  }).join('\n');
  const calendarWords = cal.holidays === 'CN'
    ? '周一至周五，扣除国务院公布的法定节假日，加上调休上班日（chinese-days 数据包，版本见 manifest.json）'
    : '周一至周五（不适用公共节假日日历）';
  const extras = [
    cal.extra_holidays.length ? `本单位自定休息日 ${cal.extra_holidays.join('、')}` : '',
    cal.extra_working_days.length ? `额外工作日 ${cal.extra_working_days.join('、')}` : '',
    Object.keys(cal.years).length ? `考核规则中声明的年份：${Object.keys(cal.years).join('、')}` : '',
  ].filter(Boolean);
  const t = policy.targets;
  const sample = policy.assessment.sample;
  const x = policy.extensions;
  const list = (names: string[]) => (names.length ? names.map((n) => `<code>${e(n)}</code>`).join('、') : '无');
  const pausable = Object.keys(policy.commitments).filter((n) => policy.commitments[n].pausable);
  const extendable = Object.keys(policy.commitments).filter((n) => policy.commitments[n].extendable);
  const caps = [
    x.max_count === null ? '次数不限' : `每项承诺最多 ${x.max_count} 次`,
    x.max_total === null ? '总时长不限' : `合计最多${durationWords(parseDuration(x.max_total)!, 'zh')}`,
  ].join('，');
  return `<section class="panel" id="methodology"><h2>评估方法</h2>
<p>本包中的每个数字都由 <code>sql/</code> 中的 SQL 文件，依据 <code>policy.yaml</code> 中的考核规则，从 <code>manifest.json</code> 所列的输入文件计算得出，
统计时点为 <strong>${e(asOf)}</strong>（${e(policy.timezone)}）。在该时点及之后记录的环节时间视为尚未发生（一个月为 [当月1日 00:00, 次月1日 00:00)）。所有时间均为 ${e(policy.timezone)} 当地时间。</p>
<h3>日历与时钟</h3>
<ul>
<li>工作日：${e(calendarWords)}${extras.length ? `；另有${e(extras.join('；'))}` : ''}。逐日使用的日历见 <code>calendar.csv</code>。</li>
<li>工作时间：${e(cal.working_hours.join('、'))}。以工作小时计的时限只计算工作日内这些时段。</li>
<li>以工作日计的时限按《民法典》第二百零一条计算期间：起算当日不计入，期限为其后第 N 个工作日的${cal.working_day_deadline === 'end_of_day' ? '24:00' : '下班时间'}。
某年日历尚无官方节假日安排时，按周一至周五推算，页面会注明。</li>
<li>以分钟、小时、自然日计的时限按实际时间计算。</li>
</ul>
<h3>考核的承诺</h3>
<p>每项承诺是从投诉的一个环节到另一个环节的时钟。列有多条时限时，适用第一条与该投诉相符的。</p>
<div class="table-wrap"><table><thead><tr><th>承诺</th><th>时钟</th><th>适用范围</th><th>时限</th><th class="num">目标</th><th>可挂起</th><th>可延期</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<h3>会停止和移动的时钟（工单流转记录）</h3>
<ul>
<li><strong>挂起</strong>适用于 ${list(pausable)}。在到期时刻（已移动后的）之前开始的每次挂起，按其时长顺延到期时刻，时长按该承诺自身的时钟计量
（工作小时、工作日时限按工作时间，其余按实际时间），按时间顺序处理；到期后才开始的挂起不改变任何结果。没有恢复记录的挂起使时钟停止至统计时点：未到期，而非逾期。
重叠或不成对的挂起事件被忽略，并列为发现。</li>
<li><strong>延期</strong>适用于 ${list(extendable)}：获批的延期按其时长、在同一日历上从到期时刻起顺延，${e(caps)}。到期后才批准或超出上限的延期，不影响状态，并列为发现。</li>
<li><strong>责任归属</strong>：违约计入${policy.ownership.breach_owner === 'first_team' ? '首问处理人所在班组（首问负责制）' : '到期时刻持有该投诉的班组（经转办、退回后）'}；该班组与首问处理人所在班组均有记录。</li>
<li><strong>重办</strong>：办结后${e(formatLimit(policy.reopenings.window, 'zh'))}内重办的投诉不算已解决；其办结时钟${policy.reopenings.resolution_clock === 'restart' ? '自重办起重新计算完整时限' : '继续计算：办结至重办之间的时间不计入'}，再次办结时完成。</li>
</ul>
<h3>达标的判定</h3>
<ul>
<li><strong>按时</strong>：结束环节在到期时刻或之前记录。</li>
<li><strong>超时完成</strong>：结束环节在到期时刻之后记录。</li>
<li><strong>逾期未办</strong>：截至统计时点结束环节未记录且已过到期时刻；已属违约。</li>
<li><strong>未到期</strong>：未完成且未到期，或时钟尚未开始（起始环节未记录），或处于挂起中。</li>
<li><strong>不适用</strong>：该承诺不覆盖此投诉（适用范围不符，或没有相符的时限）。</li>
<li><strong>数据存疑</strong>：数据无法判定（无受理时间、环节早于其前一环节、有结束无开始、或到期时刻超出已载入的日历）；绝不算作达标，原因列于 <code>evidence/commitment_status.csv</code>。</li>
</ul>
<h3>指标的计算</h3>
<ul>
<li>承诺计入其到期时刻（当地时间）所在的月份；季度为三个月相加（分子、分母分别求和），因此季度数是各月数的加权组合。</li>
<li><strong>无法判定的</strong>计数但绝不算通过：环节时间相互矛盾、没有任何导入记录其起止环节、或在数据截止（最近一次导出时间）后到期且未完成的时钟为“数据存疑”。
每个比率均显示可判定占比 = 可判定 ÷（可判定 + 存疑）；低于 ${pctZh(t.min_judged_share)} 时该指标标为“无法判定”：既不算达标也不算未达标，并不计入综合得分。</li>
<li><strong>及时率</strong> = 按时 ÷（按时 + 超时完成 + 逾期未办）。未到期、不适用、数据存疑不计入。目标 ${pctZh(t.timeliness)}，承诺另有目标的除外（见上表）。“承诺及时率”合计所有承诺。</li>
<li><strong>解决率</strong>（无法判定的办结时钟不计入分子分母）= 截至统计时点已办结且办结后${e(formatLimit(policy.reopenings.window, 'zh'))}内未重办的投诉（实际解决率）÷ 期内 <code>${e(policy.resolution.commitment)}</code> 承诺到期的投诉${policy.resolution.exclude_invalid ? '；不合理投诉（is_valid 为 false）予以答复但不计入本比率' : '；不合理投诉计入'}。目标不低于 ${pctZh(t.resolution_rate)}。</li>
<li><strong>重办率</strong> = 至少重办一次的已办结投诉 ÷ 已办结投诉。目标不高于 ${pctZh(t.reopen_rate_max)}。</li>
<li><strong>满意度</strong>：当月已反馈结果的投诉；已回访 = 截至统计时点记录了回访且有评分。评分为 0–${e(policy.satisfaction.scale_max)} 分制（页面按 0–100 显示）；满意 = 评分不低于 ${e(policy.satisfaction.satisfied_at)}。
满意率 = 满意 ÷ 已回访（目标 ${pctZh(t.satisfaction_rate)}）；满意度均分目标 ${e(t.satisfaction_mean)} / ${e(policy.satisfaction.scale_max)}
（0–100 分制下 ${e(Math.round(t.satisfaction_mean * 1000 / policy.satisfaction.scale_max) / 10)} 分）；
回访率 = 已回访 ÷ 已反馈（目标 ${pctZh(t.survey_coverage)}）。未回访的投诉不算满意。</li>
</ul>
<h3>抽查样本</h3>
<p>${e(sample.size)} 件投诉，按${e(sample.strata.map((f) => strataFieldLabel(f, 'zh')).join(' × '))}分层，每层按比例分配（最大余数法，每层至少 ${e(sample.min_per_stratum)} 件，且不超过该层件数）；抽取规则见抽查样本一节。</p>
<h3>个人信息</h3>
<p>本包不含客户姓名、电话、证件号码和电子邮箱；投诉描述等自由文本可能含个人信息，因此不收录。凭投诉编号可查到原始记录。</p>
</section>`;
}

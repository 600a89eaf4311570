// The methodology in plain words, written from the policy actually in force:
// every commitment, its clock, its limits, what counts as met, and what is
// left out and why. Nothing here is a fixed text about thresholds: change the
// policy and the words change with it.
import type { Policy, Selector } from '../warehouse/policy.ts';
import { parseDuration, rulesOf } from '../warehouse/policy.ts';
import { stageWords } from '../warehouse/stages.ts';
import { escapeHtml } from './html.ts';
import { durationWords, formatPercent } from './format.ts';

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

export function methodologyHtml(policy: Policy, asOf: string): string {
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

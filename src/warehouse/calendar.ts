// The working-day calendar as data: one row per day, built from the Chinese
// statutory calendar (holidays and make-up working days, published by the State
// Council each autumn and shipped offline by the `chinese-days` package), the
// iCalendar files the policy lists (calendar.ics) and the policy's own
// additions. SQL does all clock arithmetic on the table this returns; nothing
// here computes a deadline.
//
// Precedence, later wins: the weekday rule; holidays: CN; the .ics files (a
// working-day event beats a holiday event on the same day); the policy's own
// years: and extra_holidays; the policy's own working days (years: and
// extra_working_days). The policy file's own words beat any imported file.
import { createRequire } from 'node:module';
import { type Policy, spanMinutes } from './policy.ts';
import { eventDays } from './ics.ts';

const require = createRequire(import.meta.url);
const cn = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface CalendarDay {
  day: string;            // YYYY-MM-DD, local
  is_working: boolean;
  kind: DayKind;
  name: string | null;    // holiday name, where there is one
  covered: boolean;       // false: the year is not in any published calendar, weekdays were assumed
  source: string;         // where the verdict came from
}

/** Years for which the Chinese calendar ships holidays (2004 … 2026 in chinese-days 1.5.7). */
export function builtInYears(): Set<number> {
  return new Set(Object.keys(cn.holidays).map((d) => Number(d.slice(0, 4))));
}

/**
 * Years whose holidays are known: the built-in ones, those declared under
 * calendar.years, and those an .ics file has a dated (not recurring) event in.
 * A yearly rule ("1 January every year") says nothing about which year's
 * statutory arrangement has been published, so it covers no year by itself.
 */
export function coveredYears(policy: Policy): Set<number> {
  const years = policy.calendar.holidays === 'CN' ? builtInYears() : new Set<number>();
  for (const y of Object.keys(policy.calendar.years)) years.add(Number(y));
  for (const ev of policy.calendarEvents) {
    if (ev.rule) continue;
    for (const d of eventDays(ev, ev.start, '9999-12-31')) years.add(Number(d.slice(0, 4)));
  }
  return years;
}

/** The .ics verdicts over [from, to]: day → holiday or working day, with the event's name and file. */
function icsDays(policy: Policy, from: string, to: string): Map<string, { working: boolean; name: string | null; file: string }> {
  const out = new Map<string, { working: boolean; name: string | null; file: string }>();
  // Holidays first, then working days over them: a make-up working day inside a listed break stays a working day.
  for (const working of [false, true]) {
    for (const ev of policy.calendarEvents) {
      if (ev.working !== working) continue;
      for (const d of eventDays(ev, from, to)) out.set(d, { working, name: ev.name, file: ev.file });
    }
  }
  return out;
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD). */
export function calendarDays(policy: Policy, from: string, to: string): CalendarDay[] {
  const covered = coveredYears(policy);
  const { extra_holidays, extra_working_days, years } = policy.calendar;
  const declaredHolidays = new Set([...extra_holidays, ...Object.values(years).flatMap((y) => y.holidays)]);
  const declaredWorkdays = new Set([...extra_working_days, ...Object.values(years).flatMap((y) => y.working_days)]);
  const useCN = policy.calendar.holidays === 'CN';
  const imported = icsDays(policy, from, to);

  const days: CalendarDay[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t);
    const day = date.toISOString().slice(0, 10);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const year = date.getUTCFullYear();
    // With holidays: none the organisation works Monday to Friday by choice, so every year is "covered".
    const isCovered = !useCN || covered.has(year);
    let kind: DayKind = weekend ? 'weekend' : 'workday';
    let name: string | null = null;
    let source = isCovered ? 'weekday rule' : 'weekday rule (year not in any published calendar)';
    if (useCN && cn.holidays[day]) { kind = 'holiday'; name = holidayName(cn.holidays[day]); source = 'chinese-days'; }
    if (useCN && cn.workdays[day]) { kind = 'makeup_workday'; name = holidayName(cn.workdays[day]); source = 'chinese-days'; }
    const ics = imported.get(day);
    if (ics) {
      kind = !ics.working ? 'holiday' : weekend ? 'makeup_workday' : 'workday';
      name = ics.name;
      source = `ics ${ics.file}`;
    }
    // The policy's own day keeps an earlier layer's name only when it agrees with it (a
    // holiday listed again); a 补班 turned into a closure is no longer 补班.
    if (declaredHolidays.has(day)) { if (kind !== 'holiday') name = null; kind = 'holiday'; source = 'policy'; }
    if (declaredWorkdays.has(day)) { if (kind === 'holiday') name = null; kind = weekend ? 'makeup_workday' : 'workday'; source = 'policy'; }
    days.push({ day, is_working: kind === 'workday' || kind === 'makeup_workday', kind, name, covered: isCovered, source });
  }
  return days;
}

/** "National Day,国庆节,3" → "国庆节 National Day". */
function holidayName(raw: string): string {
  const [en, zh] = raw.split(',');
  return zh ? `${zh} ${en}` : en;
}

/** Working-hour intervals as minutes after local midnight: "09:00-12:00" → [540, 720]. */
export function workingIntervals(policy: Policy): [number, number][] {
  // Checked when the policy was read: within the day, not empty, not overlapping.
  return policy.calendar.working_hours.map(spanMinutes).sort((x, y) => x[0] - y[0]);
}

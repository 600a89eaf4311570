// iCalendar (.ics, RFC 5545) holiday files: the format calendar tools export
// and Jira Service Management's calendars import. Only what a holiday calendar
// needs is read: each VEVENT's dates, its name, whether it is a make-up working
// day, and simple yearly repetition. Anything else that would change which days
// an event covers (RDATE, monthly rules, BYDAY lists…) is refused with the file,
// the line and the field, rather than read wrongly.
import { PledgeError } from '../core/errors.ts';

/** One VEVENT of a holiday file. */
export interface IcsEvent {
  file: string;            // as the policy names it
  line: number;            // where BEGIN:VEVENT is
  name: string | null;     // SUMMARY
  working: boolean;        // a make-up working day (补班/上班, CATEGORIES:WORKDAY), not a day off
  start: string;           // YYYY-MM-DD, local to the policy's timezone
  days: number;            // how many consecutive days the event covers (DTEND is exclusive)
  rule: YearlyRule | null; // RRULE:FREQ=YEARLY…
  except: Set<string>;     // EXDATE days
}

export interface YearlyRule {
  interval: number;
  count: number | null;
  until: string | null;    // YYYY-MM-DD, inclusive
  month: number | null;    // BYMONTH
  monthDay: number | null; // BYMONTHDAY (1..31, or -1 for the last)
  weekday: { nth: number; day: number } | null; // BYDAY=4TH (nth 4, day 4), -1MO …
}

interface Property { name: string; params: Record<string, string>; value: string; line: number }

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
// Words a Chinese holiday calendar uses for a make-up working day (调休上班): "国庆节补班", "春节 上班".
const WORKING_WORDS = ['补班', '上班'];
// Categories that mark one: WORKDAY, or the Chinese calendars' 上班 / 补班 / 班 (the "班" badge beside "休").
const WORKING_CATEGORIES = ['WORKDAY', '上班', '补班', '班'];

/** Parses a holiday file. `timezone` is the policy's: a date-time is taken as the date it falls on there. */
export function parseIcs(text: string, file: string, timezone: string): IcsEvent[] {
  const fail = (line: number, field: string, why: string): never => {
    throw new PledgeError(`${file}: line ${line}: ${field}: ${why}`);
  };
  const lines = unfold(text.replace(/^\uFEFF/, ''));
  const stack: string[] = [];
  const events: IcsEvent[] = [];
  let props: Property[] = [];
  let eventLine = 0;
  for (const { text: raw, line } of lines) {
    if (raw.trim() === '') continue;
    const prop = parseProperty(raw, line, fail);
    if (prop.name === 'BEGIN') {
      stack.push(prop.value.toUpperCase());
      if (prop.value.toUpperCase() === 'VEVENT') { props = []; eventLine = line; }
      continue;
    }
    if (prop.name === 'END') {
      const open = stack.pop();
      if (open !== prop.value.toUpperCase()) fail(line, 'END', `"END:${prop.value}" closes ${open ? `BEGIN:${open}` : 'nothing'}`);
      if (open === 'VEVENT') {
        const ev = toEvent(props, file, eventLine, timezone, fail);
        if (ev) events.push(ev);
      }
      continue;
    }
    // Properties of a VALARM or VTIMEZONE inside the event are not the event's.
    if (stack[stack.length - 1] === 'VEVENT') props.push(prop);
  }
  if (stack.length) fail(lines.length ? lines[lines.length - 1].line : 1, 'END', `BEGIN:${stack[stack.length - 1]} is never closed`);
  if (!events.length) throw new PledgeError(`${file}: no VEVENT with a DTSTART: not a holiday calendar (BEGIN:VCALENDAR … BEGIN:VEVENT … DTSTART;VALUE=DATE:20270101 …)`);
  return events;
}

/** RFC 5545 3.1: a line starting with a space or a tab continues the one before (CRLF or LF). */
function unfold(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if ((l.startsWith(' ') || l.startsWith('\t')) && out.length) out[out.length - 1].text += l.slice(1);
    else out.push({ text: l, line: i + 1 });
  });
  return out;
}

type Fail = (line: number, field: string, why: string) => never;

/** NAME;PARAM=value;PARAM="quoted:value":VALUE — the first colon outside quotes ends the parameters. */
function parseProperty(raw: string, line: number, fail: Fail): Property {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '"') quoted = !quoted;
    else if (raw[i] === ':' && !quoted) { colon = i; break; }
  }
  if (colon < 0) fail(line, raw.slice(0, 30), 'not a "NAME:value" line');
  const [name, ...paramTexts] = raw.slice(0, colon).split(';');
  const params: Record<string, string> = {};
  for (const p of paramTexts) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.trim().toUpperCase(), params, value: raw.slice(colon + 1), line };
}

/** RFC 5545 3.3.11 TEXT: \n, \, \; \\ escapes. */
function unescapeText(v: string): string {
  return v.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function splitList(v: string): string[] {
  return v.split(/(?<!\\),/).map((s) => unescapeText(s).trim()).filter(Boolean);
}

function toEvent(props: Property[], file: string, line: number, timezone: string, fail: Fail): IcsEvent | null {
  const one = (name: string) => {
    const all = props.filter((p) => p.name === name);
    if (all.length > 1) fail(all[1].line, name, `given twice in the event that starts on line ${line}`);
    return all[0];
  };
  for (const p of props) {
    if (p.name === 'RDATE') fail(p.line, 'RDATE', 'extra dates of a recurring event are not read: give each date its own VEVENT');
  }
  const status = one('STATUS');
  if (status && status.value.trim().toUpperCase() === 'CANCELLED') return null;
  const dtstart = one('DTSTART');
  if (!dtstart) fail(line, 'DTSTART', 'the event has no DTSTART');
  const start = localDate(dtstart!, timezone, fail);
  const dtend = one('DTEND');
  const duration = one('DURATION');
  let days = 1;
  if (dtend) {
    // DTEND is exclusive: an all-day event 20271001..20271008 covers 10-01 to 10-07. A date-time
    // end covers the day its last second falls on.
    const endValue = isDateTime(dtend) ? localDate(dtend, timezone, fail, -1) : localDate(dtend, timezone, fail);
    days = dayNumber(endValue) - dayNumber(start) + (isDateTime(dtend) ? 1 : 0);
    if (days < 1) fail(dtend.line, 'DTEND', `${dtend.value.trim()} is not after DTSTART ${dtstart!.value.trim()}`);
  } else if (duration) {
    const m = /^P(\d+)([DW])$/.exec(duration.value.trim());
    if (!m) fail(duration.line, 'DURATION', `"${duration.value.trim()}" is not a whole number of days or weeks (like P1D, P3D, P1W)`);
    days = Number(m![1]) * (m![2] === 'W' ? 7 : 1);
    if (days < 1) fail(duration.line, 'DURATION', 'an event covers at least one day');
  }
  const summary = one('SUMMARY');
  const name = summary ? unescapeText(summary.value).trim() || null : null;
  const categories = props.filter((p) => p.name === 'CATEGORIES').flatMap((p) => splitList(p.value).map((c) => c.toUpperCase()));
  const working = categories.some((c) => WORKING_CATEGORIES.includes(c)) || WORKING_WORDS.some((w) => name?.includes(w));
  const rrule = one('RRULE');
  const except = new Set(props.filter((p) => p.name === 'EXDATE').flatMap((p) =>
    p.value.split(',').map((v) => localDate({ ...p, value: v }, timezone, fail))));
  return {
    file, line, name, working, start, days,
    rule: rrule ? parseRule(rrule, timezone, fail) : null, except,
  };
}

function isDateTime(p: Property): boolean {
  return p.params.VALUE?.toUpperCase() !== 'DATE' && p.value.trim().includes('T');
}

/**
 * The local date of a DATE or DATE-TIME value. A date is taken as written. A
 * date-time is an instant (UTC with Z, or wall time in its TZID) and counts on
 * the date it falls on in the policy's timezone; a floating date-time (neither)
 * is wall time there already. `shiftSeconds` moves the instant first (an
 * exclusive end's last second).
 */
function localDate(p: Property, timezone: string, fail: Fail, shiftSeconds = 0): string {
  const v = p.value.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (date) {
    if (p.params.VALUE && p.params.VALUE.toUpperCase() !== 'DATE') fail(p.line, p.name, `"${v}" is a date but VALUE=${p.params.VALUE}`);
    return checkedDate(date[1], date[2], date[3], p, fail);
  }
  const dt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(v);
  if (!dt) fail(p.line, p.name, `"${v}" is not a date (20270101) or a date-time (20270101T000000Z)`);
  const [, y, mo, d, h, mi, s, z] = dt!;
  checkedDate(y, mo, d, p, fail);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const zone = z ? 'UTC' : p.params.TZID ?? timezone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    fail(p.line, `${p.name};TZID`, `"${zone}" is not a time zone this machine knows (try an IANA name like "America/New_York")`);
  }
  const instant = wall - offsetMs(zone, wall) + shiftSeconds * 1000;
  return new Date(instant + offsetMs(timezone, instant)).toISOString().slice(0, 10);
}

function checkedDate(y: string, mo: string, d: string, p: Property, fail: Fail): string {
  const text = `${y}-${mo}-${d}`;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  // Date.UTC rolls 20270230 over into March: a date that does not come back unchanged is not one.
  if (Number(y) < 1900 || new Date(t).toISOString().slice(0, 10) !== text) {
    fail(p.line, p.name, `"${p.value.trim()}" is not a calendar date`);
  }
  return text;
}

/** The zone's offset from UTC at (about) this instant, in ms; wall times near a DST change may be an hour off, which moves no holiday date. */
function offsetMs(zone: string, t: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(t / 1000) * 1000;
}

/** RRULE:FREQ=YEARLY with at most one BYMONTH, BYMONTHDAY or BYDAY (with its ordinal): what holiday files use. */
function parseRule(p: Property, timezone: string, fail: Fail): YearlyRule {
  const parts = Object.fromEntries(p.value.trim().split(';').filter(Boolean).map((kv) => {
    const eq = kv.indexOf('=');
    return [kv.slice(0, eq).toUpperCase(), kv.slice(eq + 1).toUpperCase()];
  }));
  if (parts.FREQ !== 'YEARLY') fail(p.line, 'RRULE', `FREQ=${parts.FREQ ?? '(none)'}: only yearly rules (FREQ=YEARLY) are read; list the other days as events of their own`);
  const rule: YearlyRule = { interval: 1, count: null, until: null, month: null, monthDay: null, weekday: null };
  const int = (key: string, min: number, max: number) => {
    const n = Number(parts[key]);
    if (!/^-?\d+$/.test(parts[key]) || n < min || n > max || n === 0) fail(p.line, 'RRULE', `${key}=${parts[key]} is not one number from ${min} to ${max} (lists are not read)`);
    return n;
  };
  for (const key of Object.keys(parts)) {
    if (key === 'FREQ' || key === 'WKST') continue;
    else if (key === 'INTERVAL') rule.interval = int(key, 1, 1000);
    else if (key === 'COUNT') rule.count = int(key, 1, 10000);
    else if (key === 'UNTIL') rule.until = localDate({ ...p, name: 'RRULE UNTIL', params: {}, value: parts.UNTIL }, timezone, fail);
    else if (key === 'BYMONTH') rule.month = int(key, 1, 12);
    else if (key === 'BYMONTHDAY') rule.monthDay = int(key, -1, 31);
    else if (key === 'BYDAY') {
      const m = /^([+-]?[1-5])?(SU|MO|TU|WE|TH|FR|SA)$/.exec(parts.BYDAY);
      if (!m || !m[1]) fail(p.line, 'RRULE', `BYDAY=${parts.BYDAY}: only one weekday with its place in the month is read (like BYDAY=4TH;BYMONTH=11 or BYDAY=-1MO;BYMONTH=5)`);
      rule.weekday = { nth: Number(m![1]), day: WEEKDAYS.indexOf(m![2]) };
    } else fail(p.line, 'RRULE', `${key}=${parts[key]} is not read (a yearly rule may have INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY, one BYDAY)`);
  }
  if (rule.weekday && rule.monthDay !== null) fail(p.line, 'RRULE', 'BYDAY together with BYMONTHDAY is not read');
  return rule;
}

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
const dayText = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The days an event covers within [from, to] (YYYY-MM-DD, inclusive). */
export function eventDays(ev: IcsEvent, from: string, to: string): string[] {
  const starts = ev.rule ? ruleStarts(ev, Number(to.slice(0, 4))) : [ev.start];
  const lo = dayNumber(from);
  const hi = dayNumber(to);
  const out: string[] = [];
  for (const s of starts) {
    if (ev.except.has(s)) continue;
    const first = dayNumber(s);
    for (let n = Math.max(first, lo); n <= Math.min(first + ev.days - 1, hi); n++) out.push(dayText(n));
  }
  return out;
}

/** Start days of a yearly rule from DTSTART's year up to `lastYear`, COUNT and UNTIL applied. */
function ruleStarts(ev: IcsEvent, lastYear: number): string[] {
  const rule = ev.rule!;
  const firstYear = Number(ev.start.slice(0, 4));
  const month = rule.month ?? Number(ev.start.slice(5, 7));
  const out: string[] = [];
  for (let y = firstYear; y <= lastYear; y += rule.interval) {
    const day = yearlyDay(rule, y, month, Number(ev.start.slice(8, 10)));
    if (day === null || day < ev.start) continue;     // 29 February in a common year: no instance (RFC 5545)
    if (rule.until && day > rule.until) break;
    out.push(day);
    if (rule.count !== null && out.length >= rule.count) break;
  }
  return out;
}

function yearlyDay(rule: YearlyRule, year: number, month: number, startDay: number): string | null {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let d: number;
  if (rule.weekday) {
    const { nth, day } = rule.weekday;
    if (nth > 0) {
      const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
      d = 1 + ((day - firstWeekday + 7) % 7) + (nth - 1) * 7;
    } else {
      const lastWeekday = new Date(Date.UTC(year, month - 1, daysInMonth)).getUTCDay();
      d = daysInMonth - ((lastWeekday - day + 7) % 7) + (nth + 1) * 7;
    }
  } else {
    d = rule.monthDay === -1 ? daysInMonth : rule.monthDay ?? startDay;
  }
  if (d < 1 || d > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

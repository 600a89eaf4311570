// Numbers and instants for people, in the page's locale.
import type { Lang } from './labels.ts';
import { type Duration, parseDuration } from '../warehouse/policy.ts';
import { kpiUnit } from '../warehouse/kpi-catalogue.ts';

const locales: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

export function formatPercent(v: unknown, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return new Intl.NumberFormat(locales[lang], { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(v));
}

export function formatNumber(v: unknown, lang: Lang, digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return new Intl.NumberFormat(locales[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(v));
}

/** A KPI's value in its unit (src/warehouse/kpi-catalogue.ts): a share as a percentage, points with one decimal. */
export function formatKpiValue(kpi: string, v: unknown, lang: Lang): string {
  return kpiUnit(kpi) === 'points' ? formatNumber(v, lang, 1) : formatPercent(v, lang);
}

/** Change in percentage points (rates) or points (scores), signed. */
export function formatDelta(actual: unknown, previous: unknown, rate: boolean, lang: Lang): string {
  if (actual === null || previous === null || actual === undefined || previous === undefined) return '–';
  const d = Number(actual) - Number(previous);
  // The sign follows the amount as shown (one decimal): never "−0.0".
  const amount = Math.round((rate ? d * 100 : d) * 10) / 10;
  const unit = rate ? POINT_WORDS.pp[lang] : POINT_WORDS.points[lang];
  const sign = amount > 0 ? '+' : amount < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(amount), lang, 1)}${unit}`;
}

const POINT_WORDS = { pp: { zh: '个百分点', en: ' pp' }, points: { zh: '分', en: ' pts' } } as const;

/** A difference of shares as a size, unsigned (a policy's threshold): 0.05 → "5.0个百分点" / "5.0 pp". */
export function formatPercentagePoints(v: unknown, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return `${formatNumber(Math.abs(Number(v)) * 100, lang, 1)}${POINT_WORDS.pp[lang]}`;
}

/** Instants arrive as local "YYYY-MM-DD HH:MM:SS" in the policy's zone; people need minutes. */
export function formatInstant(v: unknown): string {
  if (v === null || v === undefined) return '–';
  return String(v).slice(0, 16);
}

const UNIT_WORDS: Record<Duration['unit'], { zh: string; en: [string, string] }> = {
  m: { zh: '分钟', en: ['minute', 'minutes'] },
  h: { zh: '小时', en: ['hour', 'hours'] },
  d: { zh: '天', en: ['calendar day', 'calendar days'] },
  wh: { zh: '个工作小时', en: ['working hour', 'working hours'] },
  wd: { zh: '个工作日', en: ['working day', 'working days'] },
};

/** A policy duration in words: "3个工作日", "3 working days". */
export function durationWords(d: Duration, lang: Lang): string {
  const words = UNIT_WORDS[d.unit];
  return lang === 'zh' ? `${d.amount}${words.zh}` : `${d.amount} ${words.en[d.amount === 1 ? 0 : 1]}`;
}

const INTERVAL_UNITS: Record<string, Duration['unit']> = { minute: 'm', minutes: 'm', hour: 'h', hours: 'h', day: 'd', days: 'd' };

/**
 * A limit from a query row ("3wd") or an interval of the policy's parameters ("1 hour") in words;
 * anything else is shown as it is.
 */
export function formatLimit(v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return '';
  const text = String(v).trim();
  const interval = /^(\d+)\s*([a-z]+)$/.exec(text);
  const d = parseDuration(text) ?? (interval && INTERVAL_UNITS[interval[2]]
    ? { amount: Number(interval[1]), unit: INTERVAL_UNITS[interval[2]], text } : undefined);
  return d ? durationWords(d, lang) : text;
}

const CLOCK_WORDS = {
  workingDay: { zh: ['个工作日', '个工作日'], en: ['working day', 'working days'] },
  workingHour: { zh: ['个工作小时', '个工作小时'], en: ['working hour', 'working hours'] },
  hour: { zh: ['小时', '小时'], en: ['hour', 'hours'] },
  minute: { zh: ['分钟', '分钟'], en: ['minute', 'minutes'] },
  day: { zh: ['天', '天'], en: ['calendar day', 'calendar days'] },
} as const;

/**
 * A span in a clock's own measure (limit_unit): a working-day clock in working days of
 * `dayMinutes` and hours ("2 个工作日 3 小时", "2 working days 3 hours"), a working-hour clock in
 * working hours, a calendar-day clock in days and hours, a minute or hour clock in hours.
 * Whole minutes; parts that are zero are left out.
 */
export function formatClockDuration(minutes: unknown, limitUnit: unknown, dayMinutes: unknown, lang: Lang): string {
  if (minutes === null || minutes === undefined || Number.isNaN(Number(minutes))) return '–';
  let rest = Math.max(0, Math.round(Number(minutes)));
  const parts: [number, keyof typeof CLOCK_WORDS][] = [];
  const dayLength = limitUnit === 'wd' ? Number(dayMinutes) : limitUnit === 'd' ? 1440 : 0;
  if (dayLength > 0) {
    const days = Math.floor(rest / dayLength);
    rest -= days * dayLength;
    if (days) parts.push([days, limitUnit === 'wd' ? 'workingDay' : 'day']);
  }
  const hours = Math.floor(rest / 60);
  const mins = rest - hours * 60;
  // Hours after working days are working hours; on their own they say so.
  const hourWord = limitUnit === 'wh' || (limitUnit === 'wd' && !parts.length) ? 'workingHour' : 'hour';
  if (hours) parts.push([hours, hourWord]);
  if (mins || !parts.length) parts.push([mins, 'minute']);
  const word = (n: number, w: keyof typeof CLOCK_WORDS) => (lang === 'zh'
    ? `${n} ${CLOCK_WORDS[w].zh[0]}`
    : `${n} ${CLOCK_WORDS[w].en[n === 1 ? 0 : 1]}`);
  return parts.map(([n, w]) => word(n, w)).join(' ');
}

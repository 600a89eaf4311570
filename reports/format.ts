// Numbers and instants for people, in the page's locale.
import type { Lang } from './labels.ts';

const locales: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

export function formatPercent(v: unknown, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return new Intl.NumberFormat(locales[lang], { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(v));
}

export function formatNumber(v: unknown, lang: Lang, digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return new Intl.NumberFormat(locales[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(v));
}

/** Change in percentage points (rates) or points (scores), signed. */
export function formatDelta(actual: unknown, previous: unknown, rate: boolean, lang: Lang): string {
  if (actual === null || previous === null || actual === undefined || previous === undefined) return '–';
  const d = Number(actual) - Number(previous);
  const amount = rate ? d * 100 : d;
  const unit = rate ? (lang === 'zh' ? '个百分点' : ' pp') : (lang === 'zh' ? '分' : ' pts');
  const sign = amount > 0 ? '+' : amount < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(amount), lang, 1)}${unit}`;
}

/** Instants arrive as local "YYYY-MM-DD HH:MM:SS" in the policy's zone; people need minutes. */
export function formatInstant(v: unknown): string {
  if (v === null || v === undefined) return '–';
  return String(v).slice(0, 16);
}

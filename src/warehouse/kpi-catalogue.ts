// The KPI catalogue: every KPI's key, its name in Chinese and English, which way
// is good (direction), the unit its value is in and where it is shown (order).
// Written once, here, as data. SQL reads it as the policy_target table
// (src/warehouse/policy-tables.ts); pages read it through src/reports/labels.ts and
// src/reports/format.ts; the policy's checks take its keys (src/warehouse/policy.ts).
//
// A TypeScript data module rather than a YAML file: three layers read it
// (policy checks, the policy tables, the pages) synchronously at import, tsc
// checks every direction and unit against the two that exist, and there is no
// file path to resolve (the TypeScript files are moving into src/; data/ is
// not). It imports nothing from the project, so any layer may import it.
// What each KPI counts is SQL (queries/kpi/kpi_fact_monthly.sql); what it is
// called and how it is judged and shown is here.

/** at_least: the value must reach the target; at_most: it must not exceed it. */
export type Direction = 'at_least' | 'at_most';
/** share: a ratio 0..1, shown as a percentage (changes in percentage points); points: a score 0..100. */
export type KpiUnit = 'share' | 'points';

export interface KpiEntry {
  key: string;
  label: { zh: string; en: string };
  direction: Direction;
  unit: KpiUnit;
  /** The order people see KPIs in: tiles, scorecards, the red table, the trend. */
  order: number;
  /**
   * The policy key under targets: that holds its target. A points KPI's target is
   * given on the policy's satisfaction scale (satisfaction.scale_max) and rescaled to points.
   * A KPI whose target key has no default is measured only when the policy sets it
   * (return_rate: targets.return_rate_max), so a policy without it keeps its figures as they were.
   */
  target: string;
}

/** The headline KPIs of the organisation, in display order. */
export const KPI_CATALOGUE: readonly KpiEntry[] = [
  { key: 'timeliness', label: { zh: '承诺及时率', en: 'Timeliness (all commitments)' }, direction: 'at_least', unit: 'share', order: 1, target: 'timeliness' },
  { key: 'resolution_rate', label: { zh: '解决率', en: 'Resolution rate' }, direction: 'at_least', unit: 'share', order: 2, target: 'resolution_rate' },
  { key: 'satisfaction_rate', label: { zh: '满意率', en: 'Satisfaction rate' }, direction: 'at_least', unit: 'share', order: 3, target: 'satisfaction_rate' },
  { key: 'satisfaction_mean', label: { zh: '满意度均分', en: 'Mean satisfaction' }, direction: 'at_least', unit: 'points', order: 4, target: 'satisfaction_mean' },
  { key: 'survey_coverage', label: { zh: '回访率', en: 'Survey coverage' }, direction: 'at_least', unit: 'share', order: 5, target: 'survey_coverage' },
  { key: 'reopen_rate', label: { zh: '重办率', en: 'Reopen rate' }, direction: 'at_most', unit: 'share', order: 6, target: 'reopen_rate_max' },
  // 回退率: complaints a unit sent back (a `returned` event while it held them) / complaints assigned to it.
  { key: 'return_rate', label: { zh: '回退率', en: 'Return rate' }, direction: 'at_most', unit: 'share', order: 7, target: 'return_rate_max' },
];

/**
 * One KPI per commitment of the policy, keyed `timeliness:<commitment>`, after the
 * headline ones (order firstOrder + its place in the policy). Its label names the
 * commitment ({commitment}: the commitment's label); its target is the
 * commitment's own (commitments.<name>.target), else targets.<target>.
 */
export const COMMITMENT_KPI = {
  prefix: 'timeliness:',
  label: { zh: '{commitment}及时率', en: '{commitment}: on time' },
  direction: 'at_least',
  unit: 'share',
  firstOrder: 11,
  target: 'timeliness',
} as const satisfies Omit<KpiEntry, 'key' | 'order'> & { prefix: string; firstOrder: number };

/** The part of a policy the catalogue is resolved against (structural: nothing imported). */
export interface CataloguePolicy {
  commitments: Record<string, { label?: string; label_zh?: string; target?: number }>;
  targets: Record<string, number | undefined>;
  satisfaction: { scale_max: number };
}

/** A KPI of one policy: the catalogue entry with its labels filled in and its target in the KPI's unit. */
export interface Kpi extends KpiEntry { targetValue: number }

/** A commitment's name for people: its label (label_zh on Chinese pages), else its key. */
export function commitmentName(policy: Pick<CataloguePolicy, 'commitments'>, name: string, lang: 'zh' | 'en'): string {
  const c = policy.commitments[name];
  if (!c) return name;
  return lang === 'zh' ? (c.label_zh ?? c.label ?? name) : (c.label ?? name);
}

/** Every KPI of the policy, in display order: the headline ones, then one per commitment. */
export function policyKpis(policy: CataloguePolicy, catalogue: readonly KpiEntry[] = KPI_CATALOGUE): Kpi[] {
  // A KPI whose target the policy leaves unset (and has no default) is not measured under it.
  const headline = catalogue.filter((k) => policy.targets[k.target] !== undefined).map((k) => {
    const t = policy.targets[k.target]!;
    // Scores are 0..100 points in SQL (stg_complaints rescales by scale_max); the policy gives the
    // target on its own scale, e.g. 4 of 5 = 80 points.
    return { ...k, targetValue: k.unit === 'points' ? (t * 100) / policy.satisfaction.scale_max : t };
  });
  const perCommitment = Object.keys(policy.commitments).map((name, i) => ({
    key: `${COMMITMENT_KPI.prefix}${name}`,
    label: { zh: kpiName(policy, `${COMMITMENT_KPI.prefix}${name}`, 'zh'), en: kpiName(policy, `${COMMITMENT_KPI.prefix}${name}`, 'en') },
    direction: COMMITMENT_KPI.direction, unit: COMMITMENT_KPI.unit, order: COMMITMENT_KPI.firstOrder + i,
    target: COMMITMENT_KPI.target,
    targetValue: policy.commitments[name].target ?? policy.targets[COMMITMENT_KPI.target]!,
  }));
  return [...headline, ...perCommitment];
}

/** The catalogue entry of a KPI key (a commitment's KPI by its prefix), or undefined for a name it does not hold. */
export function kpiEntry(kpi: string, catalogue: readonly KpiEntry[] = KPI_CATALOGUE): Omit<KpiEntry, 'key' | 'label' | 'order' | 'target'> | undefined {
  if (kpi.startsWith(COMMITMENT_KPI.prefix)) return COMMITMENT_KPI;
  return catalogue.find((k) => k.key === kpi);
}

/** A KPI's name for people; a name the catalogue does not hold is shown as it is. */
export function kpiName(policy: Pick<CataloguePolicy, 'commitments'>, kpi: string, lang: 'zh' | 'en', catalogue: readonly KpiEntry[] = KPI_CATALOGUE): string {
  if (kpi.startsWith(COMMITMENT_KPI.prefix)) {
    return COMMITMENT_KPI.label[lang].replace('{commitment}', commitmentName(policy, kpi.slice(COMMITMENT_KPI.prefix.length), lang));
  }
  return catalogue.find((k) => k.key === kpi)?.label[lang] ?? kpi;
}

/** The KPI's unit; a name the catalogue does not hold is taken for a share (as every rate is). */
export function kpiUnit(kpi: string, catalogue: readonly KpiEntry[] = KPI_CATALOGUE): KpiUnit {
  return kpiEntry(kpi, catalogue)?.unit ?? 'share';
}

/** The sign a target is written with: ≥ for at least, ≤ for at most. */
export function directionSign(direction: unknown): '≥' | '≤' {
  return direction === 'at_most' ? '≤' : '≥';
}

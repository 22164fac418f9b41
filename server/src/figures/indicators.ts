/**
 * The indicators of the municipality's dashboard: what each counts, in which unit, split into
 * which parts (buckets, each family-event in exactly one), and whether it is psychosocial (then it
 * counts only families whose parents consented to figures, unless the region decided otherwise).
 * Their definitions, readable for the analyst, are in the web app's texts (figures.indicators.*).
 * Denominators are the families Kring knows, never all births. Preterm birth (before 37 weeks) is
 * the national monitor's (RIVM/Perined) definition; the first contact (with any organisation of the
 * chain, before the 10th week) and low birth weight (under 2,500 grams) are Kring's own: the monitor
 * counts the first antenatal consultation and uses Big2 (preterm and/or under the 10th percentile
 * for gestational age, Hoftiezer curves), which needs reference curves Kring does not have.
 */

import { type IsoDate, PREGNANCY_DAYS, toDays } from '../families/trajectory.ts';

export const FIGURE_PHASES = [
  'preconception',
  'trimester_1',
  'trimester_2',
  'trimester_3',
  'kraam',
  'months_0_6',
  'months_6_12',
  'months_12_24',
] as const;
export type FigurePhase = (typeof FIGURE_PHASES)[number];

export type IndicatorSource = 'stock' | 'events';
export type IndicatorUnit = 'families' | 'children' | 'moments' | 'referrals' | 'answers';

export interface Indicator {
  key: string;
  /** stock: families at the end of each month; events: what happened in a month. */
  source: IndicatorSource;
  unit: IndicatorUnit;
  buckets: readonly string[];
  psychosocial: boolean;
  /** The median and 90th percentile of the events' value (weeks, days) beside the counts. */
  stats?: 'weeks' | 'days';
  /** Extra tables by intervention and by evidence level (referrals). */
  byIntervention?: boolean;
  /** A family can be counted in several months (several referrals, JGZ moments, answers). */
  repeats?: boolean;
}

export const INDICATORS = [
  { key: 'families_by_phase', source: 'stock', unit: 'families', buckets: FIGURE_PHASES, psychosocial: false },
  {
    key: 'first_contact',
    source: 'events',
    unit: 'families',
    buckets: ['before_week_10', 'weeks_10_13', 'weeks_14_19', 'from_week_20'],
    psychosocial: false,
    stats: 'weeks',
  },
  {
    key: 'care_intensity',
    source: 'stock',
    unit: 'families',
    buckets: ['none', 'ordinary', 'specific', 'treatment'],
    psychosocial: true,
  },
  { key: 'stress_factors', source: 'stock', unit: 'families', buckets: ['0', '1', '2', '3', '4+'], psychosocial: true },
  { key: 'protective_factors', source: 'stock', unit: 'families', buckets: ['0', '1', '2', '3+'], psychosocial: true },
  {
    key: 'referrals',
    source: 'events',
    unit: 'referrals',
    buckets: ['accepted', 'declined', 'open', 'cancelled'],
    psychosocial: true,
    stats: 'days',
    byIntervention: true,
    repeats: true,
  },
  {
    key: 'handover_midwife_kraamzorg',
    source: 'events',
    unit: 'families',
    buckets: ['completed', 'not_completed'],
    psychosocial: false,
    stats: 'days',
  },
  {
    key: 'handover_kraamzorg_jgz',
    source: 'events',
    unit: 'families',
    buckets: ['completed', 'not_completed'],
    psychosocial: false,
    stats: 'days',
  },
  {
    key: 'jgz_on_time',
    source: 'events',
    unit: 'moments',
    buckets: ['on_time', 'late', 'missed'],
    psychosocial: false,
    repeats: true,
  },
  { key: 'preterm_birth', source: 'events', unit: 'children', buckets: ['yes', 'no'], psychosocial: false },
  { key: 'low_birth_weight', source: 'events', unit: 'children', buckets: ['yes', 'no'], psychosocial: false },
  { key: 'asked_for_help', source: 'events', unit: 'families', buckets: ['asked'], psychosocial: true },
  {
    key: 'chain_memory',
    source: 'events',
    unit: 'answers',
    buckets: ['confirmed', 'asked'],
    psychosocial: false,
    repeats: true,
  },
  {
    key: 'funnel',
    source: 'events',
    unit: 'families',
    buckets: ['signal_only', 'offered', 'started', 'received'],
    psychosocial: true,
  },
] as const satisfies readonly Indicator[];

export type IndicatorKey = (typeof INDICATORS)[number]['key'];

/** Cells built from fewer families than this are shown as "<10". */
export const SUPPRESSION_THRESHOLD = 10;

/** The phase of the 1001 days as the figures count it (the day of birth counts with the kraam period). */
export function figurePhase(phase: string): FigurePhase | null {
  if (phase === 'birth') return 'kraam';
  return (FIGURE_PHASES as readonly string[]).includes(phase) ? (phase as FigurePhase) : null;
}

/** Completed weeks of pregnancy on a date, counted from the first day of the last period (280 days before the due date). */
export function completedWeeks(dueDate: IsoDate, on: IsoDate): number {
  return Math.floor((toDays(on) - (toDays(dueDate) - PREGNANCY_DAYS)) / 7);
}

/** Born before 37 completed weeks (the national monitor's preterm birth; 36+6 is preterm, 37+0 is not). */
export function isPreterm(dueDate: IsoDate, birthDate: IsoDate): boolean {
  return completedWeeks(dueDate, birthDate) < 37;
}

/** The bucket of a first contact by completed weeks of pregnancy (RIVM: before the 10th week). */
export function firstContactBucket(weeks: number): string {
  if (weeks < 10) return 'before_week_10';
  if (weeks < 14) return 'weeks_10_13';
  if (weeks < 20) return 'weeks_14_19';
  return 'from_week_20';
}

export function countBucket(count: number, top: number): string {
  return count >= top ? `${top}+` : String(count);
}

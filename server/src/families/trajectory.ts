/**
 * The 1001-day trajectory of one child, as pure date arithmetic (no database).
 * Day 1 is the estimated conception, 266 days before the due date (a 280-day pregnancy counted from
 * the last menstrual period, less the 14 days before ovulation). The trajectory ends on the child's
 * second birthday — for a term birth that is about day 997–1001; the 1001 is nominal.
 */

export const PREGNANCY_DAYS = 280;
export const CONCEPTION_TO_DUE_DAYS = 266;
export const TERM_DAYS = 37 * 7;
/** Kraamtijd: the maternity care period at home after birth (about eight days). */
export const KRAAM_DAYS = 8;

export const PHASES = [
  'preconception',
  'trimester_1',
  'trimester_2',
  'trimester_3',
  'birth',
  'kraam',
  'months_0_6',
  'months_6_12',
  'months_12_24',
  'ended',
] as const;
export type Phase = (typeof PHASES)[number];

/** Dates as ISO strings (YYYY-MM-DD), counted in whole UTC days. */
export type IsoDate = string;

const DAY_MS = 86_400_000;

// A caseload or a record converts the same few thousand dates over and over (every child's
// schedule, every event on a ribbon); Date parsing and formatting dominated those pages, so both
// directions are remembered. Dates in use span a few decades: the maps stay small, and are emptied
// should they ever grow past the bound.
const MEMO_LIMIT = 100_000;
const daysOf = new Map<IsoDate, number>();
const dateOf = new Map<number, IsoDate>();

/** The remembered value, computed on first use. */
function remembered<K, V>(memo: Map<K, V>, key: K, compute: () => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    value = compute();
    memo.set(key, value);
  }
  return value;
}

export function toDays(date: IsoDate): number {
  return remembered(daysOf, date, () => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS));
}

export function fromDays(days: number): IsoDate {
  return remembered(dateOf, days, () => new Date(days * DAY_MS).toISOString().slice(0, 10));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDays(toDays(date) + days);
}

export function addYears(date: IsoDate, years: number): IsoDate {
  // 29 February + 2 years → 1 March (the day after 28 February in a common year).
  return addMonths(date, 12 * years);
}

/** Whole years between a birth date and a day (a person's age). */
export function ageInYears(birthDate: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

const monthsLater = new Map<string, IsoDate>();

/** The same day of the month, months later; a day the month lacks rolls over (31 January + 1 → 3 March). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return remembered(monthsLater, `${date}+${months}`, () => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
  });
}

/** The due date from the first day of the last menstrual period (Naegele: +280 days). */
export function dueDateFromLmp(lmp: IsoDate): IsoDate {
  return addDays(lmp, PREGNANCY_DAYS);
}

export function conceptionDate(dueDate: IsoDate): IsoDate {
  return addDays(dueDate, -CONCEPTION_TO_DUE_DAYS);
}

export interface TrajectoryFacts {
  dueDate: IsoDate;
  birthDate?: IsoDate | null;
  /** The pregnancy ended without a live birth on this date. */
  pregnancyEndedOn?: IsoDate | null;
}

export interface TrajectoryView {
  conception: IsoDate;
  /** Day X of 1001 today (1 = conception); null before conception. */
  day: number | null;
  phase: Phase;
  /** Completed weeks + days of pregnancy today (until birth). */
  gestation: { weeks: number; days: number } | null;
  /** Gestational age at birth, in days. */
  gestationalAgeAtBirthDays: number | null;
  preterm: boolean;
  /** Age in days since birth, and corrected for preterm birth (age − days born too early). */
  ageDays: number | null;
  correctedAgeDays: number | null;
  endsOn: IsoDate;
}

/** Where a child's trajectory stands on a given day. */
export function trajectoryOn(facts: TrajectoryFacts, today: IsoDate): TrajectoryView {
  const conception = conceptionDate(facts.dueDate);
  const birth = facts.birthDate ?? null;
  const endsOn = facts.pregnancyEndedOn ?? addYears(birth ?? facts.dueDate, 2);
  const t = toDays(today);
  const dayNumber = t - toDays(conception) + 1;
  const lmp = toDays(facts.dueDate) - PREGNANCY_DAYS;
  const gestationalAgeAtBirthDays = birth ? toDays(birth) - lmp : null;
  const preterm = gestationalAgeAtBirthDays !== null && gestationalAgeAtBirthDays < TERM_DAYS;
  const ageDays = birth && t >= toDays(birth) ? t - toDays(birth) : null;
  const correctedAgeDays =
    ageDays !== null && gestationalAgeAtBirthDays !== null
      ? ageDays - Math.max(0, PREGNANCY_DAYS - gestationalAgeAtBirthDays)
      : null;
  const pregnant = !birth && !facts.pregnancyEndedOn;
  const gestationDays = pregnant && t >= lmp ? t - lmp : null;
  return {
    conception,
    day: dayNumber >= 1 ? dayNumber : null,
    phase: phaseOn(facts, today),
    gestation: gestationDays === null ? null : { weeks: Math.floor(gestationDays / 7), days: gestationDays % 7 },
    gestationalAgeAtBirthDays,
    preterm,
    ageDays,
    correctedAgeDays,
    endsOn,
  };
}

/** The phase of the 1001 days a child is in on a given day. */
export function phaseOn(facts: TrajectoryFacts, today: IsoDate): Phase {
  const t = toDays(today);
  if (facts.pregnancyEndedOn && t >= toDays(facts.pregnancyEndedOn)) return 'ended';
  const birth = facts.birthDate;
  if (birth) {
    const b = toDays(birth);
    if (t >= toDays(addYears(birth, 2))) return 'ended';
    if (t === b) return 'birth';
    if (t > b && t <= b + KRAAM_DAYS) return 'kraam';
    if (t > b && t < toDays(addMonths(birth, 6))) return 'months_0_6';
    if (t > b && t < toDays(addMonths(birth, 12))) return 'months_6_12';
    if (t > b) return 'months_12_24';
  }
  const lmp = toDays(facts.dueDate) - PREGNANCY_DAYS;
  const conception = toDays(conceptionDate(facts.dueDate));
  if (t < conception) return 'preconception';
  const weeks = Math.floor((t - lmp) / 7);
  if (weeks < 14) return 'trimester_1';
  if (weeks < 28) return 'trimester_2';
  return 'trimester_3';
}

/** Today's date in UTC, as Kring counts days. */
export function todayIso(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

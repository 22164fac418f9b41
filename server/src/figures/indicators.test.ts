import { describe, expect, it } from 'vitest';
import { addDays } from '../families/trajectory.ts';
import { completedWeeks, firstContactBucket, isPreterm } from './indicators.ts';

// A due date and the day that is exactly w+d weeks of pregnancy (the last period began 280 days before it).
const DUE = '2026-06-30';
const at = (weeks: number, days: number) => addDays(DUE, weeks * 7 + days - 280);

describe("the indicators' definitions at their boundaries", () => {
  it('counts completed weeks from the first day of the last period', () => {
    expect(completedWeeks(DUE, at(0, 0))).toBe(0);
    expect(completedWeeks(DUE, at(9, 6))).toBe(9);
    expect(completedWeeks(DUE, at(10, 0))).toBe(10);
    expect(completedWeeks(DUE, DUE)).toBe(40);
  });

  it('calls a birth at 36+6 weeks preterm and one at 37+0 not (the national monitor: before 37 weeks)', () => {
    expect(isPreterm(DUE, at(36, 6))).toBe(true);
    expect(isPreterm(DUE, at(37, 0))).toBe(false);
    expect(isPreterm(DUE, at(24, 0))).toBe(true);
    expect(isPreterm(DUE, addDays(DUE, 10))).toBe(false);
  });

  it('counts a first contact at 9+6 weeks as before the 10th week, and one at 10+0 as weeks 10–13', () => {
    expect(firstContactBucket(completedWeeks(DUE, at(9, 6)))).toBe('before_week_10');
    expect(firstContactBucket(completedWeeks(DUE, at(10, 0)))).toBe('weeks_10_13');
    expect(firstContactBucket(completedWeeks(DUE, at(13, 6)))).toBe('weeks_10_13');
    expect(firstContactBucket(completedWeeks(DUE, at(14, 0)))).toBe('weeks_14_19');
    expect(firstContactBucket(completedWeeks(DUE, at(20, 0)))).toBe('from_week_20');
  });
});

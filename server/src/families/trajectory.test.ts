import { describe, expect, it } from 'vitest';
import { addYears, conceptionDate, dueDateFromLmp, phaseOn, trajectoryOn } from './trajectory.ts';

describe('the 1001-day trajectory', () => {
  const due = '2026-06-01';

  it('derives the due date from the last menstrual period (+280 days) and conception 266 days before it', () => {
    expect(dueDateFromLmp('2025-08-25')).toBe('2026-06-01');
    expect(conceptionDate(due)).toBe('2025-09-08');
  });

  it('counts day 1 at conception and no day before it', () => {
    expect(trajectoryOn({ dueDate: due }, '2025-09-08').day).toBe(1);
    expect(trajectoryOn({ dueDate: due }, '2025-09-07').day).toBeNull();
    expect(trajectoryOn({ dueDate: due }, '2026-06-01').day).toBe(267);
  });

  it('ends on the second birthday, about day 997–1001 for a term birth', () => {
    const view = trajectoryOn({ dueDate: due, birthDate: '2026-06-01' }, '2028-06-01');
    expect(view.endsOn).toBe('2028-06-01');
    expect(view.phase).toBe('ended');
    expect(view.day).toBe(267 + 731);
    expect(trajectoryOn({ dueDate: due, birthDate: '2026-06-01' }, '2028-05-31').phase).toBe('months_12_24');
  });

  it('knows the trimesters by completed weeks of pregnancy', () => {
    // LMP 2025-08-25: week 13+6 is still the first trimester, 14+0 the second, 28+0 the third.
    expect(phaseOn({ dueDate: due }, '2025-11-30')).toBe('trimester_1');
    expect(phaseOn({ dueDate: due }, '2025-12-01')).toBe('trimester_2');
    expect(phaseOn({ dueDate: due }, '2026-03-09')).toBe('trimester_3');
    expect(trajectoryOn({ dueDate: due }, '2025-12-01').gestation).toEqual({ weeks: 14, days: 0 });
  });

  it('walks through birth, the kraam period and the age bands', () => {
    const facts = { dueDate: due, birthDate: '2026-05-28' };
    expect(phaseOn(facts, '2026-05-28')).toBe('birth');
    expect(phaseOn(facts, '2026-06-05')).toBe('kraam');
    expect(phaseOn(facts, '2026-06-06')).toBe('months_0_6');
    expect(phaseOn(facts, '2026-11-28')).toBe('months_6_12');
    expect(phaseOn(facts, '2027-05-28')).toBe('months_12_24');
  });

  it('marks a preterm birth and shows the corrected age', () => {
    // Born at 32+0 weeks: 56 days early.
    const view = trajectoryOn({ dueDate: due, birthDate: '2026-04-06' }, '2026-07-06');
    expect(view.gestationalAgeAtBirthDays).toBe(224);
    expect(view.preterm).toBe(true);
    expect(view.ageDays).toBe(91);
    expect(view.correctedAgeDays).toBe(35);
    expect(trajectoryOn({ dueDate: due, birthDate: '2026-05-18' }, '2026-06-01').preterm).toBe(false);
  });

  it('closes a pregnancy that ended without a live birth, on that day', () => {
    const view = trajectoryOn({ dueDate: due, pregnancyEndedOn: '2025-12-15' }, '2026-01-01');
    expect(view.phase).toBe('ended');
    expect(view.endsOn).toBe('2025-12-15');
    expect(view.gestation).toBeNull();
  });

  it('handles a birth on 29 February', () => {
    expect(addYears('2028-02-29', 2)).toBe('2030-03-01');
  });
});

import { describe, expect, it } from 'vitest';
import { jgzSchedule, scheduleFor } from './jgz-schedule.ts';

describe('the JGZ contact schedule', () => {
  it('loads the default schedule from its data file, with the vaccination moments of 2025 (5 and 12 months)', () => {
    expect(jgzSchedule().moments.map((m) => m.key)).toEqual([
      'home_visit_2w',
      'visit_4w',
      'visit_8w',
      'visit_3m',
      'visit_4m',
      'visit_5m',
      'visit_6m',
      'visit_7_5m',
      'visit_9m',
      'visit_12m',
      'visit_14m',
      'visit_18m',
      'visit_2y',
    ]);
  });

  it('marks moments done by matching contacts, and due, overdue or upcoming by date', () => {
    const items = scheduleFor('2026-01-01', [{ occurredOn: '2026-01-15', kind: 'home_visit' }], '2026-02-20');
    const status = Object.fromEntries(items.map((i) => [i.key, i.status]));
    expect(status.home_visit_2w).toBe('done');
    expect(status.visit_4w).toBe('overdue'); // target 29 January, 14 days' grace
    expect(status.visit_8w).toBe('due'); // target 26 February, opens 10 days before
    expect(status.visit_3m).toBe('upcoming');
  });

  it('does not count one contact twice, nor a contact of the wrong kind', () => {
    const items = scheduleFor('2026-01-01', [{ occurredOn: '2026-01-30', kind: 'phone_video' }], '2026-01-30');
    expect(items.filter((i) => i.status === 'done')).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { CONTACT_KINDS, type DB } from '../database/schema.ts';
import { fromDays, type IsoDate, toDays } from './trajectory.ts';

/** The JGZ contact schedule for ages 0–2: content as data (content/jgz-schedule.json), validated at load. */
export const ScheduleMoments = z
  .array(
    z.strictObject({
      key: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
      ageDays: z.number().int().min(0).max(800),
      from: z.number().int().min(0).max(120),
      grace: z.number().int().min(0).max(180),
      kinds: z.array(z.enum(CONTACT_KINDS)).min(1),
    }),
  )
  .min(1)
  .max(30)
  .refine((moments) => new Set(moments.map((m) => m.key)).size === moments.length, 'each key once')
  .refine(
    (moments) => moments.every((m, i) => i === 0 || (moments[i - 1]?.ageDays ?? 0) < m.ageDays),
    'moments in order of age',
  );
const Schedule = z.object({ version: z.number().int(), description: z.string(), moments: ScheduleMoments });
export type JgzSchedule = Pick<z.infer<typeof Schedule>, 'moments'>;

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content/jgz-schedule.json');
let cached: z.infer<typeof Schedule> | undefined;

/** The default schedule schedule (the data file). */
export function jgzSchedule(): JgzSchedule {
  cached ??= Schedule.parse(JSON.parse(fs.readFileSync(FILE, 'utf8')));
  return cached;
}

/** An organisation's own schedule as stored (validated when saved), or the default schedule. */
export function scheduleOf(moments: unknown[] | null | undefined): JgzSchedule {
  return moments ? { moments: moments as JgzSchedule['moments'] } : jgzSchedule();
}

export interface ScheduleItem {
  key: string;
  targetDate: IsoDate;
  status: 'done' | 'due' | 'overdue' | 'upcoming';
}

/**
 * Which JGZ contact moments are done, due, overdue or upcoming for a child born on birthDate, given
 * the JGZ contacts so far (date and kind). Each contact fulfils at most one moment, in order.
 */
export function scheduleFor(
  birthDate: IsoDate,
  jgzContacts: { occurredOn: IsoDate; kind: string }[],
  today: IsoDate,
  schedule: JgzSchedule = jgzSchedule(),
): ScheduleItem[] {
  return matchSchedule(birthDate, jgzContacts, today, schedule).map(({ key, targetDate, status }) => ({
    key,
    targetDate,
    status,
  }));
}

/** scheduleFor, with the day each done moment was fulfilled and the last day it counts as on time. */
export function matchSchedule(
  birthDate: IsoDate,
  jgzContacts: { occurredOn: IsoDate; kind: string }[],
  today: IsoDate,
  schedule: JgzSchedule = jgzSchedule(),
): (ScheduleItem & { fulfilledOn: IsoDate | null; onTimeUntil: IsoDate })[] {
  // Whole day numbers throughout (a caseload computes this for hundreds of children).
  const birth = toDays(birthDate);
  const now = toDays(today);
  const unused = jgzContacts.map((c) => ({ day: toDays(c.occurredOn), kind: c.kind })).sort((a, b) => a.day - b.day);
  return schedule.moments.map((moment) => {
    const target = birth + moment.ageDays;
    const index = unused.findIndex(
      (c) => c.day >= target - moment.from && moment.kinds.includes(c.kind as (typeof moment.kinds)[number]),
    );
    const targetDate = fromDays(target);
    const onTimeUntil = fromDays(target + moment.grace);
    const fulfilled = index >= 0 ? unused.splice(index, 1)[0] : undefined;
    if (fulfilled) {
      return {
        key: moment.key,
        targetDate,
        status: 'done' as const,
        fulfilledOn: fromDays(fulfilled.day),
        onTimeUntil,
      };
    }
    const status = now > target + moment.grace ? 'overdue' : now >= target - moment.from ? 'due' : 'upcoming';
    return { key: moment.key, targetDate, status, fulfilledOn: null, onTimeUntil };
  });
}

/** The contact schedule of the JGZ organisation in the family's team, when it has its own. */
export function jgzScheduleOf(eb: ExpressionBuilder<DB & { f: DB['families'] }, 'f'>) {
  return eb
    .selectFrom('jgz_schedules as js')
    .innerJoin('care_team_organisations as jcto', 'jcto.organisation_id', 'js.organisation_id')
    .select('js.moments')
    .whereRef('jcto.family_id', '=', 'f.id')
    .where('jcto.ended_on', 'is', null)
    .limit(1)
    .as('jgz_schedule');
}

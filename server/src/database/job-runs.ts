import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Claim a run of a periodic job. True for exactly one caller per period, also when several Kring
 * processes share the database: the claim is one atomic upsert that succeeds only when the last
 * start is at least `everyMinutes` old.
 */
export async function claimJob(
  db: Kysely<DB>,
  name: string,
  everyMinutes: number,
  now: Date = new Date(),
): Promise<boolean> {
  const claimed = await db
    .insertInto('job_runs')
    .values({ name, last_started_at: now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ last_started_at: now })
        .where(
          'job_runs.last_started_at',
          '<=',
          sql<Date>`${now}::timestamptz - make_interval(mins => ${everyMinutes})`,
        ),
    )
    .returning('name')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Claim today's run of a daily job (23 hours, so an hourly sweep runs it about once a day). */
export function claimDailyJob(db: Kysely<DB>, name: string, now: Date = new Date()): Promise<boolean> {
  return claimJob(db, name, 23 * 60, now);
}

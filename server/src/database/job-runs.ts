import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Claim today's run of a daily job. True for exactly one caller per day, also when several Kring
 * processes share the database: the claim is one atomic upsert that succeeds only when the last
 * start is at least 23 hours old (so an hourly sweep runs the job about once a day).
 */
export async function claimDailyJob(db: Kysely<DB>, name: string, now: Date = new Date()): Promise<boolean> {
  const claimed = await db
    .insertInto('job_runs')
    .values({ name, last_started_at: now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ last_started_at: now })
        .where('job_runs.last_started_at', '<=', sql<Date>`${now}::timestamptz - interval '23 hours'`),
    )
    .returning('name')
    .executeTakeFirst();
  return claimed !== undefined;
}

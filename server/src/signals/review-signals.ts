import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { todayIso } from '../families/trajectory.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * A signal whose review date has passed asks its owner to confirm or end it, instead of lingering
 * for years: one task per signal (for the professional who recorded it, or their organisation when
 * that account is no longer active). Idempotent: safe to run from every Kring process.
 */
export async function askForSignalReviews(db: Kysely<DB>, today: string = todayIso()): Promise<number> {
  const due = await db
    .selectFrom('signals as s')
    .innerJoin('families as f', 'f.id', 's.family_id')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['s.id', 's.family_id', 's.account_id', 's.organisation_id', 's.review_on', 'a.active'])
    .where('s.status', '=', 'present')
    .where('s.review_on', '<=', today)
    .where('f.status', '=', 'open')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('tasks as t')
            .select('t.id')
            .where('t.kind', '=', 'signal_review')
            .whereRef('t.source_id', '=', 's.id')
            .where('t.status', '=', 'open'),
        ),
      ),
    )
    .limit(500)
    .execute();
  for (const signal of due) {
    await db.transaction().execute((tx) =>
      createTask(tx, {
        kind: 'signal_review',
        familyId: signal.family_id,
        sourceId: signal.id,
        dueOn: signal.review_on ?? today,
        ...(signal.active
          ? { assigneeAccountId: signal.account_id }
          : { assigneeOrganisationId: signal.organisation_id }),
      }),
    );
  }
  return due.length;
}

import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { todayIso } from '../families/trajectory.ts';
import { createTask } from '../tasks/create-task.ts';
import { isLate, UNANSWERED } from './referral.ts';

/**
 * A referral without an answer after the region's number of working days gives its sender a task
 * (their organisation's, when that account is no longer active), once. Safe to run from every
 * Kring process: the task and the referral's mark are written in one transaction under its lock.
 */
export async function askAboutLateReferrals(
  db: Kysely<DB>,
  answerDays: number,
  today: string = todayIso(),
): Promise<number> {
  // Working days are never more than calendar days: only referrals sent that long ago can be late.
  const candidates = await db
    .selectFrom('referrals as r')
    .innerJoin('accounts as a', 'a.id', 'r.from_account_id')
    .select(['r.id', 'r.family_id', 'r.status', 'r.sent_at', 'r.from_account_id', 'r.from_organisation_id', 'a.active'])
    .where('r.status', 'in', [...UNANSWERED])
    .where('r.late_task_at', 'is', null)
    .where('r.sent_at', '<', new Date(Date.parse(`${today}T00:00:00Z`) - answerDays * 86_400_000))
    .limit(500)
    .execute();
  let asked = 0;
  for (const referral of candidates.filter((r) => isLate(r, answerDays, today))) {
    await db.transaction().execute(async (tx) => {
      const marked = await tx
        .updateTable('referrals')
        .set({ late_task_at: new Date() })
        .where('id', '=', referral.id)
        .where('late_task_at', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return;
      await createTask(tx, {
        kind: 'referral_late',
        familyId: referral.family_id,
        sourceId: referral.id,
        dueOn: today,
        ...(referral.active
          ? { assigneeAccountId: referral.from_account_id }
          : { assigneeOrganisationId: referral.from_organisation_id }),
      });
      asked++;
    });
  }
  return asked;
}

import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/write-audit.ts';
import type { DB } from '../database/schema.ts';
import { createTask } from '../tasks/create-task.ts';
import { closeFamilyIfDone } from './family-guards.ts';
import { addYears, todayIso } from './trajectory.ts';

/**
 * The end of the 1001 days: on a child's second birthday its trajectory closes and the team's
 * regiehouder gets a task to write a short closing summary for JGZ. A family with no open
 * trajectory left closes and becomes read-only. Idempotent: safe to run from every Kring process.
 */
export async function closeEndedTrajectories(db: Kysely<DB>, today: string = todayIso()): Promise<number> {
  const due = await db
    .selectFrom('trajectories')
    .select(['id', 'family_id', 'birth_date'])
    .where('status', '=', 'open')
    .where('birth_date', 'is not', null)
    .where('birth_date', '<=', addYears(today, -2))
    .limit(500)
    .execute();
  let closed = 0;
  for (const trajectory of due) {
    await db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('trajectories')
        .set((eb) => ({
          status: 'closed',
          closed_on: addYears(trajectory.birth_date as string, 2),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', trajectory.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return;
      closed += 1;
      const regiehouder = await tx
        .selectFrom('care_team_professionals')
        .select('account_id')
        .where('family_id', '=', trajectory.family_id)
        .where('is_regiehouder', '=', true)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (regiehouder) {
        await createTask(tx, {
          kind: 'closing_summary',
          familyId: trajectory.family_id,
          assigneeAccountId: regiehouder.account_id,
          sourceId: trajectory.id,
        });
      }
      await closeFamilyIfDone(tx, trajectory.family_id);
      await writeAudit(
        tx,
        { accountId: null, organisationId: null, role: 'system', clientAddress: null, correlationId: null },
        {
          action: 'trajectory.close',
          familyId: trajectory.family_id,
          recordType: 'trajectory',
          recordId: trajectory.id,
        },
      );
    });
  }
  return closed;
}

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, TaskKind } from '../database/schema.ts';

/**
 * The one way to give someone work: a task for a professional or an organisation, and an in-app
 * notification for each person to tell. Details hold ids and codes only, never personal data.
 */
export async function createTask(
  db: Kysely<DB>,
  task: {
    kind: TaskKind;
    familyId: string | null;
    assigneeAccountId?: string;
    assigneeOrganisationId?: string;
    sourceId?: string;
    dueOn?: string;
    details?: Record<string, string | number | boolean>;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('tasks')
    .values({
      id,
      family_id: task.familyId,
      assignee_account_id: task.assigneeAccountId ?? null,
      assignee_organisation_id: task.assigneeOrganisationId ?? null,
      kind: task.kind,
      source_id: task.sourceId ?? null,
      details: JSON.stringify(task.details ?? {}),
      due_on: task.dueOn ?? null,
    })
    .execute();
  const recipients = task.assigneeAccountId
    ? [{ id: task.assigneeAccountId }]
    : await db
        .selectFrom('accounts')
        .select('id')
        .where('organisation_id', '=', task.assigneeOrganisationId ?? '')
        .where('kind', '=', 'professional')
        .where('active', '=', true)
        .execute();
  if (recipients.length) {
    await db
      .insertInto('notifications')
      .values(
        recipients.map((r) => ({
          id: randomUUID(),
          account_id: r.id,
          kind: task.kind,
          task_id: id,
          family_id: task.familyId,
        })),
      )
      .execute();
  }
  return id;
}

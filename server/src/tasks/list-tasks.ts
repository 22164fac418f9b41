import type { RequestContext } from '../http/context.ts';

/**
 * Open tasks of the actor and of the actor's organisation, each naming its family (the first
 * person of the record) when the actor may read that family — one audited read.
 */
export async function listTasks(ctx: RequestContext) {
  const access = ctx.access;
  const rows = await ctx.auditedRead(
    ctx.deps.database.db
      .selectFrom('tasks')
      .select([
        'id',
        'kind',
        'family_id as familyId',
        'source_id as sourceId',
        'due_on as dueOn',
        'created_at as createdAt',
        'assignee_account_id',
      ])
      .select(ctx.families.nameIfVisible('tasks.family_id').as('familyName'))
      .where('status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb('assignee_account_id', '=', access.actor.accountId),
          eb('assignee_organisation_id', '=', access.organisationId),
        ]),
      )
      .orderBy('created_at')
      .limit(500),
    { action: 'task.list' },
    { countAs: 'tasks' },
  );
  return {
    tasks: rows.map(({ assignee_account_id, ...row }) => ({
      ...row,
      forMe: assignee_account_id === access.actor.accountId,
    })),
  };
}

/** The actor's notifications: the unread count and the newest fifty. */
export async function listNotifications(ctx: RequestContext) {
  const accountId = ctx.access.actor.accountId;
  const { db } = ctx.deps.database;
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'kind', 'task_id as taskId', 'family_id as familyId', 'read_at', 'created_at as createdAt'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  const unread = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    unread: Number(unread.n),
    notifications: rows.map(({ read_at, ...row }) => ({ ...row, read: read_at !== null })),
  };
}

/** Mark all of the actor's notifications as read. */
export async function markNotificationsRead(ctx: RequestContext) {
  await ctx.deps.database.db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('account_id', '=', ctx.access.actor.accountId)
    .where('read_at', 'is', null)
    .execute();
  return { ok: true as const };
}

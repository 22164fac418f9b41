import { sql } from 'kysely';
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

/**
 * A notification is new until its reader opened it, or until what it asked for is done: the task
 * it belongs to is no longer open (answered by the reader or a colleague).
 */
const isNew = sql<boolean>`(n.read_at IS NULL AND NOT EXISTS (SELECT 1 FROM tasks nt
  WHERE nt.id = n.task_id AND nt.status <> 'open'))`;

/**
 * The actor's notifications: the unread count and the newest fifty, each naming its family when
 * the actor may read it (an audited read, like the tasks).
 */
export async function listNotifications(ctx: RequestContext) {
  const accountId = ctx.access.actor.accountId;
  const { db } = ctx.deps.database;
  const rows = await ctx.auditedRead(
    db
      .selectFrom('notifications as n')
      .select(['n.id', 'n.kind', 'n.task_id as taskId', 'n.family_id as familyId', 'n.created_at as createdAt'])
      .select([isNew.as('new'), ctx.families.nameIfVisible('n.family_id').as('familyName')])
      .where('n.account_id', '=', accountId)
      .orderBy('n.created_at', 'desc')
      .limit(50),
    { action: 'notification.list' },
    { countAs: 'notifications' },
  );
  const unread = await db
    .selectFrom('notifications as n')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.account_id', '=', accountId)
    .where(isNew)
    .executeTakeFirstOrThrow();
  return {
    unread: Number(unread.n),
    notifications: rows.map(({ new: fresh, ...row }) => ({ ...row, read: !fresh })),
  };
}

/** Mark the actor's notifications as read: all, or the one given. */
export async function markNotificationsRead(ctx: RequestContext, notificationId?: string) {
  let update = ctx.deps.database.db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('account_id', '=', ctx.access.actor.accountId)
    .where('read_at', 'is', null);
  if (notificationId) update = update.where('id', '=', notificationId);
  await update.execute();
  return { ok: true as const };
}

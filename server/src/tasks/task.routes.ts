import { z } from 'zod';
import { OkResponse } from '../accounts/account.types.ts';
import { TASK_KINDS } from '../database/schema.ts';
import { defineRoute } from '../http/route.ts';

const TaskResponse = z.object({
  id: z.uuid(),
  kind: z.enum(TASK_KINDS),
  familyId: z.uuid().nullable(),
  sourceId: z.uuid().nullable(),
  dueOn: z.string().nullable(),
  createdAt: z.date().transform((d) => d.toISOString()),
  forMe: z.boolean(),
});

export const taskRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/tasks',
    summary: "Open tasks of the actor and of the actor's organisation",
    tag: 'tasks',
    auth: 'session',
    permission: 'task.read',
    response: z.object({ tasks: z.array(TaskResponse) }),
    handler: async (ctx) => {
      const access = ctx.access;
      const rows = await ctx.deps.database.db
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
        .where('status', '=', 'open')
        .where((eb) =>
          eb.or([
            eb('assignee_account_id', '=', access.actor.accountId),
            eb('assignee_organisation_id', '=', access.organisationId),
          ]),
        )
        .orderBy('created_at')
        .limit(500)
        .execute();
      return {
        tasks: rows.map(({ assignee_account_id, ...row }) => ({
          ...row,
          forMe: assignee_account_id === access.actor.accountId,
        })),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/notifications',
    summary: 'In-app notifications: the unread count and the newest',
    tag: 'tasks',
    auth: 'session',
    response: z.object({
      unread: z.number(),
      notifications: z.array(
        z.object({
          id: z.uuid(),
          kind: z.string(),
          taskId: z.uuid().nullable(),
          familyId: z.uuid().nullable(),
          read: z.boolean(),
          createdAt: z.date().transform((d) => d.toISOString()),
        }),
      ),
    }),
    handler: async (ctx) => {
      const accountId = ctx.access.actor.accountId;
      const rows = await ctx.deps.database.db
        .selectFrom('notifications')
        .select(['id', 'kind', 'task_id as taskId', 'family_id as familyId', 'read_at', 'created_at as createdAt'])
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      const unread = await ctx.deps.database.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return {
        unread: Number(unread.n),
        notifications: rows.map(({ read_at, ...row }) => ({ ...row, read: read_at !== null })),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/notifications/read',
    summary: 'Mark all notifications as read',
    tag: 'tasks',
    auth: 'session',
    response: OkResponse,
    handler: async (ctx) => {
      await ctx.deps.database.db
        .updateTable('notifications')
        .set({ read_at: new Date() })
        .where('account_id', '=', ctx.access.actor.accountId)
        .where('read_at', 'is', null)
        .execute();
      return { ok: true as const };
    },
  }),
];

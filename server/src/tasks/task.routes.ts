import { z } from 'zod';
import { OkResponse } from '../accounts/account.types.ts';
import { AcceptJoinInput, DecideJoinInput, decideJoinRequest } from '../care-team/team.ts';
import { TASK_KINDS } from '../database/schema.ts';
import { defineRoute } from '../http/route.ts';
import { listNotifications, listTasks, markNotificationsRead } from './list-tasks.ts';

const TaskResponse = z.object({
  id: z.uuid(),
  kind: z.enum(TASK_KINDS),
  familyId: z.uuid().nullable(),
  /** Whom the task is about (the record's first person), when the actor may read that family. */
  familyName: z.string().nullable(),
  sourceId: z.uuid().nullable(),
  dueOn: z.string().nullable(),
  createdAt: z.date().transform((d) => d.toISOString()),
  forMe: z.boolean(),
});

const TaskParams = z.strictObject({ taskId: z.uuid('must be a UUID') });
const JoinDecision = z.object({ familyId: z.uuid(), status: z.enum(['accepted', 'declined']) });

export const taskRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/tasks/:taskId/accept-join',
    summary: "Accept a request to join a family's team, with the parents' consent for the requesting organisation",
    tag: 'care-team',
    auth: 'session',
    permission: 'family.write',
    params: TaskParams,
    body: AcceptJoinInput,
    response: JoinDecision,
    handler: (ctx, { params, body }) => decideJoinRequest(ctx, params.taskId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/tasks/:taskId/decline-join',
    summary: "Decline a request to join a family's team",
    tag: 'care-team',
    auth: 'session',
    permission: 'family.write',
    params: TaskParams,
    body: DecideJoinInput,
    response: JoinDecision,
    handler: (ctx, { params, body }) => decideJoinRequest(ctx, params.taskId, { version: body.version }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/tasks',
    summary: "Open tasks of the actor and of the actor's organisation",
    tag: 'tasks',
    auth: 'session',
    permission: 'task.read',
    response: z.object({ tasks: z.array(TaskResponse) }),
    handler: (ctx) => listTasks(ctx),
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
          /** The family's name, when the reader may read the family. */
          familyName: z.string().nullable(),
          read: z.boolean(),
          createdAt: z.date().transform((d) => d.toISOString()),
        }),
      ),
    }),
    handler: (ctx) => listNotifications(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/notifications/read',
    summary: 'Mark all notifications as read',
    tag: 'tasks',
    auth: 'session',
    response: OkResponse,
    handler: (ctx) => markNotificationsRead(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/notifications/:notificationId/read',
    summary: 'Mark one notification as read (when its reader opens it)',
    tag: 'tasks',
    auth: 'session',
    params: z.strictObject({ notificationId: z.uuid('must be a UUID') }),
    response: OkResponse,
    handler: (ctx, { params }) => markNotificationsRead(ctx, params.notificationId),
  }),
];

import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { ChangeRoleInput, changeRole } from './change-role.ts';
import { AcceptInvitationInput, acceptInvitation, demoOutbox, InviteInput, invite } from './invitations.ts';
import { AccountParams, OffboardInput, offboard, resetSecondFactor } from './offboarding.ts';
import { confirmPasswordReset, ResetConfirmInput, ResetRequestInput, requestPasswordReset } from './password-reset.ts';

export const invitationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/invitations',
    summary: 'Invite a professional by e-mail (administrator)',
    tag: 'accounts',
    auth: 'session',
    permission: 'account.invite',
    body: InviteInput,
    status: 201,
    response: z.object({ accountId: z.uuid() }),
    handler: (ctx, { body }) => invite(ctx, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/accounts/:id/role',
    summary: "Change a professional's role (discipline); audited with the old and the new role (administrator)",
    tag: 'accounts',
    auth: 'session',
    permission: 'account.invite',
    params: AccountParams,
    body: ChangeRoleInput,
    response: z.object({ accountId: z.uuid(), discipline: z.string() }),
    handler: (ctx, { params, body }) => changeRole(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/accounts/:id/offboard',
    summary: 'Offboard a professional: deactivate, end sessions, pass families and tasks to a successor',
    tag: 'accounts',
    auth: 'session',
    permission: 'account.offboard',
    params: AccountParams,
    body: OffboardInput,
    response: z.object({ accountId: z.uuid(), families: z.number(), tasks: z.number() }),
    handler: (ctx, { params, body }) => offboard(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/accounts/:id/second-factor/reset',
    summary:
      "Reset a professional's second factor (administrator); they are told by e-mail, with a link to connect again",
    tag: 'accounts',
    auth: 'session',
    permission: 'account.offboard',
    params: AccountParams,
    response: z.object({ accountId: z.uuid() }),
    handler: (ctx, { params }) => resetSecondFactor(ctx, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/invitation',
    summary: 'Choose a password from an invitation link; answers a one-time link to connect the authenticator app',
    tag: 'auth',
    auth: 'public',
    body: AcceptInvitationInput,
    response: z.object({ enrolmentToken: z.string() }),
    handler: (ctx, { body }) => acceptInvitation(ctx, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/password-reset',
    summary: 'Ask for a new password by e-mail (the same answer whether or not the address is known)',
    tag: 'auth',
    auth: 'public',
    body: ResetRequestInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { body }) => requestPasswordReset(ctx, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/password-reset/confirm',
    summary: 'Choose the new password from the one-time link; every session of the account ends',
    tag: 'auth',
    auth: 'public',
    body: ResetConfirmInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { body }) => confirmPasswordReset(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/demo/outbox',
    summary: 'Demo mode only, for the administrator: the mails Kring would have sent (fictional people only)',
    tag: 'accounts',
    auth: 'session',
    // Its links set passwords: only the administrator, who sends the invitations, reads it.
    permission: 'account.invite',
    response: z.object({
      mails: z.array(
        z.object({
          id: z.uuid(),
          to: z.string(),
          subject: z.string(),
          body: z.string().nullable(),
          createdAt: z.string(),
          status: z.string(),
        }),
      ),
    }),
    handler: (ctx) => demoOutbox(ctx),
  }),
];

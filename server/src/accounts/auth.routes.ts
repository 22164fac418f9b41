import { AppError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import {
  ActorResponse,
  EnrolmentStartResponse,
  EnrolmentTokenConfirmInput,
  EnrolmentTokenInput,
  LanguageInput,
  LoginInput,
  LoginResponse,
  MeResponse,
  OkResponse,
  SecondFactorInput,
} from './account.types.ts';
import { logIn } from './log-in.ts';
import {
  confirmEnrolment,
  confirmEnrolmentWithToken,
  startEnrolment,
  startEnrolmentWithToken,
  verifySecondFactor,
} from './second-factor.ts';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Sign in with e-mail and password; answers with the next step and a CSRF token',
    tag: 'auth',
    auth: 'public',
    body: LoginInput,
    response: LoginResponse,
    handler: (ctx, { body }) => logIn(ctx, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/second-factor',
    summary: 'The second sign-in step: the code from the authenticator app',
    tag: 'auth',
    auth: 'second_factor',
    body: SecondFactorInput,
    response: LoginResponse,
    handler: (ctx, { body }) => verifySecondFactor(ctx, body.code),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/second-factor/enrolment',
    summary: 'Start enrolling an authenticator app (QR code)',
    tag: 'auth',
    auth: 'second_factor',
    response: EnrolmentStartResponse,
    handler: (ctx) => startEnrolment(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/second-factor/enrolment/confirm',
    summary: 'Confirm the authenticator app with a first code',
    tag: 'auth',
    auth: 'second_factor',
    body: SecondFactorInput,
    response: LoginResponse,
    handler: (ctx, { body }) => confirmEnrolment(ctx, body.code),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/enrolment-link',
    summary: 'Start enrolling an authenticator app from a one-time enrolment link',
    tag: 'auth',
    auth: 'public',
    body: EnrolmentTokenInput,
    response: EnrolmentStartResponse,
    handler: (ctx, { body }) => startEnrolmentWithToken(ctx, body.token),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/enrolment-link/confirm',
    summary: 'Confirm the authenticator app from a one-time enrolment link',
    tag: 'auth',
    auth: 'public',
    body: EnrolmentTokenConfirmInput,
    response: OkResponse,
    handler: (ctx, { body }) => confirmEnrolmentWithToken(ctx, body.token, body.code),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'End the session',
    tag: 'auth',
    auth: 'second_factor',
    response: OkResponse,
    handler: async (ctx) => {
      const session = ctx.session;
      if (!session) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
      await ctx.transaction(async (tx) => {
        await tx.db.deleteFrom('sessions').where('id', '=', session.id).execute();
        await tx.audit({ action: 'auth.logout' });
      });
      ctx.clearSessionCookie();
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/me',
    summary: 'The signed-in actor and the session CSRF token',
    tag: 'auth',
    auth: 'session',
    response: MeResponse,
    // The actor's own account: not audited (NEN 7513 logs access to others' data).
    handler: async (ctx) => ({ actor: ctx.access.actor, csrfToken: ctx.session?.csrfToken ?? '' }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/me/language',
    summary: "Set the actor's interface language",
    tag: 'auth',
    auth: 'session',
    body: LanguageInput,
    response: ActorResponse,
    handler: async (ctx, { body }) => {
      const actor = ctx.access.actor;
      await ctx.deps.database.db
        .updateTable('accounts')
        .set({ language: body.language })
        .where('id', '=', actor.accountId)
        .execute();
      return { ...actor, language: body.language };
    },
  }),
];

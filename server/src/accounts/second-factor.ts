import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { lockedUntil, recordFailure, type ThrottleKey } from './login-throttle.ts';
import { createSession, loadSession } from './sessions.ts';
import { tokenHash } from './tokens.ts';
import { generateTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';

/** Second-factor (TOTP) sign-in and enrolment: in a session, or through a one-time enrolment link. */

function secondFactorKeys(ctx: RequestContext, accountId: string): ThrottleKey[] {
  return [{ key: `second_factor:${accountId}`, maxFailures: ctx.config.loginMaxFailures }];
}

function requireSession(ctx: RequestContext) {
  if (!ctx.session || !ctx.actor) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return { session: ctx.session, actor: ctx.actor };
}

/** Check a code against the account's secret, throttled like a password. */
async function checkCode(ctx: RequestContext, accountId: string, secret: string | null, code: string): Promise<void> {
  const { db } = ctx.deps.database;
  const keys = secondFactorKeys(ctx, accountId);
  if (await lockedUntil(db, keys)) {
    await ctx.auditAlone({ action: 'auth.second_factor', outcome: 'refused', details: { reason: 'throttled' } });
    throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed attempts. Try again later.');
  }
  if (!secret || !verifyTotp(secret, code)) {
    await db.transaction().execute((tx) => recordFailure(tx, ctx.config, keys));
    await ctx.auditAlone({ action: 'auth.second_factor', outcome: 'failed' });
    throw new AppError('INVALID_SECOND_FACTOR', 'The code is not correct.', {
      fields: [{ field: 'body.code', message: 'not correct' }],
    });
  }
}

/** Replace the waiting session by an active one (a new token, so a session id never gains rights). */
async function promoteSession(ctx: RequestContext, tx: Tx, sessionId: string, accountId: string) {
  await tx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  const created = await createSession(tx.db, ctx.config, accountId, 'active');
  ctx.setSessionCookie(created.token, ctx.config.sessionMaxHours * 3600);
  return created;
}

async function signedIn(ctx: RequestContext, token: string, csrfToken: string) {
  const loaded = await loadSession(ctx.deps.database.db, ctx.config, token);
  if (!loaded) throw new Error('session vanished right after sign-in');
  return { status: 'signed_in' as const, csrfToken, actor: loaded.actor };
}

/** The second sign-in step: a correct code turns the waiting session into an active one. */
export async function verifySecondFactor(ctx: RequestContext, code: string) {
  const { session, actor } = requireSession(ctx);
  if (session.stage !== 'second_factor' || !actor.secondFactorEnabled) {
    throw new AppError('FORBIDDEN', 'This session does not wait for a second-factor code.');
  }
  const account = await ctx.deps.database.db
    .selectFrom('accounts')
    .select('totp_secret')
    .where('id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  await checkCode(ctx, actor.accountId, account.totp_secret, code);
  const created = await ctx.transaction(async (tx) => {
    const promoted = await promoteSession(ctx, tx, session.id, actor.accountId);
    await tx.db.deleteFrom('login_throttle').where('key', '=', `second_factor:${actor.accountId}`).execute();
    await tx.audit({ action: 'auth.login', details: { secondFactor: true } });
    return promoted;
  });
  return signedIn(ctx, created.token, created.session.csrfToken);
}

async function newPendingSecret(db: Kysely<DB>, accountId: string, label: string) {
  const secret = generateTotpSecret();
  await db.updateTable('accounts').set({ totp_secret: secret }).where('id', '=', accountId).execute();
  const url = otpauthUrl(secret, label);
  return { secret, otpauthUrl: url, qrCodeDataUrl: await QRCode.toDataURL(url) };
}

/**
 * Start enrolling an authenticator app in a session: a new secret, shown once as a QR code. Allowed
 * for an active session (adding or replacing a factor) and for a session that must enrol before it
 * may do anything (production mode, first sign-in).
 */
export async function startEnrolment(ctx: RequestContext) {
  const { session, actor } = requireSession(ctx);
  if (session.stage === 'second_factor' && actor.secondFactorEnabled) {
    throw new AppError('FORBIDDEN', 'Enter the code from your authenticator app instead.');
  }
  return ctx.transaction(async (tx) => {
    const started = await newPendingSecret(tx.db, actor.accountId, actor.email);
    await tx.audit({ action: 'auth.second_factor.enrolment_started' });
    return started;
  });
}

/** Confirm enrolment with a first code; a session that waited for it becomes active. */
export async function confirmEnrolment(ctx: RequestContext, code: string) {
  const { session, actor } = requireSession(ctx);
  if (session.stage === 'second_factor' && actor.secondFactorEnabled) {
    throw new AppError('FORBIDDEN', 'Enter the code from your authenticator app instead.');
  }
  const account = await ctx.deps.database.db
    .selectFrom('accounts')
    .select('totp_secret')
    .where('id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  await checkCode(ctx, actor.accountId, account.totp_secret, code);
  const created = await ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ totp_enabled_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', actor.accountId)
      .execute();
    await tx.audit({ action: 'auth.second_factor.enrolled' });
    return session.stage === 'second_factor' ? promoteSession(ctx, tx, session.id, actor.accountId) : null;
  });
  const token = created?.token ?? ctx.reply.request.cookies.kring_session ?? '';
  return signedIn(ctx, token, created?.session.csrfToken ?? session.csrfToken);
}

async function findEnrolmentToken(ctx: RequestContext, token: string) {
  const row = await ctx.deps.database.db
    .selectFrom('one_time_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.token_hash', 't.account_id', 't.expires_at', 't.used_at', 'a.email', 'a.totp_secret', 'a.active'])
    .where('t.token_hash', '=', tokenHash(ctx.config.sessionSecret, token))
    .where('t.purpose', '=', 'totp_enrolment')
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now() || !row.active) {
    throw new AppError('TOKEN_INVALID', 'This enrolment link is unknown, used or expired.');
  }
  return row;
}

/** Start enrolment from a one-time link (the first administrator, printed by admin:create). */
export async function startEnrolmentWithToken(ctx: RequestContext, token: string) {
  const row = await findEnrolmentToken(ctx, token);
  return ctx.transaction(async (tx) => {
    const started = await newPendingSecret(tx.db, row.account_id, row.email);
    await tx.audit(
      { action: 'auth.second_factor.enrolment_started' },
      { ...ctx.auditSource, accountId: row.account_id },
    );
    return started;
  });
}

/** Finish enrolment from a one-time link; the link is used up. The person then signs in as usual. */
export async function confirmEnrolmentWithToken(ctx: RequestContext, token: string, code: string) {
  const row = await findEnrolmentToken(ctx, token);
  await checkCode(ctx, row.account_id, row.totp_secret, code);
  await ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('one_time_tokens')
      .set({ used_at: new Date() })
      .where('token_hash', '=', row.token_hash)
      .execute();
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ totp_enabled_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', row.account_id)
      .execute();
    await tx.audit({ action: 'auth.second_factor.enrolled' }, { ...ctx.auditSource, accountId: row.account_id });
  });
  return { ok: true as const };
}

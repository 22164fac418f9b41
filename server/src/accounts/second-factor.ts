import { randomInt } from 'node:crypto';
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

/** Refuse while the account's second-factor attempts are throttled. */
async function refuseWhenThrottled(ctx: RequestContext, accountId: string): Promise<void> {
  if (await lockedUntil(ctx.deps.database.db, secondFactorKeys(ctx, accountId))) {
    await ctx.auditAlone({ action: 'auth.second_factor', outcome: 'refused', details: { reason: 'throttled' } });
    throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed attempts. Try again later.');
  }
}

/** Count a wrong code (an app code or a recovery code) toward the throttle, audit it and refuse. */
async function refuseWrongCode(ctx: RequestContext, accountId: string): Promise<never> {
  const keys = secondFactorKeys(ctx, accountId);
  await ctx.deps.database.db.transaction().execute((tx) => recordFailure(tx, ctx.config, keys));
  await ctx.auditAlone({ action: 'auth.second_factor', outcome: 'failed' });
  throw new AppError('INVALID_SECOND_FACTOR', 'The code is not correct.', {
    fields: [{ field: 'body.code', message: 'not correct' }],
  });
}

/** Check a code against the account's secret, throttled like a password. */
async function checkCode(ctx: RequestContext, accountId: string, secret: string | null, code: string): Promise<void> {
  await refuseWhenThrottled(ctx, accountId);
  if (!secret || !verifyTotp(secret, code)) await refuseWrongCode(ctx, accountId);
}

const RECOVERY_CODE_COUNT = 10;
/** Lower-case letters and digits without the look-alikes i, l, o, 0 and 1. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A recovery code as typed: case, spaces and the dash do not matter. */
function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * Ten new single-use recovery codes for an account, replacing any earlier set; stored as HMACs,
 * returned once as `xxxxx-xxxxx` (about 50 bits each; attempts are throttled like app codes).
 */
async function issueRecoveryCodes(ctx: RequestContext, tx: Tx, accountId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await tx.db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await tx.db
    .insertInto('recovery_codes')
    .values(
      codes.map((code) => ({
        code_hash: tokenHash(ctx.config.sessionSecret, normaliseRecoveryCode(code)),
        account_id: accountId,
      })),
    )
    .execute();
  return codes;
}

/** Replace the waiting session by an active one (a new token, so a session id never gains rights). */
async function promoteSession(ctx: RequestContext, tx: Tx, sessionId: string, accountId: string) {
  await tx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  const created = await createSession(tx.db, ctx.config, accountId, 'active');
  ctx.setSessionCookie(created.token, ctx.config.sessionMaxHours * 3600);
  return created;
}

async function signedIn(
  ctx: RequestContext,
  token: string,
  csrfToken: string,
  recovery: { recoveryCodes?: string[]; recoveryCodesLeft?: number } = {},
) {
  const loaded = await loadSession(ctx.deps.database.db, ctx.config, token);
  if (!loaded) throw new Error('session vanished right after sign-in');
  return { status: 'signed_in' as const, csrfToken, actor: loaded.actor, ...recovery };
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
  const { created, recoveryCodes } = await ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ totp_enabled_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', actor.accountId)
      .execute();
    const recoveryCodes = await issueRecoveryCodes(ctx, tx, actor.accountId);
    await tx.audit({ action: 'auth.second_factor.enrolled' });
    const created =
      session.stage === 'second_factor' ? await promoteSession(ctx, tx, session.id, actor.accountId) : null;
    return { created, recoveryCodes };
  });
  const token = created?.token ?? ctx.reply.request.cookies.kring_session ?? '';
  return signedIn(ctx, token, created?.session.csrfToken ?? session.csrfToken, { recoveryCodes });
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
  return ctx.transaction(async (tx) => {
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
    const recoveryCodes = await issueRecoveryCodes(ctx, tx, row.account_id);
    await tx.audit({ action: 'auth.second_factor.enrolled' }, { ...ctx.auditSource, accountId: row.account_id });
    return { ok: true as const, recoveryCodes };
  });
}

/**
 * The second sign-in step with a recovery code instead of the app (a lost or broken phone). Each
 * code works once; the answer says how many are left, so the person can make new ones in time.
 */
export async function verifyRecoveryCode(ctx: RequestContext, code: string) {
  const { session, actor } = requireSession(ctx);
  if (session.stage !== 'second_factor' || !actor.secondFactorEnabled) {
    throw new AppError('FORBIDDEN', 'This session does not wait for a second-factor code.');
  }
  await refuseWhenThrottled(ctx, actor.accountId);
  const codeHash = tokenHash(ctx.config.sessionSecret, normaliseRecoveryCode(code));
  const result = await ctx.transaction(async (tx) => {
    const used = await tx.db
      .updateTable('recovery_codes')
      .set({ used_at: new Date() })
      .where('code_hash', '=', codeHash)
      .where('account_id', '=', actor.accountId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n) return null;
    const left = await tx.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('account_id', '=', actor.accountId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    const promoted = await promoteSession(ctx, tx, session.id, actor.accountId);
    await tx.db.deleteFrom('login_throttle').where('key', '=', `second_factor:${actor.accountId}`).execute();
    const recoveryCodesLeft = Number(left.count);
    await tx.audit({ action: 'auth.login', details: { secondFactor: 'recovery_code', recoveryCodesLeft } });
    return { promoted, recoveryCodesLeft };
  });
  if (!result) return refuseWrongCode(ctx, actor.accountId);
  return signedIn(ctx, result.promoted.token, result.promoted.session.csrfToken, {
    recoveryCodesLeft: result.recoveryCodesLeft,
  });
}

/** New recovery codes for the signed-in professional; the old set stops working. */
export async function renewRecoveryCodes(ctx: RequestContext) {
  const { session, actor } = requireSession(ctx);
  if (session.stage !== 'active' || !actor.secondFactorEnabled) {
    throw new AppError('FORBIDDEN', 'Connect an authenticator app first.', {
      refusal: { action: 'auth.recovery_codes.renewed' },
    });
  }
  return ctx.transaction(async (tx) => {
    const recoveryCodes = await issueRecoveryCodes(ctx, tx, actor.accountId);
    await tx.audit({ action: 'auth.recovery_codes.renewed' });
    return { recoveryCodes };
  });
}

/** How many unused recovery codes the signed-in person has (their own account: not audited). */
export async function recoveryCodesLeft(ctx: RequestContext) {
  const { actor } = requireSession(ctx);
  const row = await ctx.deps.database.db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', actor.accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { recoveryCodesLeft: Number(row.count) };
}

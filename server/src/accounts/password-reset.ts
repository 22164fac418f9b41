import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { deliverMail, queueMail } from '../mail/mailer.ts';
import { lockedUntil, recordFailure, throttleKeys } from './login-throttle.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.ts';
import { randomToken, tokenHash } from './tokens.ts';

const RESET_MINUTES = 60;

export const ResetRequestInput = z.strictObject({ email: z.email().max(200) });
export const ResetConfirmInput = z.strictObject({
  token: z.string().min(20).max(200),
  password: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH),
});

/** At most one reset mail per address in this many minutes (more requests get the same answer). */
const RESET_MAIL_INTERVAL_MINUTES = 5;

/**
 * Ask for a new password: the answer is the same, and comes as fast, whether or not the address
 * has an account — the lookup and the mail happen after the answer. When it has one (and is
 * active), a one-time link valid for an hour goes to that address, at most once per few minutes.
 * Requests are throttled per address and per client address like sign-in (429), known or not.
 */
export async function requestPasswordReset(ctx: RequestContext, input: z.infer<typeof ResetRequestInput>) {
  const email = input.email.trim().toLowerCase();
  const db = ctx.deps.database.db;
  const keys = throttleKeys(ctx.config, email, ctx.clientAddress, 'reset');
  const locked = await lockedUntil(db, keys);
  if (locked) {
    await ctx.auditAlone({
      action: 'auth.password_reset_requested',
      outcome: 'refused',
      details: { reason: 'throttled' },
    });
    throw new AppError('TOO_MANY_ATTEMPTS', 'Too many requests. Try again later.', {
      data: { retryAfterSeconds: Math.ceil((locked.getTime() - Date.now()) / 1000) },
    });
  }
  await recordFailure(db, ctx.config, keys);
  // After the answer: its time tells nothing about the address.
  setImmediate(() => {
    sendResetLink(ctx, email).catch((error: unknown) =>
      console.error(`password reset deferred: ${(error as Error).name}`),
    );
  });
  return { ok: true as const };
}

async function sendResetLink(ctx: RequestContext, email: string) {
  const account = await ctx.deps.database.db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'language', 'organisation_id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .where('active', '=', true)
    .executeTakeFirst();
  if (!account) {
    await ctx.auditAlone({
      action: 'auth.password_reset_requested',
      outcome: 'failed',
      details: { reason: 'unknown' },
    });
    return;
  }
  const recent = await ctx.deps.database.db
    .selectFrom('one_time_tokens')
    .select('token_hash')
    .where('account_id', '=', account.id)
    .where('purpose', '=', 'password_reset')
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date(Date.now() + (RESET_MINUTES - RESET_MAIL_INTERVAL_MINUTES) * 60_000))
    .executeTakeFirst();
  const token = randomToken();
  await ctx.transaction(async (tx) => {
    if (!recent) {
      await tx.db
        .insertInto('one_time_tokens')
        .values({
          token_hash: tokenHash(ctx.config.sessionSecret, token),
          account_id: account.id,
          purpose: 'password_reset',
          expires_at: new Date(Date.now() + RESET_MINUTES * 60_000),
        })
        .execute();
      await queueMail(tx.db, ctx.config, {
        to: email,
        template: 'password_reset',
        language: account.language,
        params: { name: account.display_name, link: `${ctx.config.publicUrl}/wachtwoord#${token}` },
      });
    }
    await tx.audit(
      {
        action: 'auth.password_reset_requested',
        recordType: 'account',
        recordId: account.id,
        ...(recent ? { details: { mailed: false, reason: 'a link was mailed a few minutes ago' } } : {}),
      },
      { ...ctx.auditSource, accountId: account.id, organisationId: account.organisation_id },
    );
  });
  if (!recent) await deliverMail(ctx.deps.database.db, ctx.config);
}

/** Choose the new password from the link: used once; every session of the account ends. */
export async function confirmPasswordReset(ctx: RequestContext, input: z.infer<typeof ResetConfirmInput>) {
  const hash = tokenHash(ctx.config.sessionSecret, input.token);
  const invalid = () => new AppError('TOKEN_INVALID', 'This link is unknown, used or expired.');
  const row = await ctx.deps.database.db
    .selectFrom('one_time_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.account_id', 't.expires_at', 't.used_at', 'a.active', 'a.organisation_id'])
    .where('t.token_hash', '=', hash)
    .where('t.purpose', '=', 'password_reset')
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now() || !row.active) throw invalid();
  const passwordHash = await hashPassword(input.password);
  await ctx.transaction(async (tx) => {
    const used = await tx.db
      .updateTable('one_time_tokens')
      .set({ used_at: new Date() })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw invalid();
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ password_hash: passwordHash, version: eb('version', '+', 1) }))
      .where('id', '=', row.account_id)
      .execute();
    await tx.db.deleteFrom('sessions').where('account_id', '=', row.account_id).execute();
    await tx.audit(
      { action: 'auth.password_reset', recordType: 'account', recordId: row.account_id },
      { ...ctx.auditSource, accountId: row.account_id, organisationId: row.organisation_id },
    );
  });
  return { ok: true as const };
}

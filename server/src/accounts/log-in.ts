import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { LoginResponse } from './account.types.ts';
import { clearAccountFailures, lockedUntil, recordFailure, throttleKeys } from './login-throttle.ts';
import { verifyPassword } from './password.ts';
import { createSession, loadSession } from './sessions.ts';

/**
 * Check e-mail and password and start a session. A wrong e-mail and a wrong password get the same
 * answer in the same time; repeated failures lock the e-mail and the address for a while (429).
 * Where a second factor applies, the session waits for it and can do nothing else.
 */
export async function logIn(ctx: RequestContext, input: { email: string; password: string }): Promise<LoginResponse> {
  const { db } = ctx.deps.database;
  const keys = throttleKeys(ctx.config, input.email, ctx.clientAddress);
  const email = input.email.trim().toLowerCase();

  const locked = await lockedUntil(db, keys);
  if (locked) {
    await ctx.auditAlone({ action: 'auth.login', outcome: 'refused', details: { reason: 'throttled' } });
    throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed attempts. Try again later.', {
      data: { retryAfterSeconds: Math.ceil((locked.getTime() - Date.now()) / 1000) },
    });
  }

  const account = await db
    .selectFrom('accounts')
    .select(['id', 'kind', 'password_hash', 'active', 'totp_enabled_at', 'organisation_id', 'discipline'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  const passwordOk = await verifyPassword(account?.password_hash, input.password);
  if (!account?.active || !passwordOk) {
    await db.transaction().execute(async (tx) => {
      await recordFailure(tx, ctx.config, keys);
    });
    // The account id is recorded when it exists (for the organisation's own review), never returned.
    await ctx.auditAlone(
      { action: 'auth.login', outcome: 'failed', details: { reason: account ? 'bad_password' : 'unknown_account' } },
      { ...ctx.auditSource, accountId: account?.id ?? null, organisationId: account?.organisation_id ?? null },
    );
    throw new AppError('INVALID_CREDENTIALS', 'E-mail address or password is incorrect.');
  }

  const needsSecondFactor =
    account.totp_enabled_at !== null || (ctx.config.requireTwoFactor && account.kind !== 'parent');
  const { token, session } = await ctx.transaction(async (tx) => {
    await clearAccountFailures(tx.db, keys);
    const created = await createSession(tx.db, ctx.config, account.id, needsSecondFactor ? 'second_factor' : 'active');
    await tx.audit(
      {
        action: needsSecondFactor ? 'auth.login.password' : 'auth.login',
        details: { secondFactor: needsSecondFactor },
      },
      {
        ...ctx.auditSource,
        accountId: account.id,
        organisationId: account.organisation_id,
        role: account.discipline ?? account.kind,
      },
    );
    return created;
  });
  ctx.setSessionCookie(token, ctx.config.sessionMaxHours * 3600);

  if (needsSecondFactor) {
    const status = account.totp_enabled_at ? 'second_factor_required' : 'second_factor_enrolment_required';
    return { status, csrfToken: session.csrfToken };
  }
  const loaded = await loadSession(db, ctx.config, token);
  if (!loaded) throw new Error('session vanished right after login');
  return { status: 'signed_in', csrfToken: session.csrfToken, actor: loaded.actor };
}

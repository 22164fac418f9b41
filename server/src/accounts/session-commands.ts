import type { Actor } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';

/** End the session (audited) and clear its cookie. */
export async function logOut(ctx: RequestContext) {
  const session = ctx.session;
  if (!session) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  await ctx.transaction(async (tx) => {
    await tx.db.deleteFrom('sessions').where('id', '=', session.id).execute();
    await tx.audit({ action: 'auth.logout' });
  });
  ctx.clearSessionCookie();
  return { ok: true as const };
}

/** Remember the actor's interface language in their account. */
export async function setLanguage(ctx: RequestContext, language: 'nl' | 'en'): Promise<Actor> {
  const actor = ctx.access.actor;
  await ctx.deps.database.db.updateTable('accounts').set({ language }).where('id', '=', actor.accountId).execute();
  return { ...actor, language };
}

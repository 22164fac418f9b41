import type { Actor } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { isProfessionalLanguage, type Language } from './languages.ts';

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

/**
 * Remember the actor's interface language in their account. Arabic, Turkish, Polish and Ukrainian
 * are for the parents' Kring only: the professionals' pages are in Dutch and English.
 */
export async function setLanguage(ctx: RequestContext, language: Language): Promise<Actor> {
  const actor = ctx.access.actor;
  if (actor.kind !== 'parent' && !isProfessionalLanguage(language)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid language.', {
      fields: [{ field: 'body.language', message: 'only the parents’ Kring speaks this language' }],
    });
  }
  await ctx.deps.database.db.updateTable('accounts').set({ language }).where('id', '=', actor.accountId).execute();
  return { ...actor, language };
}

import { familyReader } from '../access/family-audience.ts';
import { regiehouderOf } from '../consent/overrides.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { portalPaused } from '../safety/safety-measures.ts';

/**
 * The one rule of the parents' own Kring: a parent's family and person come from their account's
 * link (parent_links), never from the request. Refused (404, audited) when the account has none,
 * and (403 ACCOUNT_PAUSED, audited) while a safety measure pauses it.
 */
export async function parentLink(ctx: RequestContext, tx: Tx, action: string) {
  ctx.access.requireRole('portal.read');
  const link = await tx.db
    .selectFrom('parent_links')
    .select(['family_id', 'person_id'])
    .where('account_id', '=', ctx.access.actor.accountId)
    .executeTakeFirst();
  if (!link) throw new AppError('NOT_FOUND', 'Your account is not linked to a family yet.', { refusal: { action } });
  // A safety measure: nothing more than that the account is paused (safety/safety-measures.ts).
  if (await portalPaused(tx, link.person_id)) {
    throw new AppError('ACCOUNT_PAUSED', 'Your account is paused. Please contact your care provider.', {
      refusal: { action, familyId: link.family_id, recordType: 'safety_measure' },
    });
  }
  return { familyId: link.family_id, personId: link.person_id };
}

/** The parent's link with what the family rule needs to know of them (access/family-audience.ts). */
export async function portalReader(ctx: RequestContext, tx: Tx, action: string) {
  const link = await parentLink(ctx, tx, action);
  return { ...link, reader: await familyReader(tx.db, link.familyId, link.personId) };
}

/** The organisation that answers the parents: the regiehouder's, or else the one that registered them. */
export async function mainContactOf(tx: Tx, familyId: string) {
  const regie = await regiehouderOf(tx.db, familyId);
  if (regie) return { accountId: regie.account_id, organisationId: regie.organisation_id };
  const family = await tx.db
    .selectFrom('families')
    .select('registered_by_organisation_id')
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  return { accountId: null, organisationId: family.registered_by_organisation_id };
}

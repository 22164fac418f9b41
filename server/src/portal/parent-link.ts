import { sql } from 'kysely';
import { readerFactColumns, readerFrom } from '../access/family-audience.ts';
import { regiehouderOf } from '../consent/overrides.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';

/**
 * The one rule of the parents' own Kring: a parent's family and person come from their account's
 * link (parent_links), never from the request. Refused (404, audited) when the account has none,
 * and (403 ACCOUNT_PAUSED, audited) while a safety measure pauses it (safety/safety-measures.ts:
 * nothing more than that the account is paused). With `reader`, the same query brings what the
 * family rule needs to know of them (access/family-audience.ts).
 */
async function linkOf(ctx: RequestContext, tx: Tx, action: string) {
  ctx.access.requireRole('portal.read');
  const link = await tx.db
    .selectFrom('parent_links as pl')
    .select(['pl.family_id', 'pl.person_id'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('safety_measures as sm')
            .select('sm.id')
            .whereRef('sm.person_id', '=', 'pl.person_id')
            .where('sm.kind', '=', 'portal_paused')
            .where('sm.ended_at', 'is', null),
        )
        .as('paused'),
    )
    .select(readerFactColumns(sql.ref('pl.family_id'), sql.ref('pl.person_id')))
    .where('pl.account_id', '=', ctx.access.actor.accountId)
    .executeTakeFirst();
  if (!link) throw new AppError('NOT_FOUND', 'Your account is not linked to a family yet.', { refusal: { action } });
  if (link.paused) {
    throw new AppError('ACCOUNT_PAUSED', 'Your account is paused. Please contact your care provider.', {
      refusal: { action, familyId: link.family_id, recordType: 'safety_measure' },
    });
  }
  return link;
}

/** The parent's family and person. */
export async function parentLink(ctx: RequestContext, tx: Tx, action: string) {
  const link = await linkOf(ctx, tx, action);
  return { familyId: link.family_id, personId: link.person_id };
}

/** The parent's family and person, and what the family rule needs to know of them. */
export async function portalReader(ctx: RequestContext, tx: Tx, action: string) {
  const link = await linkOf(ctx, tx, action);
  return {
    familyId: link.family_id,
    personId: link.person_id,
    reader: readerFrom(link.family_id, link.person_id, link),
  };
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

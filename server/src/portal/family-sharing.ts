import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ADULT_ROLES, personOrder } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';

/**
 * A parent's consent to show what is recorded about them (and, for the pregnant person, about the
 * unborn child) to another adult of the family — the only way an adult's entry reaches the other
 * adult (access/family-audience.ts; WGBO 7:457: the other parent is a third party). Given and
 * withdrawn by the parent themselves in the portal; counts at once. Never for the safety class.
 */

export const FamilySharingInput = z.strictObject({ toPersonId: z.uuid(), shared: z.boolean() });

/** The other adults of the family, and whether this parent shows them what is about them. */
export async function familySharingOf(tx: Tx, link: { familyId: string; personId: string }) {
  const others = await tx.db
    .selectFrom('persons as p')
    .leftJoin('family_sharing as f', (join) =>
      join.onRef('f.to_person_id', '=', 'p.id').on('f.person_id', '=', link.personId).on('f.withdrawn_at', 'is', null),
    )
    .select(['p.id', 'p.given_name', 'f.id as sharing_id'])
    .where('p.family_id', '=', link.familyId)
    .where('p.id', '<>', link.personId)
    .where('p.role', 'in', [...ADULT_ROLES])
    .orderBy(personOrder('p'))
    .execute();
  return others.map((o) => ({ personId: o.id, givenName: o.given_name, shared: o.sharing_id !== null }));
}

/** Show (or stop showing) what is recorded about this parent to another adult of the family. */
export async function changeFamilySharing(ctx: RequestContext, input: z.infer<typeof FamilySharingInput>) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.consent');
    const current = (await familySharingOf(tx, link)).find((o) => o.personId === input.toPersonId);
    if (!current) {
      throw new AppError('VALIDATION_FAILED', 'Invalid request.', {
        fields: [{ field: 'body.toPersonId', message: 'not another adult of your family' }],
      });
    }
    if (current.shared !== input.shared) {
      if (input.shared) {
        await tx.db
          .insertInto('family_sharing')
          .values({
            id: randomUUID(),
            family_id: link.familyId,
            person_id: link.personId,
            to_person_id: input.toPersonId,
            given_how: 'portal',
            recorded_by_account_id: ctx.access.actor.accountId,
          })
          .execute();
      } else {
        await tx.db
          .updateTable('family_sharing')
          .set({ withdrawn_at: new Date() })
          .where('person_id', '=', link.personId)
          .where('to_person_id', '=', input.toPersonId)
          .where('withdrawn_at', 'is', null)
          .execute();
      }
      // Recorded against this parent's own person: the other adult's "who looked" does not show it.
      await tx.audit({
        action: input.shared ? 'portal.family_sharing_given' : 'portal.family_sharing_withdrawn',
        familyId: link.familyId,
        recordType: 'person',
        recordId: link.personId,
      });
    }
    return { familySharing: await familySharingOf(tx, link) };
  });
}

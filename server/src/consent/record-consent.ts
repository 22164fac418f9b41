import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ADULT_ROLES, CONSENT_CATEGORIES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen } from '../families/family-guards.ts';
import { loadVisibleFamily } from '../families/open-family-record.ts';
import type { RequestContext } from '../http/context.ts';

export const RecordConsentInput = z.discriminatedUnion('purpose', [
  z.strictObject({
    purpose: z.literal('share'),
    personId: z.uuid(),
    organisationId: z.uuid(),
    categories: z.array(z.enum(CONSENT_CATEGORIES)).min(1).max(3),
    givenHow: z.enum(['verbal', 'written']),
  }),
  z.strictObject({
    purpose: z.enum(['own_history', 'municipal_figures']),
    personId: z.uuid(),
    givenHow: z.enum(['verbal', 'written']),
  }),
]);
export type RecordConsentInput = z.infer<typeof RecordConsentInput>;

/** Record consent a parent gave (as told to the professional): only adults give it, for themselves and as gezag-holder. */
export async function recordConsent(ctx: RequestContext, familyId: string, input: RecordConsentInput) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family, persons, consents } = await loadVisibleFamily(tx.db, access, familyId, 'family.write');
    requireOpen(family);
    const person = persons.find((p) => p.id === input.personId);
    if (!person || !(ADULT_ROLES as readonly string[]).includes(person.role)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid consent.', {
        fields: [{ field: 'body.personId', message: 'not an adult of this family' }],
      });
    }
    const rows =
      input.purpose === 'share'
        ? input.categories
            .filter(
              (category) =>
                !consents.some(
                  (c) =>
                    c.person_id === person.id && c.organisation_id === input.organisationId && c.category === category,
                ),
            )
            .map((category) => ({ organisation_id: input.organisationId, category }))
        : consents.some((c) => c.person_id === person.id && c.purpose === input.purpose)
          ? []
          : [{ organisation_id: null, category: null }];
    if (input.purpose === 'share') {
      const organisation = await tx.db
        .selectFrom('organisations')
        .select('id')
        .where('id', '=', input.organisationId)
        .executeTakeFirst();
      if (!organisation) {
        throw new AppError('VALIDATION_FAILED', 'Invalid consent.', {
          fields: [{ field: 'body.organisationId', message: 'unknown organisation' }],
        });
      }
    }
    const ids: string[] = [];
    for (const row of rows) {
      const id = randomUUID();
      ids.push(id);
      await tx.db
        .insertInto('consents')
        .values({
          id,
          family_id: familyId,
          person_id: person.id,
          purpose: input.purpose,
          organisation_id: row.organisation_id,
          category: row.category,
          given_how: input.givenHow,
          recorded_by_account_id: access.actor.accountId,
        })
        .execute();
      await tx.audit({ action: 'consent.record', familyId, recordType: 'consent', recordId: id });
    }
    return { consentIds: ids };
  });
}

/** Withdraw a consent: it counts no more for any later access, at once. */
export async function withdrawConsent(ctx: RequestContext, familyId: string, consentId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await loadVisibleFamily(tx.db, access, familyId, 'family.write');
    const result = await tx.db
      .updateTable('consents')
      .set({ withdrawn_at: new Date(), withdrawn_by_account_id: access.actor.accountId })
      .where('id', '=', consentId)
      .where('family_id', '=', familyId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('NOT_FOUND', 'Not found.');
    await tx.audit({ action: 'consent.withdraw', familyId, recordType: 'consent', recordId: consentId });
    return { ok: true as const };
  });
}

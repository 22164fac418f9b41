import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ADULT_ROLES, CONSENT_CATEGORIES, type ConsentCategory } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen } from '../families/family-guards.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { type ConsentPerson, consentFor, everyoneWhoConsents } from './consent-rules.ts';

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
    const { family, persons, consents } = await tx.families.open(familyId, 'family.write');
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

export const OrganisationConsentInput = z.strictObject({
  categories: z.array(z.enum(CONSENT_CATEGORIES)).max(3),
  givenHow: z.enum(['verbal', 'written']),
  /** Who gave it (persons of the family whose consent counts); everyone whose consent counts when left out. */
  consentedBy: z.array(z.uuid()).min(1).max(10).optional(),
});

/**
 * The parents' explicit consent for an organisation joining the team (a handover, an accepted
 * request to join), recorded in the same step: for the chosen categories, for everyone whose
 * consent counts for the family or any member. Refused unless the family-level consent is then
 * complete for at least one category. Returns the number of consent entries written.
 */
export async function grantOrganisationConsent(
  tx: Tx,
  actorAccountId: string,
  family: {
    familyId: string;
    persons: ConsentPerson[];
    consents: {
      person_id: string;
      purpose: string;
      organisation_id: string | null;
      category: string | null;
      withdrawn_at?: unknown;
    }[];
  },
  organisationId: string,
  consent: z.infer<typeof OrganisationConsentInput>,
  /** Where the input's fields sit in the request (for the error's field name). */
  field: { categories: string; consentedBy: string } = {
    categories: 'body.consent.categories',
    consentedBy: 'body.consent.consentedBy',
  },
): Promise<{ personId: string; organisationId: string; category: ConsentCategory }[]> {
  const today = todayIso();
  const given = family.consents
    .filter((c) => c.purpose === 'share' && c.organisation_id === organisationId && c.category)
    .map((c) => ({ personId: c.person_id, organisationId, category: c.category as ConsentCategory }));
  const counting = everyoneWhoConsents(family.persons, today);
  const consentedBy = consent.consentedBy;
  if (consentedBy?.some((id) => !counting.some((p) => p.id === id))) {
    throw new AppError('VALIDATION_FAILED', 'Only a person whose consent counts can give it.', {
      fields: [{ field: field.consentedBy, message: 'not a person whose consent counts for this family' }],
    });
  }
  const givers = consentedBy ? counting.filter((p) => consentedBy.includes(p.id)) : counting;
  const added = givers.flatMap((person) =>
    consent.categories
      .filter((category) => !given.some((g) => g.personId === person.id && g.category === category))
      .map((category) => ({ personId: person.id, organisationId, category })),
  );
  const after = consentFor(organisationId, family.persons, [...given, ...added], CONSENT_CATEGORIES, { today });
  if (!after.some((c) => c.complete)) {
    const missing = [
      ...new Set(after.filter((c) => consent.categories.includes(c.category)).flatMap((c) => c.missing)),
    ];
    throw new AppError('VALIDATION_FAILED', 'The parents have not consented to sharing with this organisation.', {
      fields: [
        consentedBy
          ? { field: field.consentedBy, message: 'someone whose consent counts has not given it' }
          : { field: field.categories, message: 'consent for at least one category is needed' },
      ],
      data: { missing: missing.map((personId) => ({ personId })) },
    });
  }
  if (added.length) {
    await tx.db
      .insertInto('consents')
      .values(
        added.map((n) => ({
          id: randomUUID(),
          family_id: family.familyId,
          person_id: n.personId,
          purpose: 'share' as const,
          organisation_id: organisationId,
          category: n.category,
          given_how: consent.givenHow,
          recorded_by_account_id: actorAccountId,
        })),
      )
      .execute();
  }
  return added;
}

/** Withdraw a consent: it counts no more for any later access, at once. */
export async function withdrawConsent(ctx: RequestContext, familyId: string, consentId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.write');
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

/** 403 CONSENT_REQUIRED unless, for each category, everyone whose consent counts for the family agreed. */
export function requireSharingConsent(
  family: {
    id: string;
    persons: ConsentPerson[];
    consents: { purpose: string; person_id: string; organisation_id: string | null; category: string | null }[];
  },
  organisationId: string,
  categories: readonly ConsentCategory[],
  action: string,
): void {
  const given = family.consents
    .filter((c) => c.purpose === 'share' && c.organisation_id === organisationId && c.category)
    .map((c) => ({ personId: c.person_id, organisationId, category: c.category as ConsentCategory }));
  const persons = family.persons;
  const missing = consentFor(organisationId, persons, given, categories, { today: todayIso() }).flatMap((c) =>
    c.missing.map((personId) => ({
      personId,
      role: persons.find((p) => p.id === personId)?.role ?? null,
      category: c.category,
    })),
  );
  if (missing.length) {
    throw new AppError(
      'CONSENT_REQUIRED',
      `The parents have not consented to sharing ${[...new Set(missing.map((m) => m.category))].join(', ')} information with this organisation.`,
      {
        data: { missing },
        refusal: { action, familyId: family.id, recordType: 'organisation', recordId: organisationId },
      },
    );
  }
}

import { sql } from 'kysely';
import { z } from 'zod';
import {
  AUDIENCE_TABLES,
  type AudienceRecordType,
  audienceDecisionFaults,
  audienceEntry,
  audienceOf,
  isSafetyCode,
  ParentsAudienceInput,
} from '../access/family-audience.ts';
import { ADULT_ROLES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { requireOpen } from './family-guards.ts';

/**
 * Who in the family sees an entry in the parents' Kring, for the professional: the answer a form
 * shows before saving, and a decision on an entry already recorded (narrow it, or — for a safety
 * entry about the family — show it to named adults), always with a reason, audited. The rule is
 * access/family-audience.ts; this only asks it and records decisions.
 */

export const AudiencePreviewParams = z.strictObject({ familyId: z.uuid() });
export const AudiencePreviewQuery = z.strictObject({
  concernsPersonId: z.uuid().optional(),
  /** A signal code: its class (safety or not) counts. */
  code: z.string().trim().max(60).optional(),
});
const PersonRef = z.object({ personId: z.uuid(), givenName: z.string().nullable() });
export const AudiencePreview = z.object({
  /** Who sees it as the rule says, without a decision. */
  byRule: z.array(PersonRef),
  /** Who a professional may name (a decision narrows to them, or for a safety entry shows it to them). */
  mayBeNamed: z.array(PersonRef),
  safety: z.boolean(),
});

/** "Who in the family will see this" for an entry about this person (or the family), with this code. */
export async function previewParentsAudience(
  ctx: RequestContext,
  familyId: string,
  query: z.infer<typeof AudiencePreviewQuery>,
) {
  return ctx.transaction(async (tx) => {
    const family = await tx.families.open(familyId, 'family.write');
    if (query.concernsPersonId && !family.persons.some((p) => p.id === query.concernsPersonId)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid request.', {
        fields: [{ field: 'query.concernsPersonId', message: 'not a person of this family' }],
      });
    }
    const entry = {
      concernsPersonId: query.concernsPersonId ?? null,
      safety: query.code ? isSafetyCode(query.code) : false,
    };
    const adults = family.persons.filter((p) => (ADULT_ROLES as readonly string[]).includes(p.role)).map((p) => p.id);
    const [byRule, mayBeNamed] = await Promise.all([
      audienceOf(tx.db, familyId, { ...entry, audience: null }),
      audienceOf(tx.db, familyId, { ...entry, audience: adults }),
    ]);
    // The answer names members of the family: a read of family data, audited like any other.
    await tx.audit({ action: 'family.parents_audience_preview', familyId, recordType: 'family', recordId: familyId });
    return { byRule, mayBeNamed, safety: entry.safety };
  });
}

export const ParentsAudienceParams = z.strictObject({
  familyId: z.uuid(),
  recordType: z.enum(Object.keys(AUDIENCE_TABLES) as [AudienceRecordType, ...AudienceRecordType[]]),
  recordId: z.uuid(),
});
export const SetParentsAudienceInput = z.strictObject({
  /** At most these adults (empty: no parent), or null: as the rule says. */
  persons: ParentsAudienceInput.shape.persons.nullable(),
  reason: ParentsAudienceInput.shape.reason,
});

/**
 * Decide who in the family sees an entry: any professional of the team who may read it may decide
 * (narrowing is always allowed, PRODUCT.md point 10); the persons named must be ones the rule lets
 * see it. The decision, its reason and who made it are kept on the entry and audited.
 */
export async function setParentsAudience(
  ctx: RequestContext,
  params: z.infer<typeof ParentsAudienceParams>,
  input: z.infer<typeof SetParentsAudienceInput>,
) {
  const { familyId, recordType, recordId } = params;
  return ctx.transaction(async (tx) => {
    const family = await tx.families.open(familyId, 'family.write');
    requireOpen(family.family);
    const table = AUDIENCE_TABLES[recordType].table;
    const kind = AUDIENCE_TABLES[recordType];
    const entry = await tx.db
      .selectFrom(`${table} as x` as 'signals as x')
      .select([
        sql<string | null>`${audienceEntry(recordType, 'x').concerns}`.as('concerns_person_id'),
        sql<boolean>`${kind.safety('x')}`.as('safety'),
        sql<string>`${recordType === 'referral' ? sql`x.from_organisation_id` : sql`x.organisation_id`}`.as(
          'organisation_id',
        ),
        sql<string | null>`${recordType === 'referral' ? sql`null` : sql`x.category`}`.as('category'),
      ])
      .where('x.id', '=', recordId)
      .where('x.family_id', '=', familyId)
      .executeTakeFirst();
    const readable =
      entry &&
      (recordType === 'referral' ||
        family.mayRead({
          organisation_id: entry.organisation_id,
          category: entry.category as 'medical',
          concerns_person_id: entry.concerns_person_id,
        }));
    if (!entry || !readable) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'family.parents_audience', familyId, recordType, recordId },
      });
    }
    const fields = await audienceDecisionFaults(
      tx.db,
      familyId,
      { concernsPersonId: entry.concerns_person_id, safety: entry.safety },
      input.persons,
      'body',
    );
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid request.', { fields });
    await tx.db
      .updateTable(table as 'signals')
      .set({
        parents_audience: input.persons,
        parents_audience_reason: input.reason,
        parents_audience_by_account_id: ctx.access.actor.accountId,
      })
      .where('id', '=', recordId)
      .execute();
    // A decision is what the review task after the move to this rule asked for.
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('family_id', '=', familyId)
      .where('kind', '=', 'parents_audience_review')
      .where('status', '=', 'open')
      .execute();
    await tx.audit({
      action: 'family.parents_audience',
      familyId,
      recordType,
      recordId,
      details: { persons: input.persons?.length ?? null },
    });
    return { ok: true as const };
  });
}

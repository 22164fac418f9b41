import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { audienceColumns, audienceDecisionFaults, ParentsAudienceInput } from '../access/family-audience.ts';
import { CONSENT_CATEGORIES, CONTACT_KINDS } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { IsoDate } from '../families/family.types.ts';
import { requireFamilyPersons, requireOpen } from '../families/family-guards.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext } from '../http/context.ts';

export const RecordContactInput = z.strictObject({
  occurredOn: IsoDate,
  kind: z.enum(CONTACT_KINDS),
  trajectoryId: z.uuid().nullable().default(null),
  /** Whom the contact concerns: a person of the family, or null for the family as a whole. */
  concernsPersonId: z.uuid().nullable().default(null),
  presentPersonIds: z.array(z.uuid()).max(12).default([]),
  othersPresent: z.string().trim().max(200).optional(),
  /** An interpreter was there (the family's interpreter need is on the record). */
  interpreterUsed: z.boolean().default(false),
  note: z.string().trim().max(4000).optional(),
  /** The owner's choice; a stricter category narrows who may read it. */
  category: z.enum(CONSENT_CATEGORIES).default('medical'),
  /** Who in the family sees it in the parents' Kring, if not as the rule says (access/family-audience.ts). */
  parentsAudience: ParentsAudienceInput.optional(),
});

/** Record a contact moment; it is owned by the actor's organisation and appears on the timeline. */
export async function recordContact(ctx: RequestContext, familyId: string, input: z.infer<typeof RecordContactInput>) {
  const access = ctx.access;
  if (input.occurredOn > todayIso()) {
    throw new AppError('VALIDATION_FAILED', 'Invalid contact.', {
      fields: [{ field: 'body.occurredOn', message: 'must not be in the future' }],
    });
  }
  return ctx.transaction(async (tx) => {
    const { family } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    await requireFamilyPersons(tx.db, familyId, input.presentPersonIds, 'body.presentPersonIds');
    if (input.concernsPersonId) {
      await requireFamilyPersons(tx.db, familyId, [input.concernsPersonId], 'body.concernsPersonId');
    }
    if (input.trajectoryId) {
      const trajectory = await tx.db
        .selectFrom('trajectories')
        .select('id')
        .where('id', '=', input.trajectoryId)
        .where('family_id', '=', familyId)
        .executeTakeFirst();
      if (!trajectory) {
        throw new AppError('VALIDATION_FAILED', 'Unknown trajectory.', {
          fields: [{ field: 'body.trajectoryId', message: 'not a trajectory of this family' }],
        });
      }
    }
    const fields = await audienceDecisionFaults(
      tx.db,
      familyId,
      { concernsPersonId: input.concernsPersonId, safety: false },
      input.parentsAudience?.persons ?? null,
      'body.parentsAudience',
    );
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid contact.', { fields });
    const id = randomUUID();
    await tx.db
      .insertInto('contacts')
      .values({
        id,
        family_id: familyId,
        trajectory_id: input.trajectoryId,
        concerns_person_id: input.concernsPersonId,
        organisation_id: access.organisationId,
        account_id: access.actor.accountId,
        occurred_on: input.occurredOn,
        kind: input.kind,
        present_person_ids: input.presentPersonIds,
        others_present: input.othersPresent ?? null,
        interpreter_used: input.interpreterUsed,
        note: input.note ?? null,
        category: input.category,
        ...audienceColumns(input.parentsAudience, access.actor.accountId),
      })
      .execute();
    await tx.audit({ action: 'contact.record', familyId, recordType: 'contact', recordId: id });
    return { contactId: id };
  });
}

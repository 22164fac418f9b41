import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { IsoDate } from './family.types.ts';
import { requireOpen, requireVersion } from './family-guards.ts';
import { todayIso } from './trajectory.ts';

export const ProtectionMeasureInput = z.strictObject({
  /** 'ots' records a child protection order (ondertoezichtstelling); null records that it ended. */
  measure: z.enum(['ots']).nullable(),
  since: IsoDate.optional(),
  /** The certified institution (gecertificeerde instelling) that carries it out. */
  organisationId: z.uuid().optional(),
  version: z.number().int(),
});

export const PersonParams = z.strictObject({ familyId: z.uuid(), personId: z.uuid() });

/**
 * Record (or end) a child protection order on a child. Parents keep parental authority under an
 * OTS; the institution's family guardian joins the team through a handover with the parents'
 * consent, and is shown there in that legal role.
 */
export async function recordProtectionMeasure(
  ctx: RequestContext,
  familyId: string,
  personId: string,
  input: z.infer<typeof ProtectionMeasureInput>,
) {
  const _access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family, persons } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const child = persons.find((p) => p.id === personId);
    if (child?.role !== 'child' || child.child_status !== 'born') {
      throw new AppError('VALIDATION_FAILED', 'Invalid protection measure.', {
        fields: [{ field: 'params.personId', message: 'not a born child of this family' }],
      });
    }
    requireVersion(child, input.version, {
      version: child.version,
      protectionMeasure: child.protection_measure,
      since: child.protection_measure_since,
    });
    const fields = [];
    if (input.measure) {
      if (!input.since) fields.push({ field: 'body.since', message: 'required' });
      else if (input.since > todayIso()) fields.push({ field: 'body.since', message: 'must not be in the future' });
      else if (child.birth_date && input.since < child.birth_date)
        fields.push({ field: 'body.since', message: 'before the child was born' });
      const institution = input.organisationId
        ? await tx.db
            .selectFrom('organisations')
            .select('type')
            .where('id', '=', input.organisationId)
            .where('active', '=', true)
            .executeTakeFirst()
        : undefined;
      if (institution?.type !== 'gecertificeerde_instelling') {
        fields.push({
          field: 'body.organisationId',
          message: 'not a certified institution (gecertificeerde instelling)',
        });
      }
    }
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid protection measure.', { fields });
    await tx.db
      .updateTable('persons')
      .set((eb) => ({
        protection_measure: input.measure,
        protection_measure_since: input.measure ? (input.since ?? null) : null,
        protection_organisation_id: input.measure ? (input.organisationId ?? null) : null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', personId)
      .execute();
    await tx.audit({
      action: input.measure ? 'person.protection_measure' : 'person.protection_measure_ended',
      familyId,
      recordType: 'person',
      recordId: personId,
    });
    return { ok: true as const };
  });
}

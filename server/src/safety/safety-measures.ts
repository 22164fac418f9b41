import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { regiehouderOf } from '../consent/overrides.ts';
import { ADULT_ROLES, SAFETY_MEASURE_KINDS } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * Safety measures on a family (PRODUCT.md point 10), each recorded with a reason and reviewed by a
 * colleague (four eyes):
 * - a named adult's own Kring paused: their sessions end, and every portal request answers only
 *   "your account is paused" (portal/parent-link.ts) — no screen, mail or list tells them more;
 * - a confidential address for an adult (a parent in a shelter): shown only to the regiehouder's
 *   organisation, the recording organisation and the organisations the regiehouder names — never
 *   to the other adult, in their export, on FHIR or in the figures (none of which read this table).
 * The measures and their audit events never appear in the parents' Kring.
 */

const Reason = z.string().trim().min(5, 'say why (at least 5 characters)').max(2000);

export const SafetyMeasureInput = z.strictObject({
  kind: z.enum(SAFETY_MEASURE_KINDS),
  /** The adult the measure is about (whose account is paused, or whose address is confidential). */
  personId: z.uuid(),
  reason: Reason,
  /** The confidential address itself (required for that kind, refused for the other). */
  address: z.string().trim().min(5, 'the full address').max(300).optional(),
  /** Organisations of the team that may see the confidential address (named by the regiehouder). */
  shownToOrganisationIds: z.array(z.uuid()).max(20).default([]),
});
export const ReviewMeasureInput = z.strictObject({ note: z.string().trim().min(3, 'write what you found').max(2000) });
export const EndMeasureInput = z.strictObject({ reason: Reason, version: z.number().int() });
export const MeasureParams = z.strictObject({ familyId: z.uuid(), measureId: z.uuid() });

/** Record a safety measure; a colleague gets a task to review it. */
export async function recordSafetyMeasure(
  ctx: RequestContext,
  familyId: string,
  input: z.infer<typeof SafetyMeasureInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const family = await tx.families.open(familyId, 'family.write');
    requireOpen(family.family);
    const fields = [];
    const person = family.persons.find((p) => p.id === input.personId);
    if (!person || !(ADULT_ROLES as readonly string[]).includes(person.role)) {
      fields.push({ field: 'body.personId', message: 'not an adult of this family' });
    }
    const confidential = input.kind === 'confidential_address';
    if (confidential && !input.address) fields.push({ field: 'body.address', message: 'the full address' });
    if (!confidential && input.address) {
      fields.push({ field: 'body.address', message: 'only for a confidential address' });
    }
    const regiehouder = await regiehouderOf(tx.db, familyId);
    const naming = input.shownToOrganisationIds.length > 0;
    if (naming && regiehouder?.account_id !== access.actor.accountId) {
      fields.push({ field: 'body.shownToOrganisationIds', message: 'only the regiehouder names who may see it' });
    } else if (naming) {
      const team = await tx.db
        .selectFrom('care_team_organisations')
        .select('organisation_id')
        .where('family_id', '=', familyId)
        .where('ended_on', 'is', null)
        .execute();
      const inTeam = new Set(team.map((o) => o.organisation_id));
      if (input.shownToOrganisationIds.some((id) => !inTeam.has(id))) {
        fields.push({ field: 'body.shownToOrganisationIds', message: 'not an organisation of this family’s team' });
      }
    }
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid safety measure.', { fields });
    const id = randomUUID();
    await tx.db
      .insertInto('safety_measures')
      .values({
        id,
        family_id: familyId,
        kind: input.kind,
        person_id: input.personId,
        reason: input.reason,
        address: confidential ? (input.address ?? null) : null,
        shown_to_organisation_ids: input.shownToOrganisationIds,
        organisation_id: access.organisationId,
        recorded_by_account_id: access.actor.accountId,
      })
      .execute();
    if (!confidential) {
      // The paused parent's open sessions end now; the next sign-in meets the pause.
      await tx.db
        .deleteFrom('sessions')
        .where('account_id', 'in', (eb) =>
          eb.selectFrom('parent_links').select('account_id').where('person_id', '=', input.personId),
        )
        .execute();
    }
    // Four eyes: the regiehouder reviews, or — when the regiehouder recorded it — another
    // professional of the team, else a colleague of the same organisation.
    const colleague =
      regiehouder && regiehouder.account_id !== access.actor.accountId
        ? regiehouder.account_id
        : (
            await tx.db
              .selectFrom('care_team_professionals')
              .select('account_id')
              .where('family_id', '=', familyId)
              .where('ended_at', 'is', null)
              .where('account_id', '<>', access.actor.accountId)
              .orderBy('started_at')
              .executeTakeFirst()
          )?.account_id;
    await createTask(tx.db, {
      kind: 'safety_measure_review',
      familyId,
      sourceId: id,
      ...(colleague ? { assigneeAccountId: colleague } : { assigneeOrganisationId: access.organisationId }),
    });
    await tx.audit({
      action: 'safety_measure.record',
      familyId,
      recordType: 'safety_measure',
      recordId: id,
      details: { kind: input.kind },
    });
    return { measureId: id };
  });
}

/** The family's safety measures for its team; a confidential address only for those who may see it. */
export async function listSafetyMeasures(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.write');
    const regiehouder = await regiehouderOf(tx.db, familyId);
    const rows = await tx.db
      .selectFrom('safety_measures as m')
      .innerJoin('accounts as a', 'a.id', 'm.recorded_by_account_id')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .leftJoin('accounts as r', 'r.id', 'm.reviewed_by_account_id')
      .selectAll('m')
      .select(['a.display_name as recorded_by', 'o.name as organisation_name', 'r.display_name as reviewed_by'])
      .select(
        sql<
          string[]
        >`array(SELECT name FROM organisations WHERE id = ANY(m.shown_to_organisation_ids) ORDER BY name)`.as(
          'shown_to_names',
        ),
      )
      .where('m.family_id', '=', familyId)
      .orderBy('m.recorded_at', 'desc')
      .execute();
    await tx.audit({ action: 'safety_measure.list', familyId, recordType: 'family', recordId: familyId });
    return {
      measures: rows.map((m) => {
        const maySeeAddress =
          m.organisation_id === access.organisationId ||
          regiehouder?.organisation_id === access.organisationId ||
          m.shown_to_organisation_ids.includes(access.organisationId);
        return {
          id: m.id,
          kind: m.kind,
          personId: m.person_id,
          reason: m.reason,
          address: maySeeAddress ? m.address : null,
          addressWithheld: m.address !== null && !maySeeAddress,
          shownTo: m.shown_to_names,
          recordedBy: m.recorded_by,
          organisationName: m.organisation_name,
          recordedAt: m.recorded_at.toISOString(),
          reviewStatus: m.review_status,
          reviewNote: m.review_note,
          reviewedBy: m.reviewed_by,
          endedAt: m.ended_at?.toISOString() ?? null,
          endedReason: m.ended_reason,
          mayReview: m.review_status === 'to_review' && m.recorded_by_account_id !== access.actor.accountId,
          version: m.version,
        };
      }),
    };
  });
}

async function loadMeasure(tx: Tx, familyId: string, measureId: string, action: string) {
  await tx.families.open(familyId, 'family.write');
  const measure = await tx.db
    .selectFrom('safety_measures')
    .selectAll()
    .where('id', '=', measureId)
    .where('family_id', '=', familyId)
    .forUpdate()
    .executeTakeFirst();
  if (!measure) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action, familyId, recordType: 'safety_measure', recordId: measureId },
    });
  }
  return measure;
}

/** A colleague of the team — never the one who recorded it — reviews a safety measure. */
export async function reviewSafetyMeasure(
  ctx: RequestContext,
  familyId: string,
  measureId: string,
  input: z.infer<typeof ReviewMeasureInput>,
) {
  return ctx.transaction(async (tx) => {
    const measure = await loadMeasure(tx, familyId, measureId, 'safety_measure.review');
    if (measure.recorded_by_account_id === ctx.access.actor.accountId) {
      throw new AppError('FORBIDDEN', 'A colleague reviews a safety measure (four eyes).', {
        refusal: { action: 'safety_measure.review', familyId, recordType: 'safety_measure', recordId: measureId },
      });
    }
    if (measure.review_status === 'reviewed') throw new AppError('INVALID_TRANSITION', 'Reviewed already.');
    await tx.db
      .updateTable('safety_measures')
      .set({
        review_status: 'reviewed',
        review_note: input.note,
        reviewed_by_account_id: ctx.access.actor.accountId,
        reviewed_at: new Date(),
        version: measure.version + 1,
      })
      .where('id', '=', measureId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'safety_measure_review')
      .where('source_id', '=', measureId)
      .execute();
    await tx.audit({ action: 'safety_measure.review', familyId, recordType: 'safety_measure', recordId: measureId });
    return { ok: true as const };
  });
}

/** End a safety measure, with a reason (a paused Kring opens again at the next request). */
export async function endSafetyMeasure(
  ctx: RequestContext,
  familyId: string,
  measureId: string,
  input: z.infer<typeof EndMeasureInput>,
) {
  return ctx.transaction(async (tx) => {
    const measure = await loadMeasure(tx, familyId, measureId, 'safety_measure.end');
    if (measure.ended_at) throw new AppError('INVALID_TRANSITION', 'Ended already.');
    requireVersion(measure, input.version, { version: measure.version, endedAt: null });
    await tx.db
      .updateTable('safety_measures')
      .set({
        ended_at: new Date(),
        ended_by_account_id: ctx.access.actor.accountId,
        ended_reason: input.reason,
        version: measure.version + 1,
      })
      .where('id', '=', measureId)
      .execute();
    await tx.audit({ action: 'safety_measure.end', familyId, recordType: 'safety_measure', recordId: measureId });
    return { ok: true as const };
  });
}

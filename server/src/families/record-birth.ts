import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type DB, PERSON_SEXES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { IsoDate, oneOfDueDateOrLmp } from './family.types.ts';
import { closeFamilyIfDone, requireOpen, requireVersion } from './family-guards.ts';
import { grantParentalAuthority } from './parental-authority.ts';
import { addDays, conceptionDate, dueDateFromLmp, todayIso } from './trajectory.ts';

export const RecordBirthInput = z.strictObject({
  birthDate: IsoDate,
  birthWeightGrams: z.number().int().min(200).max(7000),
  birthPlace: z.enum(['home', 'hospital', 'birth_centre', 'other']),
  /** The child's sex; JGZ's growth charts are drawn per sex. */
  sex: z.enum(PERSON_SEXES).optional(),
  givenName: z.string().trim().min(1).max(100).optional(),
  version: z.number().int().min(1),
});

export const EndPregnancyInput = z.strictObject({
  endedOn: IsoDate,
  version: z.number().int().min(1),
});

export const AddPregnancyInput = z
  .strictObject({
    dueDate: IsoDate.optional(),
    lmpDate: IsoDate.optional(),
    expectedChildren: z.number().int().min(1).max(4).default(1),
  })
  .superRefine(oneOfDueDateOrLmp);

/** A child's trajectory of this family, locked for the update; 404 for anything else. */
async function lockChildTrajectory(db: Kysely<DB>, familyId: string, trajectoryId: string) {
  const t = await db
    .selectFrom('trajectories')
    .selectAll()
    .where('id', '=', trajectoryId)
    .where('family_id', '=', familyId)
    .forUpdate()
    .executeTakeFirst();
  if (t?.kind !== 'child' || !t.due_date || !t.child_person_id) throw new AppError('NOT_FOUND', 'Not found.');
  return { ...t, due_date: t.due_date, child_person_id: t.child_person_id };
}

/**
 * Record a birth: the expected child becomes the child; the due date stays as history; preterm
 * birth and low birth weight become visible facts.
 */
export async function recordBirth(
  ctx: RequestContext,
  familyId: string,
  trajectoryId: string,
  input: z.infer<typeof RecordBirthInput>,
) {
  const _access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const t = await lockChildTrajectory(tx.db, familyId, trajectoryId);
    requireVersion(t, input.version, { version: t.version, birthDate: t.birth_date, status: t.status });
    if (t.birth_date || t.pregnancy_ended_on || t.status === 'closed') {
      throw new AppError('INVALID_TRANSITION', 'This trajectory already has a birth or an end.');
    }
    const fields = [];
    if (input.birthDate <= conceptionDate(t.due_date))
      fields.push({ field: 'body.birthDate', message: 'before conception' });
    if (input.birthDate > todayIso()) fields.push({ field: 'body.birthDate', message: 'must not be in the future' });
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid birth.', { fields });
    await tx.db
      .updateTable('trajectories')
      .set((eb) => ({
        birth_date: input.birthDate,
        birth_weight_grams: input.birthWeightGrams,
        birth_place: input.birthPlace,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', t.id)
      .execute();
    await tx.db
      .updateTable('persons')
      .set((eb) => ({
        child_status: 'born',
        birth_date: input.birthDate,
        ...(input.givenName ? { given_name: input.givenName } : {}),
        ...(input.sex ? { sex: input.sex } : {}),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', t.child_person_id)
      .execute();
    await tx.audit({ action: 'birth.record', familyId, recordType: 'trajectory', recordId: t.id });
    return { ok: true as const };
  });
}

/** A pregnancy that ended without a live birth: recorded with care; the trajectory closes without further prompts. */
export async function endPregnancy(
  ctx: RequestContext,
  familyId: string,
  trajectoryId: string,
  input: z.infer<typeof EndPregnancyInput>,
) {
  const _access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const t = await lockChildTrajectory(tx.db, familyId, trajectoryId);
    requireVersion(t, input.version, { version: t.version, status: t.status });
    if (t.birth_date || t.status === 'closed')
      throw new AppError('INVALID_TRANSITION', 'This trajectory has a birth or is closed.');
    if (input.endedOn > todayIso() || input.endedOn < conceptionDate(t.due_date)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid date.', {
        fields: [{ field: 'body.endedOn', message: 'between conception and today' }],
      });
    }
    await tx.db
      .updateTable('trajectories')
      .set((eb) => ({
        pregnancy_ended_on: input.endedOn,
        status: 'closed',
        closed_on: input.endedOn,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', t.id)
      .execute();
    await tx.db
      .updateTable('persons')
      .set({ child_status: 'pregnancy_ended' })
      .where('id', '=', t.child_person_id)
      .execute();
    // Nothing more is asked of the team for this child: its open tasks end too.
    await tx.db
      .updateTable('tasks')
      .set({ status: 'cancelled', completed_at: new Date() })
      .where('family_id', '=', familyId)
      .where('kind', '=', 'contact_due')
      .where('status', '=', 'open')
      .execute();
    await tx.audit({ action: 'pregnancy.end', familyId, recordType: 'trajectory', recordId: t.id });
    const closed = await closeFamilyIfDone(tx.db, familyId);
    return { familyClosed: closed };
  });
}

/** A pregnancy becomes known in a preconception registration, or a new pregnancy in the family. */
export async function addPregnancy(ctx: RequestContext, familyId: string, input: z.infer<typeof AddPregnancyInput>) {
  const dueDate = input.dueDate ?? dueDateFromLmp(input.lmpDate as string);
  const now = todayIso();
  if (dueDate > addDays(now, 44 * 7) || dueDate < addDays(now, -6 * 7)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid pregnancy.', {
      fields: [
        {
          field: input.dueDate ? 'body.dueDate' : 'body.lmpDate',
          message: 'the due date must lie between six weeks ago and 44 weeks ahead',
        },
      ],
    });
  }
  return ctx.transaction(async (tx) => {
    const { family, persons } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const mother = persons.find((p) => p.role === 'pregnant_person');
    // Parental authority over the expected child, as intended: whoever holds it over the family's
    // other children, or, in a family without children yet, the adults registered with it.
    const withAuthority = persons.filter((p) => p.authority_over.length > 0);
    const holders = (withAuthority.length ? withAuthority : persons.filter((p) => p.parental_authority)).map(
      (p) => p.id,
    );
    await tx.db
      .updateTable('trajectories')
      .set((eb) => ({ status: 'closed', closed_on: now, version: eb('version', '+', 1) }))
      .where('family_id', '=', familyId)
      .where('kind', '=', 'preconception')
      .where('status', '=', 'open')
      .execute();
    const ids: string[] = [];
    for (let i = 0; i < input.expectedChildren; i++) {
      const childId = randomUUID();
      await tx.db
        .insertInto('persons')
        .values({
          id: childId,
          family_id: familyId,
          role: 'child',
          family_name: mother?.family_name ?? null,
          given_name: null,
          birth_date: null,
          bsn: null,
          child_status: 'expected',
        })
        .execute();
      await grantParentalAuthority(tx.db, {
        familyId,
        childIds: [childId],
        adultIds: holders,
        accountId: ctx.access.actor.accountId,
      });
      const id = randomUUID();
      ids.push(id);
      await tx.db
        .insertInto('trajectories')
        .values({
          id,
          family_id: familyId,
          child_person_id: childId,
          kind: 'child',
          due_date: dueDate,
          lmp_date: input.lmpDate ?? null,
        })
        .execute();
    }
    await tx.audit({
      action: 'pregnancy.add',
      familyId,
      recordType: 'family',
      recordId: familyId,
      details: { children: ids.length },
    });
    return { trajectoryIds: ids };
  });
}

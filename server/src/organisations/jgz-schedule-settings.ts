import { z } from 'zod';
import { AppError } from '../errors.ts';
import { jgzSchedule, ScheduleMoments } from '../families/jgz-schedule.ts';
import type { RequestContext } from '../http/context.ts';

export const ScheduleSettings = z.object({
  organisationId: z.uuid(),
  /** False while the organisation follows the default schedule. */
  custom: z.boolean(),
  version: z.number(),
  moments: ScheduleMoments,
});

export const SaveScheduleInput = z.strictObject({
  /** The organisation's own moments, or null to go back to the default schedule. */
  moments: ScheduleMoments.nullable(),
  /** The version the change is based on (0 while the default applies). */
  version: z.number().int().min(0),
});

async function requireJgzOrganisation(ctx: RequestContext, organisationId: string) {
  const organisation = await ctx.deps.database.db
    .selectFrom('organisations')
    .select('type')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!organisation) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'organisation.list', recordType: 'organisation', recordId: organisationId },
    });
  }
  if (organisation.type !== 'jgz') {
    throw new AppError('VALIDATION_FAILED', 'Only a JGZ organisation has a contact schedule.', {
      fields: [{ field: 'params.id', message: 'not a JGZ organisation' }],
    });
  }
}

/** The contact schedule a JGZ organisation follows (no personal data, so not audited as a read). */
export async function readSchedule(ctx: RequestContext, organisationId: string) {
  await requireJgzOrganisation(ctx, organisationId);
  const row = await ctx.deps.database.db
    .selectFrom('jgz_schedules')
    .select(['moments', 'version'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row
    ? { organisationId, custom: true, version: row.version, moments: ScheduleMoments.parse(row.moments) }
    : { organisationId, custom: false, version: 0, moments: jgzSchedule().moments };
}

/**
 * Adjust a JGZ organisation's schedule (an administrator, on the organisation's behalf): the
 * moments replace the default schedule for children in that organisation's care; null restores
 * the default. Optimistic concurrency on the version; audited.
 */
export async function saveSchedule(
  ctx: RequestContext,
  organisationId: string,
  input: z.infer<typeof SaveScheduleInput>,
) {
  await requireJgzOrganisation(ctx, organisationId);
  const actor = ctx.access.actor;
  return ctx.transaction(async (tx) => {
    const current = await tx.db
      .selectFrom('jgz_schedules')
      .select('version')
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if ((current?.version ?? 0) !== input.version) {
      throw new AppError('STALE_VERSION', 'Someone else changed this schedule in the meantime.', {
        data: { current: { version: current?.version ?? 0 } },
      });
    }
    if (input.moments === null) {
      await tx.db.deleteFrom('jgz_schedules').where('organisation_id', '=', organisationId).execute();
    } else if (current) {
      await tx.db
        .updateTable('jgz_schedules')
        .set((eb) => ({
          moments: JSON.stringify(input.moments),
          version: eb('version', '+', 1),
          updated_by_account_id: actor.accountId,
          updated_at: new Date(),
        }))
        .where('organisation_id', '=', organisationId)
        .execute();
    } else {
      await tx.db
        .insertInto('jgz_schedules')
        .values({
          organisation_id: organisationId,
          moments: JSON.stringify(input.moments),
          updated_by_account_id: actor.accountId,
        })
        .execute();
    }
    await tx.audit({
      action: input.moments ? 'jgz_schedule.save' : 'jgz_schedule.reset',
      recordType: 'organisation',
      recordId: organisationId,
      details: { moments: input.moments?.length ?? 0 },
    });
    return { ok: true as const };
  });
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { IdentifyInput } from '../families/family.types.ts';
import { isAlreadyRegistered } from '../families/register-family.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

export const AssignSelfInput = z.strictObject({ reason: z.string().trim().min(5, 'give a reason').max(500) });

/**
 * A colleague takes over: a professional of an organisation in the family's team assigns themselves,
 * with a reason (audited). Professionals of other organisations cannot: for them the family does not exist.
 */
export async function assignSelf(ctx: RequestContext, familyId: string, reason: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const member = await tx.db
      .selectFrom('care_team_organisations')
      .select('id')
      .where('family_id', '=', familyId)
      .where('organisation_id', '=', access.organisationId)
      .where('ended_on', 'is', null)
      .executeTakeFirst();
    if (!member) throw access.familyNotFound('family.write', familyId);
    const already = await tx.db
      .selectFrom('care_team_professionals')
      .select('id')
      .where('family_id', '=', familyId)
      .where('account_id', '=', access.actor.accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!already) {
      await tx.db
        .insertInto('care_team_professionals')
        .values({
          id: randomUUID(),
          family_id: familyId,
          organisation_id: access.organisationId,
          account_id: access.actor.accountId,
          reason,
        })
        .execute();
    }
    await tx.audit({ action: 'team.assign_self', familyId, recordType: 'family', recordId: familyId });
    return { ok: true as const };
  });
}

/**
 * Ask to join the team of a family that is already registered: a task for the regiehouder's
 * organisation. The answer is the same whether or not a family matched, so nothing is revealed.
 */
export async function requestToJoin(ctx: RequestContext, who: z.infer<typeof IdentifyInput>) {
  const access = ctx.access;
  if (!who.bsn && !(who.familyName && who.birthDate)) {
    throw new AppError('VALIDATION_FAILED', 'Give a BSN, or a family name and date of birth.', {
      fields: [{ field: 'body.bsn', message: 'required without family name and date of birth' }],
    });
  }
  return ctx.transaction(async (tx) => {
    if (await isAlreadyRegistered(tx.db, who)) {
      const person = await tx.db
        .selectFrom('persons')
        .select('family_id')
        .where((eb) =>
          who.bsn
            ? eb('bsn', '=', who.bsn)
            : eb.and([
                eb(eb.fn('lower', ['family_name']), '=', (who.familyName ?? '').toLowerCase()),
                eb('birth_date', '=', who.birthDate ?? ''),
              ]),
        )
        .executeTakeFirstOrThrow();
      const regiehouder = await tx.db
        .selectFrom('care_team_professionals')
        .select('organisation_id')
        .where('family_id', '=', person.family_id)
        .where('is_regiehouder', '=', true)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (regiehouder && regiehouder.organisation_id !== access.organisationId) {
        await createTask(tx.db, {
          kind: 'join_request',
          familyId: person.family_id,
          assigneeOrganisationId: regiehouder.organisation_id,
          details: { requestingOrganisationId: access.organisationId, requestingAccountId: access.actor.accountId },
        });
        await tx.audit({
          action: 'team.join_request',
          familyId: person.family_id,
          recordType: 'family',
          recordId: person.family_id,
        });
      }
    }
    return { ok: true as const };
  });
}

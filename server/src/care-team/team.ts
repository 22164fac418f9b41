import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Access } from '../access/access.ts';
import { consentPersons } from '../access/family-store.ts';
import { grantOrganisationConsent, OrganisationConsentInput } from '../consent/record-consent.ts';
import { ADULT_ROLES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { IdentifyInput } from '../families/family.types.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { isAlreadyRegistered } from '../families/register-family.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

export const AssignSelfInput = z.strictObject({ reason: z.string().trim().min(5, 'give a reason').max(500) });

/** Assign the actor to a family their organisation is a team member of (no-op when already assigned). */
async function assignActor(tx: Tx, access: Access, familyId: string, reason: string) {
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
}

/**
 * A colleague takes over: a professional of an organisation in the family's team assigns themselves,
 * with a reason (audited). Professionals of other organisations cannot: for them the family does not exist.
 */
export async function assignSelf(ctx: RequestContext, familyId: string, reason: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    if (!(await tx.families.isTeamMember(familyId, access.organisationId))) {
      throw access.familyNotFound('family.write', familyId);
    }
    await assignActor(tx, access, familyId, reason);
    return { ok: true as const };
  });
}

export const TakeOverInput = IdentifyInput.extend({ reason: AssignSelfInput.shape.reason });

/**
 * Take over a family of one's own organisation that one is not assigned to (a colleague is ill,
 * a caseload is redistributed): identify a parent by BSN, or by family name and date of birth (in
 * the POST body), give a reason. Only families whose team holds the actor's organisation are
 * found; for anything else the answer is the same 404, audited.
 */
export async function takeOver(ctx: RequestContext, input: z.infer<typeof TakeOverInput>) {
  const access = ctx.access;
  requireIdentification(input);
  return ctx.transaction(async (tx) => {
    const match = await tx.db
      .selectFrom('persons as p')
      .innerJoin('care_team_organisations as cto', (join) =>
        join
          .onRef('cto.family_id', '=', 'p.family_id')
          .on('cto.organisation_id', '=', access.organisationId)
          .on('cto.ended_on', 'is', null),
      )
      .innerJoin('families as f', 'f.id', 'p.family_id')
      .select('p.family_id')
      .where(identifies('p', input))
      .where('p.role', 'in', [...ADULT_ROLES])
      .where('f.status', '=', 'open')
      .limit(1)
      .executeTakeFirst();
    if (!match) {
      throw new AppError('NOT_FOUND', 'No open family of your organisation matches.', {
        refusal: { action: 'team.take_over' },
      });
    }
    await assignActor(tx, access, match.family_id, input.reason);
    return { familyId: match.family_id };
  });
}

export const DecideJoinInput = z.strictObject({ version: z.number().int() });
export const AcceptJoinInput = DecideJoinInput.extend({ consent: OrganisationConsentInput });

/**
 * Answer a request to join a family's team (a task for the regiehouder's organisation), as an
 * assigned professional of that organisation. Accepting records the parents' consent for the
 * requesting organisation in the same step and adds it, with the requesting professional, to the
 * team; declining closes the task. The requester is told either way, without details.
 */
export async function decideJoinRequest(
  ctx: RequestContext,
  taskId: string,
  input: { version: number; consent?: z.infer<typeof OrganisationConsentInput> },
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const task = await tx.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('kind', '=', 'join_request')
      .where('assignee_organisation_id', '=', access.organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!task?.family_id) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'team.join_decide', recordType: 'task', recordId: taskId },
      });
    }
    const familyId = task.family_id;
    const { family, persons, consents } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    requireVersion(task, input.version, { version: task.version, status: task.status });
    if (task.status !== 'open') throw new AppError('INVALID_TRANSITION', 'This request has already been answered.');
    const requestingOrganisationId = String(task.details.requestingOrganisationId ?? '');
    const requestingAccountId = String(task.details.requestingAccountId ?? '');
    if (input.consent) {
      const requester = await tx.db
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', requestingAccountId)
        .where('organisation_id', '=', requestingOrganisationId)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!requester) throw new AppError('INVALID_TRANSITION', 'The requesting professional is no longer active.');
      await grantOrganisationConsent(
        tx,
        access.actor.accountId,
        { familyId, persons: consentPersons(persons), consents },
        requestingOrganisationId,
        input.consent,
      );
      if (!(await tx.families.isTeamMember(familyId, requestingOrganisationId))) {
        await tx.db
          .insertInto('care_team_organisations')
          .values({
            id: randomUUID(),
            family_id: familyId,
            organisation_id: requestingOrganisationId,
            started_on: todayIso(),
          })
          .execute();
      }
      await tx.db
        .insertInto('care_team_professionals')
        .values({
          id: randomUUID(),
          family_id: familyId,
          organisation_id: requestingOrganisationId,
          account_id: requestingAccountId,
          reason: 'join_request',
        })
        .execute();
    }
    await tx.db
      .updateTable('tasks')
      .set((eb) => ({
        status: input.consent ? 'done' : 'cancelled',
        completed_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', taskId)
      .execute();
    await tx.db
      .insertInto('notifications')
      .values({
        id: randomUUID(),
        account_id: requestingAccountId,
        kind: input.consent ? 'join_request_accepted' : 'join_request_declined',
        task_id: null,
        family_id: input.consent ? familyId : null,
      })
      .execute();
    await tx.audit({
      action: input.consent ? 'team.join_accept' : 'team.join_decline',
      familyId,
      recordType: 'task',
      recordId: taskId,
    });
    return { familyId, status: input.consent ? ('accepted' as const) : ('declined' as const) };
  });
}

export function requireIdentification(who: z.infer<typeof IdentifyInput>) {
  if (!who.bsn && !(who.familyName && who.birthDate)) {
    throw new AppError('VALIDATION_FAILED', 'Give a BSN, or a family name and date of birth.', {
      fields: [{ field: 'body.bsn', message: 'required without family name and date of birth' }],
    });
  }
}

/** The condition "this person (under alias) is the one identified": by BSN, or by family name and date of birth. */
export function identifies(alias: string, who: z.infer<typeof IdentifyInput>) {
  return who.bsn
    ? sql<boolean>`${sql.ref(`${alias}.bsn`)} = ${who.bsn}`
    : sql<boolean>`lower(${sql.ref(`${alias}.family_name`)}) = ${(who.familyName ?? '').toLowerCase()}
        AND ${sql.ref(`${alias}.birth_date`)} = ${who.birthDate ?? ''}`;
}

/**
 * Ask to join the team of a family that is already registered: a task for the regiehouder's
 * organisation. The answer is the same whether or not a family matched, so nothing is revealed.
 */
export async function requestToJoin(ctx: RequestContext, who: z.infer<typeof IdentifyInput>) {
  const access = ctx.access;
  requireIdentification(who);
  return ctx.transaction(async (tx) => {
    if (await isAlreadyRegistered(tx.db, who)) {
      const person = await tx.db
        .selectFrom('persons')
        .select('family_id')
        .where(identifies('persons', who))
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

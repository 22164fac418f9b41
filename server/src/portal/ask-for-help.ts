import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { regiehouderOf } from '../consent/overrides.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { keepVersion, stateRow } from '../signals/record-signal.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { createTask } from '../tasks/create-task.ts';

export const HelpRequestInput = z.strictObject({
  text: z.string().trim().min(5, 'say in a few words what you would like help with').max(2000),
});

/**
 * Parents ask for help in their own words. It is recorded as the family asking for help — the
 * protective signal "help sought", told by the parent, in their words — which counts for the
 * intervention rules, and it reaches the regiehouder as a task (without one, the organisation
 * that registered the family).
 */
export async function askForHelp(ctx: RequestContext, input: z.infer<typeof HelpRequestInput>) {
  ctx.access.requireRole('portal.read');
  return ctx.transaction(async (tx) => {
    const link = await tx.db
      .selectFrom('parent_links')
      .select(['family_id', 'person_id'])
      .where('account_id', '=', ctx.access.actor.accountId)
      .executeTakeFirst();
    if (!link)
      throw new AppError('NOT_FOUND', 'Your account is not linked to a family yet.', {
        refusal: { action: 'portal.help' },
      });
    const regie = await regiehouderOf(tx.db, link.family_id);
    const family = await tx.db
      .selectFrom('families')
      .select('registered_by_organisation_id')
      .where('id', '=', link.family_id)
      .executeTakeFirstOrThrow();
    const organisationId = regie?.organisation_id ?? family.registered_by_organisation_id;
    const code = 'help_sought';
    const row = stateRow(code, {
      concernsPersonId: link.person_id,
      status: 'present',
      source: 'told_by_parent',
      note: input.text,
    });
    const signalId = randomUUID();
    await tx.db
      .insertInto('signals')
      .values({
        id: signalId,
        family_id: link.family_id,
        code,
        code_list_version: signalCodes().version,
        ...row,
        ended_on: null,
        organisation_id: organisationId,
        account_id: ctx.access.actor.accountId,
      })
      .execute();
    await keepVersion(tx, signalId, link.family_id, 1, 'recorded', { code, ...row }, ctx.access.actor.accountId);
    await createTask(tx.db, {
      kind: 'help_request',
      familyId: link.family_id,
      ...(regie ? { assigneeAccountId: regie.account_id } : { assigneeOrganisationId: organisationId }),
      sourceId: signalId,
    });
    await tx.audit({
      action: 'portal.help_request',
      familyId: link.family_id,
      recordType: 'signal',
      recordId: signalId,
    });
    return { ok: true as const };
  });
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RequestContext } from '../http/context.ts';
import { keepVersion, stateRow } from '../signals/record-signal.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { createTask } from '../tasks/create-task.ts';
import { mainContactOf } from './parent-link.ts';

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
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.help');
    const contact = await mainContactOf(tx, link.familyId);
    const organisationId = contact.organisationId;
    const code = 'help_sought';
    const row = stateRow(code, {
      concernsPersonId: link.personId,
      status: 'present',
      source: 'told_by_parent',
      note: input.text,
    });
    const signalId = randomUUID();
    await tx.db
      .insertInto('signals')
      .values({
        id: signalId,
        family_id: link.familyId,
        code,
        code_list_version: signalCodes().version,
        ...row,
        ended_on: null,
        organisation_id: organisationId,
        account_id: ctx.access.actor.accountId,
      })
      .execute();
    await keepVersion(tx, signalId, link.familyId, 1, 'recorded', { code, ...row }, ctx.access.actor.accountId);
    await createTask(tx.db, {
      kind: 'help_request',
      familyId: link.familyId,
      ...(contact.accountId ? { assigneeAccountId: contact.accountId } : { assigneeOrganisationId: organisationId }),
      sourceId: signalId,
    });
    await tx.audit({
      action: 'portal.help_request',
      familyId: link.familyId,
      recordType: 'signal',
      recordId: signalId,
    });
    return { ok: true as const };
  });
}

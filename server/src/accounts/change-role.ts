import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { DISCIPLINES } from './invitations.ts';

export const ChangeRoleInput = z.strictObject({ discipline: z.enum(DISCIPLINES) });

/**
 * An administrator changes a professional's role (their discipline: a jeugdverpleegkundige who
 * becomes jeugdarts). It counts from the next request; what they did before keeps the role they
 * had then, because every audit record carries the role of its moment. Audited with both roles.
 */
export async function changeRole(ctx: RequestContext, accountId: string, input: z.infer<typeof ChangeRoleInput>) {
  ctx.access.requireRole('account.invite');
  return ctx.transaction(async (tx) => {
    const account = await tx.db
      .selectFrom('accounts')
      .select(['id', 'kind', 'discipline', 'active'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account?.active) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'account.role_changed', recordType: 'account', recordId: accountId },
      });
    }
    if (account.kind !== 'professional') {
      throw new AppError('VALIDATION_FAILED', 'Only a professional has a discipline.', {
        fields: [{ field: 'body.discipline', message: 'only a professional has a discipline' }],
      });
    }
    if (account.discipline !== input.discipline) {
      await tx.db
        .updateTable('accounts')
        .set((eb) => ({ discipline: input.discipline, version: eb('version', '+', 1) }))
        .where('id', '=', accountId)
        .execute();
    }
    await tx.audit({
      action: 'account.role_changed',
      recordType: 'account',
      recordId: accountId,
      details: { from: account.discipline, to: input.discipline },
    });
    return { accountId, discipline: input.discipline };
  });
}

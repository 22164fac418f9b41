import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { deliverMail, queueMail } from '../mail/mailer.ts';
import { createTask } from '../tasks/create-task.ts';
import { randomToken, tokenHash } from './tokens.ts';

export const OffboardInput = z.strictObject({
  /** A colleague of the same organisation who takes over the families and open tasks. */
  successorAccountId: z.uuid().optional(),
});
export const AccountParams = z.strictObject({ id: z.uuid('must be a UUID') });

/**
 * Offboard a professional (an administrator does it): the account is deactivated and every session
 * ends at once; their open tasks go to the successor (or, without one, to their organisation);
 * their families pass to the successor — as regiehouder where they were — each with a task to look
 * at the family afresh. Nothing they recorded is lost: entries keep their author. Without a
 * successor, a regiehouder cannot be offboarded. The last active administrator cannot be either.
 */
export async function offboard(ctx: RequestContext, accountId: string, input: z.infer<typeof OffboardInput>) {
  ctx.access.requireRole('account.offboard');
  return ctx.transaction(async (tx) => {
    const account = await tx.db
      .selectFrom('accounts')
      .select(['id', 'kind', 'organisation_id', 'active'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'account.offboard', recordType: 'account', recordId: accountId },
      });
    }
    if (!account.active) throw new AppError('INVALID_TRANSITION', 'This account is already deactivated.');
    if (account.kind === 'admin') {
      const admins = await tx.db
        .selectFrom('accounts')
        .select('id')
        .where('kind', '=', 'admin')
        .where('active', '=', true)
        .execute();
      if (admins.length <= 1) {
        throw new AppError('INVALID_TRANSITION', 'The last active administrator cannot be deactivated.');
      }
    }
    let successor: string | null = null;
    if (input.successorAccountId) {
      const colleague = await tx.db
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', input.successorAccountId)
        .where('organisation_id', '=', account.organisation_id)
        .where('kind', '=', 'professional')
        .where('active', '=', true)
        .where('id', '!=', accountId)
        .executeTakeFirst();
      if (!colleague) {
        throw new AppError('VALIDATION_FAILED', 'Unknown successor.', {
          fields: [{ field: 'body.successorAccountId', message: 'not an active colleague of the same organisation' }],
        });
      }
      successor = colleague.id;
    }
    const assignments = await tx.db
      .selectFrom('care_team_professionals')
      .select(['id', 'family_id', 'organisation_id', 'is_regiehouder'])
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .execute();
    const regie = assignments.filter((a) => a.is_regiehouder);
    if (regie.length > 0 && !successor) {
      throw new AppError('VALIDATION_FAILED', 'Name the colleague who takes over.', {
        fields: [
          {
            field: 'body.successorAccountId',
            message: `required: regiehouder of ${regie.length} famil${regie.length === 1 ? 'y' : 'ies'}`,
          },
        ],
      });
    }
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ active: false, version: eb('version', '+', 1) }))
      .where('id', '=', accountId)
      .execute();
    await tx.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    await tx.db
      .updateTable('care_team_professionals')
      .set({ ended_at: new Date(), reason: 'offboarded' })
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .execute();
    if (successor) {
      for (const assignment of assignments) {
        const already = await tx.db
          .selectFrom('care_team_professionals')
          .select('id')
          .where('family_id', '=', assignment.family_id)
          .where('account_id', '=', successor)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        if (already) {
          if (assignment.is_regiehouder) {
            await tx.db
              .updateTable('care_team_professionals')
              .set({ is_regiehouder: true })
              .where('id', '=', already.id)
              .execute();
          }
        } else {
          await tx.db
            .insertInto('care_team_professionals')
            .values({
              id: randomUUID(),
              family_id: assignment.family_id,
              organisation_id: assignment.organisation_id,
              account_id: successor,
              is_regiehouder: assignment.is_regiehouder,
              reason: 'offboarding',
            })
            .execute();
        }
        await createTask(tx.db, {
          kind: 'regie_handover',
          familyId: assignment.family_id,
          assigneeAccountId: successor,
          details: { regiehouder: assignment.is_regiehouder },
        });
      }
    }
    const tasks = await tx.db
      .updateTable('tasks')
      .set(
        successor
          ? { assignee_account_id: successor }
          : { assignee_account_id: null, assignee_organisation_id: account.organisation_id },
      )
      .where('assignee_account_id', '=', accountId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    await tx.audit({
      action: 'account.offboard',
      recordType: 'account',
      recordId: accountId,
      details: { families: assignments.length, tasks: Number(tasks.numUpdatedRows), successor: successor !== null },
    });
    return { accountId, families: assignments.length, tasks: Number(tasks.numUpdatedRows) };
  });
}

/**
 * An administrator resets a professional's second factor (a lost phone): the old app no longer
 * works, every session ends, and the professional is told by e-mail, with a one-time link (24
 * hours) to connect an app again. Audited.
 */
export async function resetSecondFactor(ctx: RequestContext, accountId: string) {
  ctx.access.requireRole('account.offboard');
  const token = randomToken();
  const result = await ctx.transaction(async (tx) => {
    const account = await tx.db
      .selectFrom('accounts')
      .select(['id', 'email', 'display_name', 'language', 'active'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account?.active) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'account.second_factor_reset', recordType: 'account', recordId: accountId },
      });
    }
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ totp_secret: null, totp_enabled_at: null, version: eb('version', '+', 1) }))
      .where('id', '=', accountId)
      .execute();
    await tx.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    await tx.db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
    await tx.db
      .insertInto('one_time_tokens')
      .values({
        token_hash: tokenHash(ctx.config.sessionSecret, token),
        account_id: accountId,
        purpose: 'totp_enrolment',
        expires_at: new Date(Date.now() + 24 * 3600_000),
      })
      .execute();
    await queueMail(tx.db, ctx.config, {
      to: account.email,
      template: 'second_factor_reset',
      language: account.language,
      params: { name: account.display_name, link: `${ctx.config.publicUrl}/enrol#${token}` },
    });
    await tx.audit({ action: 'account.second_factor_reset', recordType: 'account', recordId: accountId });
    return { accountId };
  });
  await deliverMail(ctx.deps.database.db, ctx.config);
  return result;
}

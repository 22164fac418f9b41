import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';

/** The organisations of the region (no personal data, not audited). */
export async function listOrganisations(ctx: RequestContext) {
  const organisations = await ctx.deps.database.db
    .selectFrom('organisations')
    .select(['id', 'name', 'type', 'identifier'])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
  return { organisations };
}

/** An organisation's people: its own members and administrators only; audited. */
export function readOrganisationMembers(ctx: RequestContext, organisationId: string) {
  return ctx.transaction(async (tx) => {
    const exists = await tx.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!exists) throw new AppError('NOT_FOUND', 'Not found.');
    ctx.access.requireOrganisationMembers(organisationId);
    const members = await selectAccountSummary(tx.db)
      .where('organisation_id', '=', organisationId)
      .orderBy('display_name')
      .execute();
    await tx.audit({ action: 'organisation.members.read', recordType: 'organisation', recordId: organisationId });
    return { members };
  });
}

/** One account: its holder and administrators only; audited. */
export function readAccount(ctx: RequestContext, accountId: string) {
  return ctx.transaction(async (tx) => {
    ctx.access.requireAccount(accountId);
    const account = await selectAccountSummary(tx.db).where('id', '=', accountId).executeTakeFirst();
    if (!account) throw new AppError('NOT_FOUND', 'Not found.');
    await tx.audit({ action: 'account.read', recordType: 'account', recordId: accountId });
    return account;
  });
}

/** The columns an account summary shows, shared by the members list and the account page. */
export function selectAccountSummary(db: Kysely<DB>) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'display_name as displayName',
      'email',
      'kind',
      'discipline',
      'organisation_id as organisationId',
      'active',
    ])
    .select((eb) => eb('totp_enabled_at', 'is not', null).$castTo<boolean>().as('secondFactorEnabled'));
}

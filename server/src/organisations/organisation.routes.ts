import { AppError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { selectAccountSummary } from './organisation.queries.ts';
import { AccountSummary, IdParams, MemberList, OrganisationList } from './organisation.types.ts';

export const organisationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/organisations',
    summary: 'The organisations of the region (no personal data)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.list',
    response: OrganisationList,
    handler: async (ctx) => {
      const organisations = await ctx.deps.database.db
        .selectFrom('organisations')
        .select(['id', 'name', 'type', 'identifier'])
        .where('active', '=', true)
        .orderBy('name')
        .execute();
      return { organisations };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/organisations/:id/members',
    summary: "An organisation's people (its own members and administrators only; audited)",
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.members.read',
    params: IdParams,
    response: MemberList,
    handler: (ctx, { params }) =>
      ctx.transaction(async (tx) => {
        const exists = await tx.db
          .selectFrom('organisations')
          .select('id')
          .where('id', '=', params.id)
          .executeTakeFirst();
        if (!exists) throw new AppError('NOT_FOUND', 'Not found.');
        ctx.access.requireOrganisationMembers(params.id);
        const members = await selectAccountSummary(tx.db)
          .where('organisation_id', '=', params.id)
          .orderBy('display_name')
          .execute();
        await tx.audit({ action: 'organisation.members.read', recordType: 'organisation', recordId: params.id });
        return { members };
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/accounts/:id',
    summary: 'One account (its holder and administrators only; audited)',
    tag: 'organisations',
    auth: 'session',
    permission: 'account.read',
    params: IdParams,
    response: AccountSummary,
    handler: (ctx, { params }) =>
      ctx.transaction(async (tx) => {
        ctx.access.requireAccount(params.id);
        const account = await selectAccountSummary(tx.db).where('id', '=', params.id).executeTakeFirst();
        if (!account) throw new AppError('NOT_FOUND', 'Not found.');
        await tx.audit({ action: 'account.read', recordType: 'account', recordId: params.id });
        return account;
      }),
  }),
];

import { defineRoute } from '../http/route.ts';
import { AccountSummary, IdParams, MemberList, OrganisationList } from './organisation.types.ts';
import { listOrganisations, readAccount, readOrganisationMembers } from './organisation-queries.ts';

export const organisationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/organisations',
    summary: 'The organisations of the region (no personal data)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.list',
    response: OrganisationList,
    handler: (ctx) => listOrganisations(ctx),
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
    handler: (ctx, { params }) => readOrganisationMembers(ctx, params.id),
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
    handler: (ctx, { params }) => readAccount(ctx, params.id),
  }),
];

import { OkResponse } from '../accounts/account.types.ts';
import { defineRoute } from '../http/route.ts';
import { readSchedule, SaveScheduleInput, ScheduleSettings, saveSchedule } from './jgz-schedule-settings.ts';
import { AccountSummary, IdParams, MemberList, OrganisationList } from './organisation.types.ts';
import { listOrganisations, readAccount, readOrganisationMembers } from './organisation-queries.ts';

export const organisationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/organisations/:id/jgz-schedule',
    summary: 'The JGZ contact schedule an organisation follows (its own, or the national default)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.list',
    params: IdParams,
    response: ScheduleSettings,
    handler: (ctx, { params }) => readSchedule(ctx, params.id),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/organisations/:id/jgz-schedule',
    summary: "Adjust a JGZ organisation's contact schedule, or restore the national default (administrators)",
    tag: 'organisations',
    auth: 'session',
    permission: 'content.manage',
    params: IdParams,
    body: SaveScheduleInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => saveSchedule(ctx, params.id, body),
  }),
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

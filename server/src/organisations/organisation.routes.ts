import { z } from 'zod';
import { OkResponse } from '../accounts/account.types.ts';
import { ORGANISATION_TYPES } from '../database/schema.ts';
import { defineRoute } from '../http/route.ts';
import { readSchedule, SaveScheduleInput, ScheduleSettings, saveSchedule } from './jgz-schedule-settings.ts';
import {
  CreateOrganisationInput,
  createOrganisation,
  listForAdministration,
  OrganisationParams,
  UpdateOrganisationInput,
  updateOrganisation,
} from './manage-organisations.ts';
import { AccountSummary, IdParams, MemberList, OrganisationList } from './organisation.types.ts';
import { listOrganisations, readAccount, readOrganisationMembers } from './organisation-queries.ts';

const AdministrationList = z.object({
  neighbourhoods: z.array(z.object({ id: z.uuid(), name: z.string() })),
  organisations: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      type: z.enum(ORGANISATION_TYPES),
      identifier: z.string().nullable(),
      contactPhone: z.string().nullable(),
      contactEmail: z.string().nullable(),
      openingHours: z.string().nullable(),
      address: z.string().nullable(),
      active: z.boolean(),
      version: z.number(),
      neighbourhoodIds: z.array(z.uuid()),
      activePeople: z.number(),
      identityProvider: z.object({ issuer: z.string(), clientId: z.string() }).nullable(),
    }),
  ),
});
export type AdministrationList = z.infer<typeof AdministrationList>;

export const organisationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/admin/organisations',
    summary: 'Every organisation with what an administrator keeps of it (no personal data)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.manage',
    response: AdministrationList,
    handler: (ctx) => listForAdministration(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/organisations',
    summary: 'Create an organisation (administrator)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.manage',
    body: CreateOrganisationInput,
    status: 201,
    response: z.object({ organisationId: z.uuid() }),
    handler: (ctx, { body }) => createOrganisation(ctx, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/admin/organisations/:id',
    summary: 'Edit or deactivate an organisation (administrator; optimistic concurrency)',
    tag: 'organisations',
    auth: 'session',
    permission: 'organisation.manage',
    params: OrganisationParams,
    body: UpdateOrganisationInput,
    response: z.object({ organisationId: z.uuid(), version: z.number() }),
    handler: (ctx, { params, body }) => updateOrganisation(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/organisations/:id/jgz-schedule',
    summary: 'The JGZ contact schedule an organisation follows (its own, or the default schedule)',
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
    summary: "Adjust a JGZ organisation's contact schedule, or restore the default schedule (administrators)",
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

import { z } from 'zod';
import { MELDCODE_OUTCOMES } from '../database/schema.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import {
  familyRoutes,
  MeldcodeDefinition,
  meldcode,
  RouteParams,
  readRoute,
  StartRouteInput,
  StepInput,
  setParentsVisibility,
  signStep,
  startRoute,
  VisibilityInput,
} from './meldcode.ts';

const RouteResponse = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  status: z.enum(['open', 'closed']),
  outcome: z.enum(MELDCODE_OUTCOMES).nullable(),
  startedBy: z.string(),
  startedReason: z.string(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  shownToParents: z.boolean(),
  shownDecisionReason: z.string().nullable(),
  meldcodeVersion: z.number(),
  version: z.number(),
  nextStep: z.number().nullable(),
  steps: z.array(
    z.object({
      step: z.number(),
      content: z.record(z.string(), z.unknown()),
      happenedOn: z.string(),
      signedAt: z.string(),
      signedBy: z.string(),
      organisationName: z.string(),
    }),
  ),
});
export type MeldcodeRouteResponse = z.infer<typeof RouteResponse>;

const FamilyRoutesResponse = z.object({
  routes: z.array(
    z.object({
      id: z.uuid(),
      status: z.enum(['open', 'closed']),
      outcome: z.enum(MELDCODE_OUTCOMES).nullable(),
      startedAt: z.string(),
      closedAt: z.string().nullable(),
      shownToParents: z.boolean(),
      stepsSigned: z.number(),
    }),
  ),
});
export type FamilyMeldcodeResponse = z.infer<typeof FamilyRoutesResponse>;

export const meldcodeRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/meldcode',
    summary: 'The Meldcode steps and the afwegingskader (no personal data)',
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.read',
    response: MeldcodeDefinition,
    handler: async () => meldcode(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/meldcode',
    summary: "The actor's organisation's Meldcode routes for a family (audited)",
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: FamilyRoutesResponse,
    handler: (ctx, { params }) => familyRoutes(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/meldcode',
    summary: 'Start the Meldcode route for a family',
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: StartRouteInput,
    status: 201,
    response: z.object({ routeId: z.uuid() }),
    handler: (ctx, { params, body }) => startRoute(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/meldcode/:routeId',
    summary: 'A Meldcode route read back as one document (audited)',
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.read',
    params: RouteParams,
    response: RouteResponse,
    handler: (ctx, { params }) => readRoute(ctx, params.routeId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/meldcode/:routeId/steps',
    summary: 'Sign the next step of a Meldcode route (in order, by a professional of the team)',
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.write',
    params: RouteParams,
    body: StepInput,
    status: 201,
    response: z.object({ routeId: z.uuid(), step: z.number(), closed: z.boolean() }),
    handler: (ctx, { params, body }) => signStep(ctx, params.routeId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/meldcode/:routeId/parents-visibility',
    summary: 'Decide (and record why) whether the parents see the route',
    tag: 'meldcode',
    auth: 'session',
    permission: 'family.write',
    params: RouteParams,
    body: VisibilityInput,
    response: z.object({ routeId: z.uuid(), shownToParents: z.boolean(), version: z.number() }),
    handler: (ctx, { params, body }) => setParentsVisibility(ctx, params.routeId, body),
  }),
];

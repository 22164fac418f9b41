import { z } from 'zod';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import {
  BreakTheGlassInput,
  breakTheGlass,
  familyOverrides,
  InformParentsInput,
  informParents,
  OverrideIdParams,
  OverrideParams,
  ReviewInput,
  readOverrideForReview,
  reviewOverride,
} from './overrides.ts';

const OverridesResponse = z.object({
  overrides: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['meldcode', 'break_the_glass']),
      reason: z.string(),
      byName: z.string(),
      organisationName: z.string(),
      at: z.string(),
      expiresAt: z.string().nullable(),
      parentsInformed: z.boolean(),
      reviewStatus: z.enum(['to_review', 'reviewed']),
      reviewNote: z.string().nullable(),
      reviewedByName: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      mayReview: z.boolean(),
      /** An emergency access the parents were not told of, which this actor (the regiehouder) may show them after all. */
      mayInformParents: z.boolean(),
    }),
  ),
});
export type OverridesResponse = z.infer<typeof OverridesResponse>;

const OverrideForReview = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  /** The family, by its first adult's name: enough to know whom the review is about. */
  family: z.string(),
  kind: z.enum(['meldcode', 'break_the_glass']),
  reason: z.string(),
  byName: z.string(),
  byOrganisation: z.string(),
  sharedWith: z.string(),
  at: z.string(),
  expiresAt: z.string().nullable(),
  parentsInformed: z.boolean(),
  reviewStatus: z.enum(['to_review', 'reviewed']),
  reviewNote: z.string().nullable(),
  route: z
    .object({
      reason: z.string(),
      outcome: z.string().nullable(),
      decision: z.string().nullable(),
      decisionReason: z.string().nullable(),
    })
    .nullable(),
});
export type OverrideForReview = z.infer<typeof OverrideForReview>;

export const overrideRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/consent-overrides/:overrideId',
    summary: 'A sharing without consent, for the one who reviews it (also outside the family’s team); audited',
    tag: 'consent',
    auth: 'session',
    permission: 'family.read',
    params: OverrideIdParams,
    response: OverrideForReview,
    handler: (ctx, { params }) => readOverrideForReview(ctx, params.overrideId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/emergency-access',
    summary: 'Break the glass: find a family by exact BSN or name and date of birth, with a reason (time-limited)',
    tag: 'consent',
    auth: 'session',
    permission: 'family.emergency',
    body: BreakTheGlassInput,
    status: 201,
    response: z.object({ familyId: z.uuid(), expiresAt: z.string() }),
    handler: (ctx, { body }) => breakTheGlass(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/consent-overrides',
    summary: 'What was shared without the parents’ consent, and its review (the team; audited)',
    tag: 'consent',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: OverridesResponse,
    handler: (ctx, { params }) => familyOverrides(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/consent-overrides/:overrideId/review',
    summary: 'Review a sharing without consent (regiehouder for an emergency access; a colleague for a report)',
    tag: 'consent',
    auth: 'session',
    permission: 'family.write',
    params: OverrideParams,
    body: ReviewInput,
    response: z.object({ overrideId: z.uuid(), reviewStatus: z.literal('reviewed') }),
    handler: (ctx, { params, body }) => reviewOverride(ctx, params.familyId, params.overrideId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/consent-overrides/:overrideId/inform-parents',
    summary:
      'Show the parents, after all, an emergency access recorded as "parents not informed" (the regiehouder, with a reason)',
    tag: 'consent',
    auth: 'session',
    permission: 'family.write',
    params: OverrideParams,
    body: InformParentsInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { params, body }) => informParents(ctx, params.familyId, params.overrideId, body),
  }),
];

import { z } from 'zod';
import { OkResponse } from '../accounts/account.types.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import {
  EndMeasureInput,
  endSafetyMeasure,
  listSafetyMeasures,
  MeasureParams,
  ReviewMeasureInput,
  recordSafetyMeasure,
  reviewSafetyMeasure,
  SafetyMeasureInput,
} from './safety-measures.ts';

const SafetyMeasuresResponse = z.object({
  measures: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['portal_paused', 'confidential_address']),
      personId: z.uuid(),
      reason: z.string(),
      /** The confidential address, only for the organisations that may see it. */
      address: z.string().nullable(),
      addressWithheld: z.boolean(),
      shownTo: z.array(z.string()),
      recordedBy: z.string(),
      organisationName: z.string(),
      recordedAt: z.string(),
      reviewStatus: z.enum(['to_review', 'reviewed']),
      reviewNote: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      endedAt: z.string().nullable(),
      endedReason: z.string().nullable(),
      mayReview: z.boolean(),
      version: z.number(),
    }),
  ),
});
export type SafetyMeasuresResponse = z.infer<typeof SafetyMeasuresResponse>;

export const safetyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/safety-measures',
    summary: 'The family’s safety measures (paused portal accounts, confidential addresses), for its team',
    tag: 'safety',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    response: SafetyMeasuresResponse,
    handler: (ctx, { params }) => listSafetyMeasures(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/safety-measures',
    summary: 'Record a safety measure with its reason; a colleague reviews it',
    tag: 'safety',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: SafetyMeasureInput,
    response: z.object({ measureId: z.uuid() }),
    status: 201,
    handler: (ctx, { params, body }) => recordSafetyMeasure(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/safety-measures/:measureId/review',
    summary: 'Review a safety measure (a colleague, not the one who recorded it)',
    tag: 'safety',
    auth: 'session',
    permission: 'family.write',
    params: MeasureParams,
    body: ReviewMeasureInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => reviewSafetyMeasure(ctx, params.familyId, params.measureId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/safety-measures/:measureId/end',
    summary: 'End a safety measure, with a reason',
    tag: 'safety',
    auth: 'session',
    permission: 'family.write',
    params: MeasureParams,
    body: EndMeasureInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => endSafetyMeasure(ctx, params.familyId, params.measureId, body),
  }),
];

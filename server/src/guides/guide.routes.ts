import { z } from 'zod';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import { GuideDefinition, guides } from './guide-definitions.ts';
import {
  GuideParams,
  listGuideResponses,
  PrepareGuideQuery,
  prepareGuide,
  SubmitGuideInput,
  submitGuideResponse,
} from './guide-responses.ts';

const Value = z.union([z.string(), z.number(), z.boolean()]);
const Text = z.object({ nl: z.string(), en: z.string() });

export const guideRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/guides',
    summary: 'The conversation guides and questionnaires Kring ships (no personal data)',
    tag: 'guides',
    auth: 'session',
    permission: 'family.read',
    response: z.object({
      guides: z.array(
        z.object({
          key: z.string(),
          version: z.number(),
          title: Text,
          for: z.enum(['adult', 'family']),
          instrument: z.boolean(),
        }),
      ),
    }),
    handler: async () => ({
      guides: [...guides().values()].map((g) => ({
        key: g.key,
        version: g.version,
        title: g.title,
        for: g.for,
        instrument: g.instrument !== null,
      })),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/guides/:guideKey',
    summary: 'Open a guide for a person: the questions, why they are asked, and what the chain already asked',
    tag: 'guides',
    auth: 'session',
    permission: 'family.read',
    params: GuideParams,
    query: PrepareGuideQuery,
    response: z.object({
      guide: GuideDefinition,
      earlier: z.array(
        z.object({
          code: z.string(),
          answerId: z.uuid(),
          value: Value,
          answeredAt: z.string(),
          organisationName: z.string(),
          professionalName: z.string(),
          confirmed: z.boolean(),
        }),
      ),
    }),
    handler: (ctx, { params, query }) => prepareGuide(ctx, params.familyId, params.guideKey, query.personId ?? null),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/guide-responses',
    summary: "The family's guide responses the actor may read, with scores, and the questions not asked twice",
    tag: 'guides',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: z.object({
      notAskedTwice: z.number(),
      responses: z.array(
        z.object({
          id: z.uuid(),
          guideKey: z.string(),
          guideVersion: z.number(),
          concernsPersonId: z.uuid().nullable(),
          score: z.number().nullable(),
          band: Text.nullable(),
          complete: z.boolean(),
          attention: z.boolean(),
          organisationName: z.string(),
          professionalName: z.string(),
          createdAt: z.string(),
          answers: z.array(z.object({ id: z.uuid(), code: z.string(), value: Value, confirmed: z.boolean() })),
        }),
      ),
    }),
    handler: (ctx, { params }) => listGuideResponses(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/guide-responses',
    summary: 'Save the answers of a guide (answers or confirmations of earlier answers), scored where published',
    tag: 'guides',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: SubmitGuideInput,
    response: z.object({
      responseId: z.uuid(),
      score: z.number().nullable(),
      complete: z.boolean(),
      attention: z.boolean(),
      answers: z.array(z.object({ code: z.string(), answerId: z.uuid() })),
    }),
    status: 201,
    handler: (ctx, { params, body }) => submitGuideResponse(ctx, params.familyId, body),
  }),
];

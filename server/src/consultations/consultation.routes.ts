import { z } from 'zod';
import { FamilyIdParams } from '../families/family.types.ts';
import { SharedWithResponse } from '../families/shared-with.ts';
import { defineRoute } from '../http/route.ts';
import {
  AnswerInput,
  AskInput,
  answerConsultation,
  askConsultation,
  ConsultationParams,
  familyConsultations,
  listConsultations,
} from './consultation.ts';

const ListResponse = z.object({
  consultations: z.array(
    z.object({
      id: z.uuid(),
      side: z.enum(['asker', 'consulted']),
      familyId: z.uuid().nullable(),
      anonymous: z.boolean(),
      askedByName: z.string(),
      askedByOrganisationName: z.string(),
      consultedOrganisationName: z.string(),
      question: z.string(),
      answer: z.string().nullable(),
      answeredByName: z.string().nullable(),
      answeredAt: z.string().nullable(),
      status: z.enum(['open', 'answered', 'withdrawn']),
      createdAt: z.string(),
      version: z.number(),
      shared: SharedWithResponse,
    }),
  ),
});
export type ConsultationsResponse = z.infer<typeof ListResponse>;

const FamilyResponse = z.object({
  withheld: z.number(),
  consultations: z.array(
    z.object({
      id: z.uuid(),
      question: z.string(),
      answer: z.string().nullable(),
      status: z.enum(['open', 'answered', 'withdrawn']),
      createdAt: z.string(),
      answeredAt: z.string().nullable(),
      consultedOrganisationName: z.string(),
      askedByName: z.string(),
      askedByOrganisationName: z.string(),
    }),
  ),
});
export type FamilyConsultationsResponse = z.infer<typeof FamilyResponse>;

export const consultationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/consultations',
    summary: 'Ask another organisation a question, anonymously or with the record (consent checked)',
    tag: 'consultations',
    auth: 'session',
    permission: 'consultation.use',
    body: AskInput,
    status: 201,
    response: z.object({ consultationId: z.uuid(), anonymous: z.boolean() }),
    handler: (ctx, { body }) => askConsultation(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/consultations',
    summary: 'Consultations the actor asked, and those asked of their organisation (audited per family)',
    tag: 'consultations',
    auth: 'session',
    permission: 'consultation.use',
    response: ListResponse,
    handler: (ctx) => listConsultations(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/consultations/:consultationId/answer',
    summary: 'Answer a consultation asked of the actor’s organisation',
    tag: 'consultations',
    auth: 'session',
    permission: 'consultation.use',
    params: ConsultationParams,
    body: AnswerInput,
    response: z.object({ consultationId: z.uuid(), status: z.literal('answered') }),
    handler: (ctx, { params, body }) => answerConsultation(ctx, params.consultationId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/consultations',
    summary: 'The consultations kept with the family (not the anonymous ones; audited)',
    tag: 'consultations',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: FamilyResponse,
    handler: (ctx, { params }) => familyConsultations(ctx, params.familyId),
  }),
];

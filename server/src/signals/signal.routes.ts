import { z } from 'zod';
import { AudienceDecisionResponse } from '../access/family-audience.ts';
import { OkResponse } from '../accounts/account.types.ts';
import {
  CARE_INTENSITIES,
  CONSENT_CATEGORIES,
  SIGNAL_SOURCES,
  SIGNAL_STATUSES,
  STRESS_LEVELS,
} from '../database/schema.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { PHASES } from '../families/trajectory.ts';
import { defineRoute } from '../http/route.ts';
import { JudgementParams, RecordJudgementInput, recordJudgement, SecondLookInput, secondLook } from './judgement.ts';
import { readPicture } from './picture.ts';
import {
  ConfirmSignalInput,
  CorrectSignalInput,
  confirmSignal,
  correctSignal,
  EndSignalInput,
  endSignal,
  RecordSignalInput,
  recordSignal,
  SignalParams,
} from './record-signal.ts';
import { SignalCodeList, signalCodes } from './signal-codes.ts';

/** Parents' own views beside an entry (portal/parent-views.ts), each with the person who wrote it. */
const ParentViews = z.array(z.object({ personId: z.uuid(), view: z.string(), shownToFamily: z.boolean() }));

const PictureResponse = z.object({
  codeListVersion: z.number(),
  counts: z.object({ stress: z.number(), protective: z.number() }),
  domains: z.array(
    z.object({
      domain: z.string(),
      kind: z.enum(['stress', 'protective']),
      signals: z.array(
        z.object({
          id: z.uuid(),
          code: z.string(),
          concernsPersonId: z.uuid().nullable(),
          status: z.enum(SIGNAL_STATUSES),
          since: z.string().nullable(),
          source: z.enum(SIGNAL_SOURCES),
          note: z.string().nullable(),
          /** Each parent's own view, written in their own Kring, with its author. */
          parentsViews: ParentViews,
          /** A professional's decision on who in the family sees it (access/family-audience.ts), or null: the rule. */
          parentsAudience: AudienceDecisionResponse,
          category: z.enum(CONSENT_CATEGORIES),
          reviewOn: z.string().nullable(),
          reviewDue: z.boolean(),
          organisationName: z.string(),
          professionalName: z.string(),
          mine: z.boolean(),
          version: z.number(),
        }),
      ),
    }),
  ),
  ended: z.array(
    z.object({
      id: z.uuid(),
      code: z.string(),
      since: z.string().nullable(),
      endedOn: z.string().nullable(),
      organisationName: z.string(),
    }),
  ),
  history: z.array(z.object({ month: z.string(), phase: z.enum(PHASES), stress: z.number(), protective: z.number() })),
  /** Entries withheld from the actor's organisation for lack of consent (their number only). */
  withheld: z.number(),
  /** The care-intensity judgement in force (effective, or agreed at a second look). */
  inForce: z.object({ stressLevel: z.enum(STRESS_LEVELS), intensity: z.enum(CARE_INTENSITIES) }).nullable(),
  judgements: z.array(
    z.object({
      id: z.uuid(),
      stressLevel: z.enum(STRESS_LEVELS),
      intensity: z.enum(CARE_INTENSITIES),
      rationale: z.string(),
      /** What the parents said, as the professional recorded it with the judgement. */
      parentsView: z.string().nullable(),
      /** Each parent's own view, written in their own Kring, with its author. */
      parentsViews: ParentViews,
      parentsAskForHelp: z.boolean().nullable(),
      status: z.enum(['effective', 'proposed', 'agreed', 'commented']),
      organisationName: z.string(),
      professionalName: z.string(),
      reviewerName: z.string().nullable(),
      reviewedByName: z.string().nullable(),
      reviewComment: z.string().nullable(),
      createdAt: z.string(),
      mayReview: z.boolean(),
      parentsAudience: AudienceDecisionResponse,
      version: z.number(),
    }),
  ),
});
export type PictureResult = z.infer<typeof PictureResponse>;

export const signalRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/signal-codes',
    summary: 'The signal code list: domains and codes with their labels (no personal data)',
    tag: 'signals',
    auth: 'session',
    permission: 'family.read',
    response: SignalCodeList,
    handler: async () => {
      const { version, description, domains, codes } = signalCodes();
      return { version, description, domains, codes };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/picture',
    summary: 'What stands between parent and child: current signals by domain, counts, and their course',
    tag: 'signals',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: PictureResponse,
    handler: (ctx, { params }) => readPicture(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/signals',
    summary: 'Record a signal: a stress factor or a protective factor',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: RecordSignalInput,
    response: z.object({ signalId: z.uuid() }),
    status: 201,
    handler: (ctx, { params, body }) => recordSignal(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/families/:familyId/signals/:signalId',
    summary: 'Correct a signal (the organisation that recorded it); its history is kept',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: SignalParams,
    body: CorrectSignalInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => correctSignal(ctx, params.familyId, params.signalId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/signals/:signalId/end',
    summary: 'End a signal: no longer present',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: SignalParams,
    body: EndSignalInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => endSignal(ctx, params.familyId, params.signalId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/signals/:signalId/confirm',
    summary: 'Confirm at review that a signal still holds, with the next review date',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: SignalParams,
    body: ConfirmSignalInput,
    response: OkResponse,
    handler: (ctx, { params, body }) => confirmSignal(ctx, params.familyId, params.signalId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/judgements',
    summary: 'Record a care-intensity judgement; raising the intensity waits for a colleague’s second look',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: RecordJudgementInput,
    response: z.object({ judgementId: z.uuid(), status: z.enum(['effective', 'proposed']) }),
    status: 201,
    handler: (ctx, { params, body }) => recordJudgement(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/judgements/:judgementId/second-look',
    summary: 'A colleague’s second look at a proposed judgement: agree or comment',
    tag: 'signals',
    auth: 'session',
    permission: 'family.write',
    params: JudgementParams,
    body: SecondLookInput,
    response: z.object({ status: z.enum(['agreed', 'commented']) }),
    handler: (ctx, { params, body }) => secondLook(ctx, params.familyId, params.judgementId, body),
  }),
];

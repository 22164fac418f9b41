import { z } from 'zod';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import { ParentText } from '../signals/signal-codes.ts';
import { askForHelp, HelpRequestInput } from './ask-for-help.ts';
import { changeFamilySharing, FamilySharingInput } from './family-sharing.ts';
import {
  answerAtHome,
  GuideRequestParams,
  HomeAnswersInput,
  readHomeGuides,
  SendGuideInput,
  sendGuideToParent,
} from './guides-at-home.ts';
import { ConsentChangeInput, changeOurConsent, readOurConsent } from './our-consent.ts';
import { exportOurData, OurDataExport } from './our-data.ts';
import { readOurJourney } from './our-journey.ts';
import {
  AcceptParentInvitationInput,
  acceptParentInvitation,
  inviteParent,
  ParentInvitationInput,
} from './parent-invitations.ts';
import { ParentsViewInput, ParentViewsShape, setParentView } from './parent-views.ts';
import {
  fileParentRequest,
  JudgementIdParams,
  ParentRequestInput,
  readWhatIsRecorded,
  SignalIdParams,
} from './what-is-recorded.ts';
import { readWhoLooked, WhoLookedQuery } from './who-looked.ts';

const OurJourneyResponse = z.object({
  me: z.uuid(),
  persons: z.array(
    z.object({ id: z.uuid(), givenName: z.string().nullable(), role: z.string(), childStatus: z.string().nullable() }),
  ),
  trajectories: z.array(
    z.object({
      id: z.uuid(),
      childPersonId: z.uuid().nullable(),
      dueDate: z.string().nullable(),
      birthDate: z.string().nullable(),
      phase: z.string(),
      day: z.number().nullable(),
      gestationWeeks: z.number().nullable(),
      ageDays: z.number().nullable(),
      closed: z.boolean(),
      coming: z.array(z.object({ on: z.string(), overdue: z.boolean() })),
    }),
  ),
  team: z.array(
    z.object({
      organisationId: z.uuid(),
      name: z.string(),
      type: z.string(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
      openingHours: z.string().nullable(),
      since: z.string(),
      professionals: z.array(
        z.object({ name: z.string(), discipline: z.string().nullable(), isRegiehouder: z.boolean() }),
      ),
    }),
  ),
  contacts: z.array(z.object({ id: z.uuid(), on: z.string(), kind: z.string(), organisationName: z.string() })),
  plan: z.array(
    z.object({
      id: z.uuid(),
      goal: z.string(),
      evaluateOn: z.string(),
      status: z.string(),
      owner: z.string().nullable(),
    }),
  ),
});
export type OurJourney = z.infer<typeof OurJourneyResponse>;

const OurConsentResponse = z.object({
  organisations: z.array(
    z.object({
      organisationId: z.uuid(),
      name: z.string(),
      type: z.string(),
      categories: z.array(
        z.object({
          category: z.string(),
          mine: z.boolean(),
          familyComplete: z.boolean(),
          /** What the other parent (each other person whose consent counts) chose; empty when that is not shown. */
          others: z.array(z.object({ givenName: z.string().nullable(), given: z.boolean() })),
        }),
      ),
    }),
  ),
  /** false where a safety concern in the family keeps the other parent's choices from this parent. */
  othersShown: z.boolean(),
  /** The other adults of the family, and whether this parent shows them what is recorded about them. */
  familySharing: z.array(z.object({ personId: z.uuid(), givenName: z.string().nullable(), shared: z.boolean() })),
});
export type OurConsent = z.infer<typeof OurConsentResponse>;

const VisitKind = z.enum(['looked', 'changed', 'refused', 'emergency', 'parent']);
const WhoLookedResponse = z.object({
  /** false when the period holds more than the newest 2,000 steps (choose a shorter period). */
  complete: z.boolean(),
  visits: z.array(
    z.object({
      id: z.uuid(),
      startedAt: z.string(),
      endedAt: z.string(),
      organisation: z.string().nullable(),
      role: z.string().nullable(),
      kind: VisitKind,
      /** The parts of the record this visit touched, each once. */
      areas: z.array(z.string()),
      steps: z.array(z.object({ id: z.uuid(), occurredAt: z.string(), area: z.string(), kind: VisitKind })),
    }),
  ),
});
export type WhoLooked = z.infer<typeof WhoLookedResponse>;

const WhatIsRecordedResponse = z.object({
  signals: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['stress', 'protective']),
      text: ParentText,
      concernsPersonId: z.uuid().nullable(),
      current: z.boolean(),
      since: z.string().nullable(),
      recordedAt: z.string(),
      recordedBy: z.object({ organisation: z.string(), role: z.string().nullable() }).nullable(),
      byParents: z.boolean(),
      /** This parent's own view, and the views the other adults chose to show the family. */
      ...ParentViewsShape,
    }),
  ),
  meldcode: z.array(
    z.object({
      id: z.uuid(),
      organisation: z.string(),
      startedAt: z.string(),
      closedAt: z.string().nullable(),
      outcome: z.string().nullable(),
    }),
  ),
  requests: z.array(
    z.object({
      id: z.uuid(),
      kind: z.string(),
      signalId: z.uuid().nullable(),
      about: ParentText.nullable(),
      recordType: z.enum(['signal', 'contact', 'other']),
      decidedAt: z.string().nullable(),
      text: z.string(),
      status: z.string(),
      ground: z.string().nullable(),
      reason: z.string().nullable(),
      answerDueOn: z.string(),
      organisation: z.string(),
    }),
  ),
  judgement: z
    .object({
      id: z.uuid(),
      stressLevel: z.string(),
      intensity: z.string(),
      /** This parent's own view, and the views the other adults chose to show the family. */
      ...ParentViewsShape,
      organisation: z.string(),
      on: z.string(),
    })
    .nullable(),
});
export type WhatIsRecorded = z.infer<typeof WhatIsRecordedResponse>;

const Text = z.object({ nl: z.string(), en: z.string() });
const HomeGuidesResponse = z.object({
  requests: z.array(
    z.object({
      id: z.uuid(),
      organisation: z.string(),
      sentAt: z.string(),
      title: Text,
      items: z.array(
        z.object({
          code: z.string(),
          type: z.string(),
          text: Text,
          why: Text,
          options: z.array(z.object({ value: z.string(), nl: z.string(), en: z.string() })).nullable(),
          alreadyAnswered: z
            .object({ value: z.union([z.string(), z.number(), z.boolean()]), organisation: z.string(), on: z.string() })
            .nullable(),
        }),
      ),
    }),
  ),
});
export type HomeGuides = z.infer<typeof HomeGuidesResponse>;

export const portalRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/guide-requests',
    summary: 'Send a parent a conversation guide to answer at home before a visit',
    tag: 'portal',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: SendGuideInput,
    status: 201,
    response: z.object({ id: z.uuid() }),
    handler: (ctx, { params, body }) => sendGuideToParent(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/guides',
    summary: 'The questions waiting for this parent, each with why it is asked and what was already answered',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    response: HomeGuidesResponse,
    handler: (ctx) => readHomeGuides(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/portal/guides/:requestId',
    summary: "The parent's answers (any question may be skipped); the sender gets a task",
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    params: GuideRequestParams,
    body: HomeAnswersInput,
    response: z.object({ answered: z.number(), skipped: z.number() }),
    handler: (ctx, { params, body }) => answerAtHome(ctx, params.requestId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/portal/data-requests',
    summary: 'The parents ask to correct or delete something recorded; the owning organisation decides within a month',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    body: ParentRequestInput,
    status: 201,
    response: z.object({ id: z.uuid(), answerDueOn: z.string() }),
    handler: (ctx, { body }) => fileParentRequest(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/export',
    summary: 'Everything Kring holds about the family (the right of access), as JSON (audited)',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    response: OurDataExport,
    handler: (ctx) => exportOurData(ctx),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/recorded',
    summary: 'What is recorded about the family, in wording for parents, with who recorded it and when (audited)',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    response: WhatIsRecordedResponse,
    handler: (ctx) => readWhatIsRecorded(ctx),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/portal/recorded/judgements/:judgementId/view',
    summary: "The parents' own view beside the care judgement",
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    params: JudgementIdParams,
    body: ParentsViewInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { params, body }) => setParentView(ctx, 'judgement', params.judgementId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/portal/recorded/signals/:signalId/view',
    summary: "The parents' own view beside a signal; professionals see it next to theirs",
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    params: SignalIdParams,
    body: ParentsViewInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { params, body }) => setParentView(ctx, 'signal', params.signalId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/portal/help',
    summary: 'The parents ask for help in their own words: recorded as the family asking, a task for the regiehouder',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    body: HelpRequestInput,
    status: 201,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { body }) => askForHelp(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/who-looked',
    summary: "Who looked at or changed the family's record: organisation, role, what and when (audited)",
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    query: WhoLookedQuery,
    response: WhoLookedResponse,
    handler: (ctx, { query }) => readWhoLooked(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/consent',
    summary: 'What this parent allowed each organisation of the team, per category (audited)',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    response: OurConsentResponse,
    handler: (ctx) => readOurConsent(ctx),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/portal/consent',
    summary: 'Give or withdraw consent for one organisation and category; counts at once; the organisation is told',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    body: ConsentChangeInput,
    response: OurConsentResponse,
    handler: (ctx, { body }) => changeOurConsent(ctx, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/portal/family-sharing',
    summary: 'Show (or stop showing) what is recorded about this parent to another adult of the family',
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    body: FamilySharingInput,
    response: OurConsentResponse.pick({ familySharing: true }),
    handler: (ctx, { body }) => changeFamilySharing(ctx, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/parent-invitations',
    summary: 'Invite a parent to their own Kring: a code for paper and, with an address, an e-mail link',
    tag: 'portal',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: ParentInvitationInput,
    status: 201,
    response: z.object({ code: z.string(), expiresAt: z.date().transform((d) => d.toISOString()) }),
    handler: (ctx, { params, body }) => inviteParent(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/parent-invitation',
    summary: 'A parent takes up an invitation code: their own account for their own family',
    tag: 'auth',
    auth: 'public',
    body: AcceptParentInvitationInput,
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { body }) => acceptParentInvitation(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/portal/journey',
    summary: "The parents' own Kring: their journey, care team, contacts and plan (audited)",
    tag: 'portal',
    auth: 'session',
    permission: 'portal.read',
    response: OurJourneyResponse,
    handler: (ctx) => readOurJourney(ctx),
  }),
];

import { z } from 'zod';
import { CONSENT_CATEGORIES, OUTCOME_REASONS, REFERRAL_STATUSES, REFERRAL_URGENCIES } from '../database/schema.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { SharedWithResponse } from '../families/shared-with.ts';
import { defineRoute } from '../http/route.ts';
import { InboxQuery, ReferralParams, readInbox, readReferral, readSent, SentQuery } from './read-referrals.ts';
import { MoveReferralInput, moveReferral, SendReferralInput, sendReferral } from './referral.ts';

/** A referral as a line of a list (the inbox, what was sent), a page at a time. */
const ReferralLine = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  interventionKey: z.string().nullable(),
  urgency: z.enum(REFERRAL_URGENCIES),
  status: z.enum(REFERRAL_STATUSES),
  sentAt: z.string().nullable(),
  expectedStartOn: z.string().nullable(),
  closedAt: z.string().nullable(),
  late: z.boolean(),
  version: z.number(),
});
const Paged = z.object({ page: z.number(), pageSize: z.number(), total: z.number() });

const InboxResponse = Paged.extend({
  view: z.enum(['open', 'closed']),
  referrals: z.array(ReferralLine.extend({ familyName: z.string(), fromOrganisationName: z.string() })),
});

const ReferralResponse = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  fromOrganisationName: z.string(),
  fromProfessionalName: z.string(),
  toOrganisationId: z.uuid(),
  toOrganisationName: z.string(),
  interventionKey: z.string().nullable(),
  reason: z.string(),
  reasonToProceed: z.string().nullable(),
  urgency: z.enum(REFERRAL_URGENCIES),
  sharedCategories: z.array(z.enum(CONSENT_CATEGORIES)),
  status: z.enum(REFERRAL_STATUSES),
  sentAt: z.string().nullable(),
  expectedStartOn: z.string().nullable(),
  helpReceived: z.boolean().nullable(),
  outcomeReason: z.enum(OUTCOME_REASONS).nullable(),
  outcomeNote: z.string().nullable(),
  alternative: z.string().nullable(),
  late: z.boolean(),
  side: z.enum(['sender', 'receiver']),
  version: z.number(),
  events: z.array(
    z.object({
      status: z.enum(REFERRAL_STATUSES),
      note: z.string().nullable(),
      at: z.string(),
      professionalName: z.string(),
      organisationName: z.string(),
    }),
  ),
  /** What went along, for the receiver. */
  shared: SharedWithResponse,
});
export type ReferralResponse = z.infer<typeof ReferralResponse>;
export type InboxResponse = z.infer<typeof InboxResponse>;

const SentResponse = Paged.extend({
  by: z.enum(['me', 'organisation']),
  referrals: z.array(
    ReferralLine.extend({
      /** Null when the reader may no longer see the family (no longer in its team). */
      familyName: z.string().nullable(),
      toOrganisationName: z.string(),
      fromProfessionalName: z.string(),
    }),
  ),
});
export type SentResponse = z.infer<typeof SentResponse>;

export const referralRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/referrals',
    summary: 'Refer the family to an organisation (idempotent by idempotencyKey; consent checked)',
    tag: 'referrals',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: SendReferralInput,
    status: 201,
    response: z.object({ referralId: z.uuid(), status: z.enum(REFERRAL_STATUSES) }),
    handler: (ctx, { params, body }) => sendReferral(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/referrals/inbox',
    summary: "The organisation's referral inbox, a page at a time (audited)",
    tag: 'referrals',
    auth: 'session',
    permission: 'referral.receive',
    query: InboxQuery,
    response: InboxResponse,
    handler: (ctx, { query }) => readInbox(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/referrals/sent',
    summary: 'The referrals the actor (or their organisation) sent, newest first, a page at a time (audited)',
    tag: 'referrals',
    auth: 'session',
    permission: 'referral.read',
    query: SentQuery,
    response: SentResponse,
    handler: (ctx, { query }) => readSent(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/referrals/:referralId',
    summary: 'One referral with its history; for the receiver also what went along (audited)',
    tag: 'referrals',
    auth: 'session',
    permission: 'referral.read',
    params: ReferralParams,
    response: ReferralResponse,
    handler: (ctx, { params }) => readReferral(ctx, params.referralId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/referrals/:referralId/status',
    summary: 'Move a referral on: send, accept, decline, start, complete or cancel (optimistic concurrency)',
    tag: 'referrals',
    auth: 'session',
    permission: 'referral.read',
    params: ReferralParams,
    body: MoveReferralInput,
    response: z.object({
      referralId: z.uuid(),
      status: z.enum(REFERRAL_STATUSES),
      version: z.number(),
      familyId: z.uuid(),
    }),
    handler: (ctx, { params, body }) => moveReferral(ctx, params.referralId, body),
  }),
];

import { z } from 'zod';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import {
  DATA_REQUEST_KINDS,
  DataRequestInput,
  DecisionInput,
  decideDataRequest,
  listDataRequests,
  RECORD_TYPES,
  recordDataRequest,
} from './data-requests.ts';

const date = z.date().transform((d) => d.toISOString());

const DataRequestResponse = z.object({
  id: z.uuid(),
  kind: z.enum(DATA_REQUEST_KINDS),
  recordType: z.enum(RECORD_TYPES),
  recordId: z.uuid().nullable(),
  requestedByPersonId: z.uuid().nullable(),
  /** Whom the entry is about (a signal's or contact's person), null for the family or something else. */
  concernsPersonId: z.uuid().nullable(),
  text: z.string(),
  ownerOrganisationId: z.uuid(),
  ownerName: z.string(),
  recordedBy: z.string(),
  createdAt: date,
  answerDueOn: z.string(),
  status: z.enum(['open', 'granted', 'partly_granted', 'refused']),
  ground: z.string().nullable(),
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: date.nullable(),
  version: z.number(),
  mayDecide: z.boolean(),
});

const DataRequestsResponse = z.object({ requests: z.array(DataRequestResponse) });
export type DataRequestsResponse = z.infer<typeof DataRequestsResponse>;

export const dataRequestRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/data-requests',
    summary: "The parents' requests to correct or delete entries, with their decisions (audited)",
    tag: 'families',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: DataRequestsResponse,
    handler: (ctx, { params }) => listDataRequests(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/data-requests',
    summary: "Record the parents' request to correct or delete an entry; the owning organisation decides",
    tag: 'families',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: DataRequestInput,
    status: 201,
    response: z.object({ id: z.uuid(), answerDueOn: z.string() }),
    handler: (ctx, { params, body }) => recordDataRequest(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/data-requests/:requestId/decision',
    summary:
      'Decide a request (the organisation that owns the entry): granted, partly granted or refused, with ground and reason',
    tag: 'families',
    auth: 'session',
    permission: 'family.write',
    params: z.strictObject({ familyId: z.uuid('must be a UUID'), requestId: z.uuid('must be a UUID') }),
    body: DecisionInput,
    response: z.object({ status: z.string(), entriesDeleted: z.number() }),
    handler: (ctx, { params, body }) => decideDataRequest(ctx, params.familyId, params.requestId, body),
  }),
];

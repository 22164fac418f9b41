import { z } from 'zod';
import type { Permission } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { AUDIT_EVENT, CARE_PLAN, GOAL, QUESTIONNAIRE_RESPONSE, SERVICE_REQUEST, TASK } from './care-resources.ts';
import { CARE_TEAM, CONSENT, ENCOUNTER, EPISODE_OF_CARE, GROUP, RELATED_PERSON } from './chain-resources.ts';
import {
  PRACTITIONER_ROLE_SEARCH,
  PRACTITIONER_SEARCH,
  QUESTIONNAIRE_SEARCH,
  readPractitioner,
  readPractitionerRole,
  readQuestionnaire,
  searchPractitionerRoles,
  searchPractitioners,
  searchQuestionnaires,
} from './directory.ts';
import { type FamilyResourceType, readFamilyResource, searchFamilyResources } from './family-resources.ts';
import { FHIR_CONTENT_TYPE, FhirResource, type SearchParameter } from './fhir.ts';
import { OBSERVATION } from './observation.ts';
import { ORGANIZATION_SEARCH, readOrganization, searchOrganizations } from './organization.ts';
import { PATIENT_SEARCH, readPatient, searchPatients } from './patient.ts';

type SearchOptions = { strict: boolean; baseUrl: string };

/** One resource type at /fhir: who may use it, how it is read and searched, what the CapabilityStatement says. */
interface FhirType {
  type: string;
  permission: Permission;
  documentation: string;
  searchParams: readonly SearchParameter[];
  read(ctx: RequestContext, id: string, options: SearchOptions): Promise<FhirResource>;
  search(ctx: RequestContext, query: Record<string, string | string[]>, options: SearchOptions): Promise<unknown>;
}

function familyType(type: FamilyResourceType, documentation: string): FhirType {
  return {
    type: type.type,
    permission: 'family.read',
    documentation,
    searchParams: type.searchParams,
    read: (ctx, id, options) => readFamilyResource(ctx, type, id, options),
    search: (ctx, query, options) => searchFamilyResources(ctx, type, query, options),
  };
}

/** Every resource type Kring serves, in the order the CapabilityStatement lists them. */
export const FHIR_TYPES: readonly FhirType[] = [
  {
    type: 'Patient',
    permission: 'family.read',
    documentation:
      'Every person of a family: the pregnant person, partner, caregivers and children (expected ones too).',
    searchParams: PATIENT_SEARCH,
    read: readPatient,
    search: searchPatients,
  },
  familyType(GROUP, 'The family as a whole; signals and contacts about the whole family have it as subject.'),
  familyType(
    RELATED_PERSON,
    'Each adult of the family in relation to the youngest child (before a child: the pregnant person).',
  ),
  familyType(
    CARE_TEAM,
    "The family's care team: the organisations and the professionals assigned, the regiehouder marked.",
  ),
  familyType(EPISODE_OF_CARE, "A child's 1001-day trajectory (from the estimated conception), or preconception care."),
  familyType(ENCOUNTER, 'The contacts with the family (consent applies, per category and person).'),
  familyType(
    OBSERVATION,
    "The signals (stress and protective factors) and the care-intensity judgement; consent applies, a parent's own history only with that parent's consent.",
  ),
  familyType(QUESTIONNAIRE_RESPONSE, "The conversation guides' answers (consent applies, per answer)."),
  familyType(CARE_PLAN, "One family, one plan: the family's goals and the actions agreed for them."),
  familyType(GOAL, 'The goals of the family plan.'),
  familyType(SERVICE_REQUEST, 'A referral: to which organisation, for which intervention, why, how urgent.'),
  familyType(TASK, "A referral's lifecycle: status, businessStatus (Kring's own step) and the outcome."),
  familyType(CONSENT, "The parents' consent per organisation and category (withdrawn ones inactive)."),
  familyType(AUDIT_EVENT, "The family's audit trail, for its regiehouder."),
  {
    type: 'Organization',
    permission: 'organisation.list',
    documentation: "The region's organisations (no personal data).",
    searchParams: ORGANIZATION_SEARCH,
    read: readOrganization,
    search: searchOrganizations,
  },
  {
    type: 'Practitioner',
    permission: 'organisation.members.read',
    documentation: "The professionals of the actor's organisation, of their families' teams, and who referred to them.",
    searchParams: PRACTITIONER_SEARCH,
    read: readPractitioner,
    search: searchPractitioners,
  },
  {
    type: 'PractitionerRole',
    permission: 'organisation.members.read',
    documentation: 'A professional in their organisation, with their discipline.',
    searchParams: PRACTITIONER_ROLE_SEARCH,
    read: readPractitionerRole,
    search: searchPractitionerRoles,
  },
  {
    type: 'Questionnaire',
    permission: 'family.read',
    documentation: 'The conversation guides, with why each question is asked (a help item).',
    searchParams: QUESTIONNAIRE_SEARCH,
    read: readQuestionnaire,
    search: searchQuestionnaires,
  },
];

const BY_TYPE = new Map(FHIR_TYPES.map((t) => [t.type, t]));

/** The type named in the URL, with the actor's role checked; an unknown type is 404 as the spec says. */
function fhirType(ctx: RequestContext, name: string): FhirType {
  const type = BY_TYPE.get(name);
  if (!type)
    throw new AppError(
      'ROUTE_NOT_FOUND',
      `This server has no resource type "${name.slice(0, 64)}" (see /fhir/metadata).`,
    );
  ctx.access.requireRole(type.permission);
  return type;
}

const TypeParams = z.strictObject({ type: z.string().max(64) });
const SearchQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const Bundle = z.looseObject({ resourceType: z.literal('Bundle'), type: z.literal('searchset'), total: z.number() });

const CapabilityStatement = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  fhirVersion: z.literal('4.0.1'),
});

/** Strict handling when the client asks for it (`Prefer: handling=strict`); links on the public address. */
function searchOptions(ctx: RequestContext): SearchOptions {
  const prefer = ctx.reply.request.headers.prefer;
  return {
    strict: typeof prefer === 'string' && /handling\s*=\s*strict/.test(prefer),
    baseUrl: ctx.config.publicUrl,
  };
}

export const fhirRoutes = [
  defineRoute({
    method: 'GET',
    url: '/fhir/metadata',
    summary: 'FHIR R4 CapabilityStatement: what this server truly offers',
    tag: 'fhir',
    auth: 'public',
    response: CapabilityStatement,
    handler: async (ctx) => {
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      return {
        resourceType: 'CapabilityStatement' as const,
        status: 'active',
        date: '2026-11-27',
        kind: 'instance',
        fhirVersion: '4.0.1' as const,
        format: ['application/fhir+json'],
        implementation: {
          description: 'Kring, the shared record of the care chain in the first 1001 days',
          url: `${ctx.config.publicUrl}/fhir`,
        },
        rest: [
          {
            mode: 'server',
            documentation:
              "Read-only for now. A view of Kring's own record through the same access decision point, consent and audit trail as the web app; query strings are never logged. Searches also by POST [type]/_search (a form body).",
            security: { description: "A signed-in Kring session (the web app's sign-in with its second factor)." },
            resource: FHIR_TYPES.map((t) => ({
              type: t.type,
              documentation: t.documentation,
              interaction: [{ code: 'read' }, { code: 'search-type' }],
              searchParam: t.searchParams.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
            })),
          },
        ],
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/:type/:id',
    summary: 'FHIR read: one resource the actor may see (family data audited)',
    tag: 'fhir',
    auth: 'session',
    params: z.strictObject({ type: z.string().max(64), id: z.string().max(64) }),
    response: FhirResource,
    handler: async (ctx, { params }) => {
      const resource = await fhirType(ctx, params.type).read(ctx, params.id, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      const version = (resource.meta as { versionId?: string } | undefined)?.versionId;
      if (version) ctx.reply.header('etag', `W/"${version}"`);
      return resource;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/:type',
    summary: 'FHIR search within what the actor may see (family data audited; the query string is never logged)',
    tag: 'fhir',
    auth: 'session',
    params: TypeParams,
    query: SearchQuery,
    response: Bundle,
    handler: async (ctx, { params, query }) => {
      const bundle = await fhirType(ctx, params.type).search(ctx, query, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      return bundle as z.input<typeof Bundle>;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/fhir/:type/_search',
    summary: 'FHIR search with the parameters in a form body instead of the URL',
    tag: 'fhir',
    auth: 'session',
    params: TypeParams,
    body: SearchQuery,
    response: Bundle,
    handler: async (ctx, { params, body }) => {
      const bundle = await fhirType(ctx, params.type).search(ctx, body, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      return bundle as z.input<typeof Bundle>;
    },
  }),
];

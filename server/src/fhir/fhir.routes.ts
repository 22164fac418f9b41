import { z } from 'zod';
import type { Permission } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { cancelExport, exportFile, exportStatus, kickOffExport } from './bulk-export.ts';
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
import {
  type FamilyResourceType,
  readFamilyResource,
  searchFamilyResources,
  vreadFamilyResource,
} from './family-resources.ts';
import { FHIR_CONTENT_TYPE, FhirResource, type SearchParameter } from './fhir.ts';
import {
  createEncounter,
  createObservation,
  createQuestionnaireResponse,
  updateObservation,
  updateTask,
  type Written,
} from './fhir-writes.ts';
import { OBSERVATION } from './observation.ts';
import { ORGANIZATION_SEARCH, readOrganization, searchOrganizations } from './organization.ts';
import { PATIENT_SEARCH, readPatient, searchPatients } from './patient.ts';
import { PROVENANCE } from './provenance.ts';
import {
  deactivateFhirClient,
  issueToken,
  listFhirClients,
  OAuthError,
  RegisterClientInput,
  registerFhirClient,
  scopeAllows,
  TOKEN_PATH,
  TokenRequest,
} from './smart.ts';

type SearchOptions = { strict: boolean; baseUrl: string };

/** One resource type at /fhir: who may use it, how it is read and searched, what the CapabilityStatement says. */
interface FhirType {
  type: string;
  permission: Permission;
  documentation: string;
  searchParams: readonly SearchParameter[];
  read(ctx: RequestContext, id: string, options: SearchOptions): Promise<FhirResource>;
  search(ctx: RequestContext, query: Record<string, string | string[]>, options: SearchOptions): Promise<unknown>;
  /** Writes, through the web app's own commands (family.write). */
  create?(ctx: RequestContext, body: unknown, options: SearchOptions): Promise<Written>;
  /** vread, where Kring keeps the history of the entries. */
  vread?(ctx: RequestContext, id: string, versionId: string, options: SearchOptions): Promise<FhirResource>;
  update?(
    ctx: RequestContext,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
    options: SearchOptions,
  ): Promise<Written>;
}

function familyType(
  type: FamilyResourceType,
  documentation: string,
  writes: Pick<FhirType, 'create' | 'update' | 'vread'> = {},
): FhirType {
  return {
    ...writes,
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
    'Each adult of the family in relation to each child, born or expected (before a child: to the pregnant person).',
  ),
  familyType(
    CARE_TEAM,
    "The family's care team: the organisations and the professionals assigned, the regiehouder marked.",
  ),
  familyType(EPISODE_OF_CARE, "A child's 1001-day trajectory (from the estimated conception), or preconception care."),
  familyType(
    ENCOUNTER,
    'The contacts with the family (consent applies, per category and person); create records a contact that took place.',
    {
      create: createEncounter,
    },
  ),
  familyType(
    OBSERVATION,
    "The signals (stress and protective factors) and the care-intensity judgement; consent applies, a parent's own history only with that parent's consent. Create records a signal, update corrects one (If-Match).",
    {
      create: createObservation,
      update: updateObservation,
      vread: (ctx, id, versionId, options) => vreadFamilyResource(ctx, OBSERVATION, id, versionId, options),
    },
  ),
  familyType(
    PROVENANCE,
    "Who recorded, corrected, ended or confirmed each version of a signal, and who made a care-intensity judgement with which colleague's second look (consent as for the Observation).",
  ),
  familyType(
    QUESTIONNAIRE_RESPONSE,
    "The conversation guides' answers (consent applies, per answer); create records a guide taken with a parent.",
    {
      create: createQuestionnaireResponse,
    },
  ),
  familyType(CARE_PLAN, "One family, one plan: the family's goals and the actions agreed for them."),
  familyType(GOAL, 'The goals of the family plan.'),
  familyType(SERVICE_REQUEST, 'A referral: to which organisation, for which intervention, why, how urgent.'),
  familyType(
    TASK,
    "A referral's lifecycle: status, businessStatus (Kring's own step) and the outcome; update moves it on (If-Match).",
    {
      update: updateTask,
    },
  ),
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
function fhirType(ctx: RequestContext, name: string, mode: 'read' | 'write' = 'read'): FhirType {
  const type = BY_TYPE.get(name);
  if (!type) {
    throw new AppError('ROUTE_NOT_FOUND', 'This server has no such resource type (see /fhir/metadata).');
  }
  ctx.access.requireRole(type.permission);
  if (mode === 'write') ctx.access.requireRole('family.write');
  // A system client: also what its token's scope grants.
  if (ctx.scopes && !scopeAllows(ctx.scopes, type.type, mode)) {
    throw new AppError('FORBIDDEN', `The token's scope does not allow to ${mode} ${type.type}.`, {
      refusal: { action: `fhir.${type.type.toLowerCase()}.${mode}` },
    });
  }
  return type;
}

const TypeParams = z.strictObject({ type: z.string().max(64) });
const SearchQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const Bundle = z.looseObject({ resourceType: z.literal('Bundle'), type: z.literal('searchset'), total: z.number() });

const CapabilityStatement = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  fhirVersion: z.literal('4.0.1'),
});

/**
 * 405, with what the URL does allow (the `Allow` header): search (GET) where create is missing,
 * read (GET) where update is; a history Kring does not keep allows nothing.
 */
const notOffered = (type: FhirType, interaction: 'create' | 'update' | 'history') =>
  new AppError('METHOD_NOT_ALLOWED', `${type.type} offers no ${interaction} over FHIR (see /fhir/metadata).`, {
    data: { allow: interaction === 'history' ? [] : ['GET'] },
  });

/** An update's body names the resource it updates: its id must be the URL's (R4 3.1.0.5). */
function requireSameId(body: unknown, id: string): void {
  const given = body && typeof body === 'object' ? (body as { id?: unknown }).id : undefined;
  if (given !== id) {
    throw new AppError('VALIDATION_FAILED', 'The resource in the body must carry the id of the URL.', {
      fields: [{ field: 'body.id', message: given === undefined ? 'required' : 'must be the id in the URL' }],
    });
  }
}

/**
 * A written resource: 201 with its Location when created, its version as ETag and Last-Modified;
 * the body as the client prefers (`Prefer: return=`): the resource (representation, the default),
 * nothing (minimal), or an OperationOutcome saying what was done.
 */
function answerWritten(ctx: RequestContext, type: FhirType, written: Written): FhirResource | undefined {
  const { resource } = written;
  const meta = resource.meta as { versionId?: string; lastUpdated?: string } | undefined;
  const version = meta?.versionId ?? '1';
  ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
  ctx.reply.header('etag', `W/"${version}"`);
  if (meta?.lastUpdated) ctx.reply.header('last-modified', new Date(meta.lastUpdated).toUTCString());
  if (written.created) {
    ctx.reply.status(201);
    ctx.reply.header('location', `${ctx.config.publicUrl}/fhir/${type.type}/${resource.id}/_history/${version}`);
  }
  const prefer = /return\s*=\s*(minimal|representation|OperationOutcome)/i.exec(
    String(ctx.reply.request.headers.prefer ?? ''),
  )?.[1];
  if (prefer === 'minimal') return undefined;
  if (prefer?.toLowerCase() === 'operationoutcome') {
    const done = written.created ? 'created' : 'updated';
    return {
      resourceType: 'OperationOutcome',
      id: resource.id,
      issue: [
        {
          severity: 'information',
          code: 'informational',
          diagnostics: `${type.type}/${resource.id} ${done} (version ${version}).`,
        },
      ],
    };
  }
  return resource;
}

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
        // Bulk Data Access (a family group's export) as that guide's server statement describes it.
        instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
        format: ['application/fhir+json'],
        implementation: {
          description: 'Kring, the shared record of the care chain in the first 1001 days',
          url: `${ctx.config.publicUrl}/fhir`,
        },
        rest: [
          {
            mode: 'server',
            documentation:
              "Writes (create, update) only where listed, through the web app's own commands; everything else is read-only. A view of Kring's own record through the same access decision point, consent and audit trail as the web app; query strings are never logged. Searches also by POST [type]/_search (a form body). Updates need If-Match with the ETag read (412 when stale).",
            security: {
              service: [
                {
                  coding: [
                    {
                      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                      code: 'SMART-on-FHIR',
                    },
                  ],
                },
              ],
              description: `A signed-in Kring session (the web app's sign-in with its second factor), or a system client of an organisation with SMART Backend Services: a token from ${ctx.config.publicUrl}${TOKEN_PATH} for a JWT assertion signed with a key an administrator registered (private_key_jwt); it sees what its organisation may see.`,
            },
            resource: FHIR_TYPES.map((t) => ({
              type: t.type,
              documentation: t.documentation,
              interaction: [
                { code: 'read' },
                ...(t.vread ? [{ code: 'vread' }] : []),
                { code: 'search-type' },
                ...(t.create ? [{ code: 'create' }] : []),
                ...(t.update ? [{ code: 'update' }] : []),
              ],
              ...(t.update ? { versioning: 'versioned-update', updateCreate: false } : {}),
              ...(t.vread && !t.update ? { versioning: 'versioned' } : {}),
              searchParam: t.searchParams.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
            })),
            operation: [
              {
                name: 'export',
                definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
                documentation:
                  'Group/[family id]/$export with Prefer: respond-async (_type, _since): NDJSON files of what the organisation may see of that family.',
              },
            ],
          },
        ],
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/.well-known/smart-configuration',
    summary: 'SMART configuration: how a system client gets a token (backend services)',
    tag: 'fhir',
    auth: 'public',
    response: z.looseObject({ token_endpoint: z.string() }),
    handler: async (ctx) => ({
      token_endpoint: `${ctx.config.publicUrl}${TOKEN_PATH}`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384', 'RS256', 'ES256'],
      scopes_supported: ['system/*.read', 'system/*.rs', 'system/*.write', 'system/*.cud', 'system/*.*'],
      capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
    }),
  }),
  defineRoute({
    method: 'POST',
    url: TOKEN_PATH,
    summary: 'SMART backend services token: client credentials with a signed JWT assertion (audited)',
    tag: 'fhir',
    auth: 'public',
    body: TokenRequest,
    response: z.union([
      z.strictObject({
        access_token: z.string(),
        token_type: z.literal('bearer'),
        expires_in: z.number(),
        scope: z.string(),
      }),
      z.strictObject({ error: z.string(), error_description: z.string() }),
    ]),
    handler: async (ctx, { body }) => {
      ctx.reply.header('cache-control', 'no-store');
      try {
        return await issueToken(ctx, body);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        ctx.reply.status(error.status);
        return { error: error.error, error_description: error.message };
      }
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/admin/fhir-clients',
    summary: "The organisations' systems registered for the FHIR API",
    tag: 'admin',
    auth: 'session',
    permission: 'organisation.manage',
    response: z.object({
      tokenUrl: z.string(),
      clients: z.array(
        z.object({
          clientId: z.uuid(),
          name: z.string(),
          organisation: z.string(),
          active: z.boolean(),
          keys: z.number(),
          createdAt: z.string(),
        }),
      ),
    }),
    handler: (ctx) => listFhirClients(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/fhir-clients',
    summary: "Register an organisation's system for the FHIR API with its public keys (audited)",
    tag: 'admin',
    auth: 'session',
    permission: 'organisation.manage',
    body: RegisterClientInput,
    response: z.object({ clientId: z.uuid(), tokenUrl: z.string() }),
    status: 201,
    handler: (ctx, { body }) => registerFhirClient(ctx, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/fhir-clients/:clientId/deactivate',
    summary: 'Stop a system client: its tokens stop working (audited)',
    tag: 'admin',
    auth: 'session',
    permission: 'organisation.manage',
    params: z.strictObject({ clientId: z.uuid() }),
    response: z.object({ ok: z.literal(true) }),
    handler: (ctx, { params }) => deactivateFhirClient(ctx, params.clientId),
  }),
  ...(['system', 'patient', 'group'] as const).map((level) =>
    defineRoute({
      method: 'GET',
      url:
        level === 'system'
          ? '/fhir/$export'
          : level === 'patient'
            ? '/fhir/Patient/$export'
            : '/fhir/Group/:id/$export',
      summary: `FHIR bulk export (${level} level): kick-off of a background job (Prefer: respond-async), audited per family`,
      tag: 'fhir',
      auth: 'session',
      permission: 'family.read',
      params: level === 'group' ? z.strictObject({ id: z.string().max(64) }) : z.strictObject({}),
      query: SearchQuery,
      response: FhirResource,
      handler: async (ctx, { params, query }) => {
        const request = ctx.reply.request;
        const prefer = request.headers.prefer;
        const { statusUrl } = await kickOffExport(ctx, {
          level,
          ...(level === 'group' ? { groupId: (params as unknown as { id: string }).id } : {}),
          query,
          prefer: typeof prefer === 'string' ? prefer : undefined,
          requestUrl: `${ctx.config.publicUrl}${request.url}`,
        });
        ctx.reply.status(202).header('content-location', statusUrl).header('content-type', FHIR_CONTENT_TYPE);
        return {
          resourceType: 'OperationOutcome',
          id: 'export-accepted',
          issue: [
            { severity: 'information', code: 'informational', diagnostics: `Export started; follow ${statusUrl}.` },
          ],
        };
      },
    }),
  ),
  defineRoute({
    method: 'GET',
    url: '/fhir/$export-status/:exportId',
    summary: 'FHIR bulk export status: 202 with progress, then the manifest (only for the one who asked)',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.read',
    params: z.strictObject({ exportId: z.string().max(64) }),
    response: z.union([z.looseObject({ transactionTime: z.string() }), z.object({})]),
    handler: async (ctx, { params }) => {
      const status = await exportStatus(ctx, params.exportId);
      ctx.reply.header('cache-control', 'no-store');
      if (!status.done) {
        ctx.reply.status(202).header('x-progress', status.progress).header('retry-after', '2');
        return {};
      }
      ctx.reply.header('content-type', 'application/json; charset=utf-8');
      return status.manifest;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/fhir/$export-status/:exportId',
    summary: 'FHIR bulk export: cancel it and drop its files',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.read',
    params: z.strictObject({ exportId: z.string().max(64) }),
    response: z.object({}),
    handler: async (ctx, { params }) => {
      await cancelExport(ctx, params.exportId);
      ctx.reply.status(202);
      return {};
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/$export-file/:exportId/:part',
    summary: 'FHIR bulk export: one NDJSON file (only for the one who asked, until it expires; audited)',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.read',
    params: z.strictObject({ exportId: z.string().max(64), part: z.coerce.number().int().min(1).max(100_000) }),
    response: z.string(),
    handler: async (ctx, { params }) => {
      const body = await exportFile(ctx, params.exportId, params.part);
      ctx.reply.header('content-type', 'application/fhir+ndjson');
      return body;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/:type/:id/_history/:versionId',
    summary: 'FHIR vread: an entry as it was at a version, where Kring keeps its history (audited)',
    tag: 'fhir',
    auth: 'session',
    params: z.strictObject({ type: z.string().max(64), id: z.string().max(64), versionId: z.string().max(12) }),
    response: FhirResource,
    handler: async (ctx, { params }) => {
      const type = fhirType(ctx, params.type);
      if (!type.vread) throw notOffered(type, 'history');
      const resource = await type.vread(ctx, params.id, params.versionId, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      ctx.reply.header('etag', `W/"${params.versionId}"`);
      return resource;
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
      const meta = resource.meta as { versionId?: string; lastUpdated?: string } | undefined;
      if (meta?.versionId) ctx.reply.header('etag', `W/"${meta.versionId}"`);
      if (meta?.lastUpdated) ctx.reply.header('last-modified', new Date(meta.lastUpdated).toUTCString());
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
    url: '/fhir/:type',
    summary: 'FHIR create, where the type offers it: through the web app’s own command (audited)',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.write',
    params: TypeParams,
    body: z.unknown(),
    response: FhirResource.optional(),
    handler: async (ctx, { params, body }) => {
      const type = fhirType(ctx, params.type, 'write');
      if (!type.create) throw notOffered(type, 'create');
      return answerWritten(ctx, type, await type.create(ctx, body, searchOptions(ctx)));
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/fhir/:type/:id',
    summary: 'FHIR update, where the type offers it: If-Match required, 412 when stale (audited)',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.write',
    params: z.strictObject({ type: z.string().max(64), id: z.string().max(64) }),
    body: z.unknown(),
    response: FhirResource.optional(),
    handler: async (ctx, { params, body }) => {
      const type = fhirType(ctx, params.type, 'write');
      if (!type.update) throw notOffered(type, 'update');
      const ifMatch = ctx.reply.request.headers['if-match'];
      // Without If-Match the update is refused first (428), whatever the body says.
      if (typeof ifMatch === 'string') requireSameId(body, params.id);
      return answerWritten(
        ctx,
        type,
        await type.update(ctx, params.id, body, typeof ifMatch === 'string' ? ifMatch : undefined, searchOptions(ctx)),
      );
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

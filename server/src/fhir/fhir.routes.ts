import { z } from 'zod';
import type { RequestContext } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { FHIR_CONTENT_TYPE, Organization, Patient, SearchBundle } from './fhir.ts';
import { ORGANIZATION_SEARCH, readOrganization, searchOrganizations } from './organization.ts';
import { PATIENT_SEARCH, readPatient, searchPatients } from './patient.ts';

const SearchQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const CapabilityStatement = z.object({
  resourceType: z.literal('CapabilityStatement'),
  status: z.literal('active'),
  date: z.string(),
  kind: z.literal('instance'),
  fhirVersion: z.literal('4.0.1'),
  format: z.array(z.string()),
  implementation: z.object({ description: z.string(), url: z.string() }),
  rest: z.array(
    z.object({
      mode: z.literal('server'),
      documentation: z.string(),
      security: z.object({ description: z.string() }),
      resource: z.array(
        z.object({
          type: z.string(),
          interaction: z.array(z.object({ code: z.string() })),
          searchParam: z.array(z.object({ name: z.string(), type: z.string(), documentation: z.string() })),
        }),
      ),
    }),
  ),
});

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
        status: 'active' as const,
        date: '2026-11-27',
        kind: 'instance' as const,
        fhirVersion: '4.0.1' as const,
        format: ['application/fhir+json'],
        implementation: {
          description: 'Kring, the shared record of the care chain in the first 1001 days',
          url: `${ctx.config.publicUrl}/fhir`,
        },
        rest: [
          {
            mode: 'server' as const,
            documentation:
              "Read-only for now. A view of Kring's own record through the same access decision point, consent and audit trail as the web app; query strings are never logged.",
            security: { description: "A signed-in Kring session (the web app's sign-in with its second factor)." },
            resource: [
              {
                type: 'Patient',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: PATIENT_SEARCH.map((p) => ({ ...p })),
              },
              {
                type: 'Organization',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: ORGANIZATION_SEARCH.map((p) => ({ ...p })),
              },
            ],
          },
        ],
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/Patient/:id',
    summary: 'FHIR Patient: a person of a family the actor may read (audited)',
    tag: 'fhir',
    auth: 'session',
    permission: 'family.read',
    params: z.strictObject({ id: z.string().max(64) }),
    response: Patient,
    handler: async (ctx, { params }) => {
      const patient = await readPatient(ctx, params.id);
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      ctx.reply.header('etag', `W/"${patient.meta.versionId}"`);
      return patient;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/Patient',
    summary: "FHIR Patient search within the actor's own families (audited; the query string is never logged)",
    tag: 'fhir',
    auth: 'session',
    permission: 'family.read',
    query: SearchQuery,
    response: SearchBundle(Patient),
    handler: async (ctx, { query }) => {
      const bundle = await searchPatients(ctx, query, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      return bundle;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/Organization/:id',
    summary: "FHIR Organization: one of the region's organisations (no personal data)",
    tag: 'fhir',
    auth: 'session',
    permission: 'organisation.list',
    params: z.strictObject({ id: z.string().max(64) }),
    response: Organization,
    handler: async (ctx, { params }) => {
      const organization = await readOrganization(ctx, params.id);
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      ctx.reply.header('etag', `W/"${organization.meta.versionId}"`);
      return organization;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/fhir/Organization',
    summary: "FHIR Organization search over the region's active organisations",
    tag: 'fhir',
    auth: 'session',
    permission: 'organisation.list',
    query: SearchQuery,
    response: SearchBundle(Organization),
    handler: async (ctx, { query }) => {
      const bundle = await searchOrganizations(ctx, query, searchOptions(ctx));
      ctx.reply.header('content-type', FHIR_CONTENT_TYPE);
      return bundle;
    },
  }),
];

/** Strict handling when the client asks for it (`Prefer: handling=strict`); links on the public address. */
function searchOptions(ctx: RequestContext) {
  const prefer = ctx.reply.request.headers.prefer;
  return {
    strict: typeof prefer === 'string' && /handling\s*=\s*strict/.test(prefer),
    baseUrl: ctx.config.publicUrl,
  };
}

import { z } from 'zod';
import { CARE_INTENSITIES } from '../database/schema.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { PHASES } from '../families/trajectory.ts';
import { defineRoute } from '../http/route.ts';
import {
  InterventionDefinition,
  importCatalogueCsv,
  loadCatalogue,
  OfferInput,
  OfferParams,
  setOwnOffer,
} from './catalogue.ts';
import { ENTRY_REASONS, FindInterventionsQuery, findInterventions, forgetCatalogue } from './find-interventions.ts';

const Offer = z.object({
  organisationId: z.uuid(),
  organisationName: z.string(),
  organisationType: z.string(),
  capacityPerMonth: z.number().nullable(),
  waitingWeeks: z.number(),
  contact: z.string(),
  updatedAt: z.string(),
});
const CatalogueEntry = z.object({
  definition: InterventionDefinition,
  source: z.enum(['catalogue', 'import']),
  updatedAt: z.string(),
  offers: z.array(Offer),
});
const CatalogueResponse = z.object({ interventions: z.array(CatalogueEntry) });

const FindResponse = z.object({
  family: z.object({
    phase: z.enum(PHASES),
    childAgeMonths: z.number().nullable(),
    stressFactors: z.number(),
    askedForHelp: z.boolean(),
    intensityInForce: z.enum(CARE_INTENSITIES).nullable(),
  }),
  intensity: z.enum([...CARE_INTENSITIES, 'any']),
  relationshipRule: z.object({ met: z.boolean(), because: z.array(z.string()) }),
  interventions: z.array(
    CatalogueEntry.extend({
      fitsSignals: z.array(z.string()),
      phaseFits: z.boolean(),
      proposed: z.boolean(),
      notProposedBecause: z.array(z.enum([...ENTRY_REASONS, 'relationship_rule'])),
      shortestWaitWeeks: z.number().nullable(),
    }),
  ),
});
export type FindInterventionsResponse = z.infer<typeof FindResponse>;
export type CatalogueResponse = z.infer<typeof CatalogueResponse>;

const ImportInput = z.strictObject({ csv: z.string().min(1).max(200_000) });

export const interventionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/interventions',
    summary: "The intervention catalogue with the region's offers (the sociale kaart; no personal data)",
    tag: 'interventions',
    auth: 'session',
    permission: 'catalogue.read',
    response: CatalogueResponse,
    handler: async (ctx) => ({ interventions: await loadCatalogue(ctx.deps.database.db) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/interventions/import',
    summary: 'Import interventions from CSV (administrator): all rows valid, or nothing imported',
    tag: 'interventions',
    auth: 'session',
    permission: 'content.manage',
    body: ImportInput,
    response: z.object({ imported: z.number(), keys: z.array(z.string()) }),
    handler: async (ctx, { body }) => {
      const result = await importCatalogueCsv(ctx, body.csv);
      forgetCatalogue(ctx.deps.database.db);
      return result;
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/interventions/:interventionKey/offer',
    summary: "Set the actor's organisation's offer of an intervention: waiting time, capacity, contact",
    tag: 'interventions',
    auth: 'session',
    permission: 'catalogue.offer',
    params: OfferParams,
    body: OfferInput,
    response: z.object({ interventionKey: z.string(), offered: z.boolean() }),
    handler: async (ctx, { params, body }) => {
      const result = await setOwnOffer(ctx, params.interventionKey, body);
      forgetCatalogue(ctx.deps.database.db);
      return result;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/interventions',
    summary: 'Search the catalogue for a family: its phase, current signals and care intensity (audited)',
    tag: 'interventions',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    query: FindInterventionsQuery,
    response: FindResponse,
    handler: (ctx, { params, query }) => findInterventions(ctx, params.familyId, query),
  }),
];

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ORGANISATION_TYPES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireVersion } from '../families/family-guards.ts';
import type { RequestContext, Tx } from '../http/context.ts';

const Details = {
  name: z.string().trim().min(2).max(200),
  type: z.enum(ORGANISATION_TYPES),
  /** AGB code or another identifier. */
  identifier: z.string().trim().max(50).nullable().default(null),
  contactPhone: z.string().trim().max(50).nullable().default(null),
  contactEmail: z.email().max(200).nullable().default(null),
  /** When it can be reached, in words ("ma–vr 8.30–17.00"). */
  openingHours: z.string().trim().max(200).nullable().default(null),
  address: z.string().trim().max(300).nullable().default(null),
  neighbourhoodIds: z.array(z.uuid()).max(500).default([]),
};
export const CreateOrganisationInput = z.strictObject(Details);
export const UpdateOrganisationInput = z.strictObject({
  ...Details,
  active: z.boolean(),
  version: z.number().int().positive(),
});
export const OrganisationParams = z.strictObject({ id: z.uuid('must be a UUID') });

/** Every organisation (active or not) with what an administrator keeps of it, and the region's neighbourhoods. */
export async function listForAdministration(ctx: RequestContext) {
  ctx.access.requireRole('organisation.manage');
  const db = ctx.deps.database.db;
  const [organisations, served, people, neighbourhoods] = await Promise.all([
    db.selectFrom('organisations').selectAll().orderBy('name').execute(),
    db.selectFrom('organisation_neighbourhoods').selectAll().execute(),
    db
      .selectFrom('accounts')
      .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('active', '=', true)
      .groupBy('organisation_id')
      .execute(),
    db.selectFrom('neighbourhoods').select(['id', 'name']).orderBy('name').execute(),
  ]);
  return {
    neighbourhoods,
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      type: o.type,
      identifier: o.identifier,
      contactPhone: o.contact_phone,
      contactEmail: o.contact_email,
      openingHours: o.opening_hours,
      address: o.address,
      active: o.active,
      version: o.version,
      neighbourhoodIds: served.filter((s) => s.organisation_id === o.id).map((s) => s.neighbourhood_id),
      activePeople: Number(people.find((p) => p.organisation_id === o.id)?.n ?? 0),
      // The client secret is write-only: never sent back.
      identityProvider: o.oidc_issuer ? { issuer: o.oidc_issuer, clientId: o.oidc_client_id ?? '' } : null,
    })),
  };
}

async function setNeighbourhoods(tx: Tx, organisationId: string, neighbourhoodIds: string[]) {
  const unique = [...new Set(neighbourhoodIds)];
  if (unique.length) {
    const known = await tx.db.selectFrom('neighbourhoods').select('id').where('id', 'in', unique).execute();
    if (known.length !== unique.length) {
      throw new AppError('VALIDATION_FAILED', 'Unknown neighbourhood.', {
        fields: [{ field: 'body.neighbourhoodIds', message: 'not a neighbourhood of the region' }],
      });
    }
  }
  await tx.db.deleteFrom('organisation_neighbourhoods').where('organisation_id', '=', organisationId).execute();
  if (unique.length) {
    await tx.db
      .insertInto('organisation_neighbourhoods')
      .values(unique.map((neighbourhood_id) => ({ organisation_id: organisationId, neighbourhood_id })))
      .execute();
  }
}

const columns = (input: z.infer<typeof CreateOrganisationInput>) => ({
  name: input.name,
  type: input.type,
  identifier: input.identifier,
  contact_phone: input.contactPhone,
  contact_email: input.contactEmail,
  opening_hours: input.openingHours,
  address: input.address,
});

export async function createOrganisation(ctx: RequestContext, input: z.infer<typeof CreateOrganisationInput>) {
  ctx.access.requireRole('organisation.manage');
  return ctx.transaction(async (tx) => {
    const id = randomUUID();
    const municipality = await tx.db.selectFrom('municipalities').select('id').limit(1).executeTakeFirst();
    await tx.db
      .insertInto('organisations')
      .values({ id, ...columns(input), municipality_id: municipality?.id ?? null })
      .execute();
    await setNeighbourhoods(tx, id, input.neighbourhoodIds);
    await tx.audit({ action: 'organisation.create', recordType: 'organisation', recordId: id });
    return { organisationId: id };
  });
}

/** Edit an organisation, or deactivate it — only once nobody of it is active any more (offboard them first). */
export async function updateOrganisation(
  ctx: RequestContext,
  organisationId: string,
  input: z.infer<typeof UpdateOrganisationInput>,
) {
  ctx.access.requireRole('organisation.manage');
  return ctx.transaction(async (tx) => {
    const current = await tx.db
      .selectFrom('organisations')
      .select(['id', 'version', 'active'])
      .where('id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'organisation.manage', recordType: 'organisation', recordId: organisationId },
      });
    }
    requireVersion(current, input.version, { version: current.version });
    if (!input.active && current.active) {
      const people = await tx.db
        .selectFrom('accounts')
        .select('id')
        .where('organisation_id', '=', organisationId)
        .where('active', '=', true)
        .execute();
      if (people.length) {
        throw new AppError('INVALID_TRANSITION', `Offboard its ${people.length} active people first.`, {
          data: { activePeople: people.length },
        });
      }
    }
    await tx.db
      .updateTable('organisations')
      .set((eb) => ({ ...columns(input), active: input.active, version: eb('version', '+', 1) }))
      .where('id', '=', organisationId)
      .execute();
    await setNeighbourhoods(tx, organisationId, input.neighbourhoodIds);
    await tx.audit({ action: 'organisation.update', recordType: 'organisation', recordId: organisationId });
    return { organisationId, version: current.version + 1 };
  });
}

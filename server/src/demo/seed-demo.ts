import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { hashPassword } from '../accounts/password.ts';
import { ACCOUNT_KINDS, type DB, ORGANISATION_TYPES } from '../database/schema.ts';
import { addDays, todayIso } from '../families/trajectory.ts';
import { shippedCatalogue, syncCatalogue } from '../interventions/catalogue.ts';
import {
  addSignal,
  emptyRows,
  generateFamily,
  insertFamilyRows,
  type RegionParts,
  seededRandom,
  seededUuid,
} from './family-generator.ts';
import { addDemoReferrals } from './generate-referrals.ts';
import { addDemoSafety } from './generate-safety.ts';

/** The demo region (fictional; every name invented), a versioned data file validated at load. */
const DemoRegion = z
  .strictObject({
    version: z.number().int().positive(),
    password: z.string().min(8),
    municipality: z.strictObject({ name: z.string(), cbsCode: z.string() }),
    neighbourhoods: z.array(
      z.strictObject({ name: z.string(), cbsCode: z.string(), postcodes: z.array(z.string().regex(/^\d{4}$/)) }),
    ),
    organisations: z.array(
      z.strictObject({
        key: z.string(),
        name: z.string(),
        type: z.enum(ORGANISATION_TYPES),
        identifier: z.string().nullable(),
        phone: z.string().optional(),
        email: z.email().optional(),
        openingHours: z.string().optional(),
      }),
    ),
    accounts: z.array(
      z.strictObject({
        email: z.email(),
        name: z.string(),
        kind: z.enum(ACCOUNT_KINDS),
        organisation: z.string().nullable(),
        discipline: z.string().nullable(),
      }),
    ),
    /** The sociale kaart: which organisation offers which intervention of the catalogue. */
    offers: z.array(
      z.strictObject({
        intervention: z.string(),
        organisation: z.string(),
        waitingWeeks: z.number().int().min(0),
        capacityPerMonth: z.number().int().min(0).nullable(),
        contact: z.string().min(1),
      }),
    ),
  })
  .superRefine((region, ctx) => {
    const organisations = new Set(region.organisations.map((o) => o.key));
    const interventions = new Set(shippedCatalogue().interventions.map((i) => i.key));
    region.offers.forEach((offer, i) => {
      if (!organisations.has(offer.organisation)) {
        ctx.addIssue({ code: 'custom', path: ['offers', i, 'organisation'], message: 'unknown organisation' });
      }
      if (!interventions.has(offer.intervention)) {
        ctx.addIssue({ code: 'custom', path: ['offers', i, 'intervention'], message: 'not in the catalogue' });
      }
    });
  });
export type DemoRegion = z.infer<typeof DemoRegion>;

const REGION_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../demo/region.json');

export function loadDemoRegion(): DemoRegion {
  return DemoRegion.parse(JSON.parse(fs.readFileSync(REGION_FILE, 'utf8')));
}

/** True when the database holds no organisations yet (a fresh installation). */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** The demo content version this database was seeded with, if any. */
export async function seededDemoVersion(db: Kysely<DB>): Promise<number | null> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', 'demo_version').executeTakeFirst();
  return row ? Number(row.value) : null;
}

/**
 * About 40 fictional families in every phase, on the demo accounts: pregnant (one with a handover
 * waiting for kraamzorg, one with twins), preconception, in the kraam period, babies (one born
 * preterm, one pair of twins), toddlers, and one pregnancy that ended. Dates are relative to the day
 * of seeding, so the phases are right on that day.
 */
async function seedDemoFamilies(
  db: Kysely<DB>,
  region: DemoRegion,
  orgIds: Map<string, string>,
  accounts: { id: string; email: string; organisation: string | null; kind: string }[],
  neighbourhoods: { id: string; postcode4: string }[],
) {
  const organisations: RegionParts['organisations'] = {};
  for (const org of region.organisations) {
    const id = orgIds.get(org.key) as string;
    const professionals = accounts
      .filter((a) => a.organisation === org.key && a.kind === 'professional')
      .map((a) => a.id);
    if (professionals.length) organisations[org.type] = [...(organisations[org.type] ?? []), { id, professionals }];
  }
  // A fixed seed: a new demo version adds content but keeps the families the journeys and README name.
  const random = seededRandom(5005);
  const rows = emptyRows();
  const parts = { neighbourhoods, organisations };
  const plan: Parameters<typeof generateFamily>[3][] = [
    { scenario: 'pregnant', pendingHandover: true },
    { scenario: 'pregnant', twins: true },
    { scenario: 'pregnant', pendingHandover: false, legal: 'minor_mother' },
    { scenario: 'pregnant', pendingHandover: false, prenatalGuideForJgz: true },
    ...Array.from({ length: 9 }, () => ({ scenario: 'pregnant' as const, pendingHandover: false })),
    { scenario: 'preconception' },
    { scenario: 'preconception' },
    { scenario: 'kraam', twins: false, preterm: false },
    { scenario: 'kraam', twins: false, preterm: false },
    { scenario: 'kraam', twins: false, preterm: false },
    { scenario: 'baby', preterm: true, twins: false },
    // The referral journey: JGZ finds Stevig Ouderschap for Noor Visser, who carries stress.
    {
      scenario: 'baby',
      twins: false,
      preterm: false,
      showcase: { givenName: 'Noor', familyName: 'Visser', stress: ['parent_chronic_stress', 'isolation'] },
    },
    { scenario: 'baby', twins: true, preterm: false },
    { scenario: 'baby', twins: false, preterm: false, legal: 'ots' },
    { scenario: 'toddler', twins: false, preterm: false, legal: 'foster_care' },
    ...Array.from({ length: 7 }, () => ({ scenario: 'baby' as const, twins: false, preterm: false })),
    ...Array.from({ length: 9 }, () => ({ scenario: 'toddler' as const, twins: false, preterm: false })),
    { scenario: 'ended', twins: false },
  ];
  const showcases: string[] = [];
  for (const options of plan) {
    const familyId = generateFamily(random, parts, rows, options);
    if (options?.showcase || options?.prenatalGuideForJgz) showcases.push(familyId);
  }
  const [safetyFamily] = addDemoReferrals(random, rows, parts, showcases).filter((familyId) =>
    rows.signals.some((s) => s.family_id === familyId),
  );
  if (safetyFamily) addDemoSafety(random, rows, parts, safetyFamily);

  // The parents' own Kring: both parents of the Verhoeven family (mid-pregnancy, a guide waiting).
  const mother = rows.persons.find((p) => p.family_name === 'Verhoeven' && p.role === 'pregnant_person');
  const partner = mother && rows.persons.find((p) => p.family_id === mother.family_id && p.role === 'partner');
  // What Eline told her midwife about herself is hers: her own Kring shows it, her partner's does
  // not (PRODUCT.md point 10; access/family-audience.ts).
  const elineMidwife =
    mother && rows.teamProfessionals.find((p) => p.family_id === mother.family_id && p.is_regiehouder);
  if (mother?.id && elineMidwife) {
    const today = todayIso();
    addSignal(random, rows, {
      familyId: mother.family_id,
      code: 'parent_psychological',
      concerns: mother.id,
      note: 'Vertelde dat ze sinds vorig jaar sertraline gebruikt; wil dit eerst zelf met haar partner bespreken.',
      by: { organisation_id: elineMidwife.organisation_id, account_id: elineMidwife.account_id },
      since: addDays(today, -21),
      today,
      history: false,
    });
  }
  await insertFamilyRows(db, rows);

  for (const [email, person] of [
    ['ouder@duinstad.demo', mother],
    ['partner@duinstad.demo', partner],
  ] as const) {
    const account = accounts.find((a) => a.email === email);
    if (!account || !person?.id) continue;
    await db
      .insertInto('parent_links')
      .values({ account_id: account.id, family_id: person.family_id, person_id: person.id })
      .execute();
    await db
      .updateTable('accounts')
      .set({ display_name: [person.given_name, person.family_name].filter(Boolean).join(' ') })
      .where('id', '=', account.id)
      .execute();
  }
  // JGZ sent Eline the prenatal conversation to answer at home before the first home visit.
  const jgz = accounts.find((a) => a.email === 'jgz@duinstad.demo');
  const jgzOrganisation = jgz?.organisation ? orgIds.get(jgz.organisation) : undefined;
  if (mother?.id && jgz && jgzOrganisation) {
    await db
      .insertInto('guide_requests')
      .values({
        id: seededUuid(random),
        family_id: mother.family_id,
        guide_key: 'prenatal_attachment',
        person_id: mother.id,
        organisation_id: jgzOrganisation,
        sent_by_account_id: jgz.id,
      })
      .execute();
  }
}

/** Seed the demo region into an empty database, in one transaction. */
export async function seedDemo(db: Kysely<DB>, region: DemoRegion = loadDemoRegion()): Promise<void> {
  const passwordHash = await hashPassword(region.password);
  await db.transaction().execute(async (tx) => {
    const municipalityId = randomUUID();
    await tx
      .insertInto('municipalities')
      .values({ id: municipalityId, name: region.municipality.name, cbs_code: region.municipality.cbsCode })
      .execute();
    const neighbourhoods: { id: string; postcode4: string }[] = [];
    for (const hood of region.neighbourhoods) {
      const id = randomUUID();
      neighbourhoods.push({ id, postcode4: hood.postcodes[0] ?? '9901' });
      await tx
        .insertInto('neighbourhoods')
        .values({ id, municipality_id: municipalityId, name: hood.name, cbs_code: hood.cbsCode })
        .execute();
      await tx
        .insertInto('postcode_areas')
        .values(hood.postcodes.map((postcode4) => ({ postcode4, neighbourhood_id: id })))
        .execute();
    }
    const orgIds = new Map<string, string>();
    for (const org of region.organisations) {
      const id = randomUUID();
      orgIds.set(org.key, id);
      await tx
        .insertInto('organisations')
        .values({
          id,
          name: org.name,
          type: org.type,
          identifier: org.identifier,
          contact_phone: org.phone ?? null,
          contact_email: org.email ?? null,
          opening_hours: org.openingHours ?? null,
          municipality_id: municipalityId,
        })
        .execute();
    }
    await syncCatalogue(tx);
    await tx
      .insertInto('intervention_offers')
      .values(
        region.offers.map((offer) => ({
          intervention_key: offer.intervention,
          organisation_id: orgIds.get(offer.organisation) as string,
          waiting_weeks: offer.waitingWeeks,
          capacity_per_month: offer.capacityPerMonth,
          contact: offer.contact,
        })),
      )
      .execute();
    const accounts = region.accounts.map((account) => ({ ...account, id: randomUUID() }));
    await tx
      .insertInto('accounts')
      .values(
        accounts.map((account) => ({
          id: account.id,
          email: account.email,
          display_name: account.name,
          kind: account.kind,
          organisation_id: account.organisation ? (orgIds.get(account.organisation) ?? null) : null,
          discipline: account.discipline,
          password_hash: passwordHash,
        })),
      )
      .execute();
    await seedDemoFamilies(tx, region, orgIds, accounts, neighbourhoods);
    await tx
      .insertInto('app_meta')
      .values({ key: 'demo_version', value: String(region.version) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(region.version) }))
      .execute();
  });
}

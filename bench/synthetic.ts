import { type Kysely, sql } from 'kysely';
import { hashPassword } from '../server/src/accounts/password.ts';
import type { DB, NewAccount, OrganisationType } from '../server/src/database/schema.ts';
import { addChainHistory } from '../server/src/demo/background-families.ts';
import {
  emptyRows,
  FAMILY_NAMES,
  generateFamily,
  insertFamilyRows,
  MOTHER_NAMES,
  PARTNER_NAMES,
  type RegionParts,
  seededRandom,
  seededUuid,
} from '../server/src/demo/family-generator.ts';
import { addReferral } from '../server/src/demo/generate-referrals.ts';
import { syncCatalogue } from '../server/src/interventions/catalogue.ts';

/**
 * The synthetic region: N fictional families' worth of organisations and accounts (and, as later
 * issues add them, family records), deterministic from a seed. Proportions follow a Dutch region:
 * a midwifery practice per ~400 families, a GP practice per ~300, JGZ per ~1,500 and so on.
 */

export const SYNTHETIC_PASSWORD = 'kring-synthetic';

const FIRST_NAMES = [...MOTHER_NAMES, ...PARTNER_NAMES];
const LAST_NAMES = FAMILY_NAMES;

/** Families per organisation of each type, and professionals per organisation. */
const ORGANISATION_MIX: { type: OrganisationType; familiesPer: number; staff: number; discipline: string }[] = [
  { type: 'verloskundigenpraktijk', familiesPer: 400, staff: 5, discipline: 'verloskundige' },
  { type: 'kraamzorg', familiesPer: 2000, staff: 20, discipline: 'kraamverzorgende' },
  { type: 'ziekenhuis', familiesPer: 3000, staff: 12, discipline: 'gynaecoloog' },
  { type: 'huisarts', familiesPer: 300, staff: 3, discipline: 'huisarts' },
  { type: 'jgz', familiesPer: 1500, staff: 3, discipline: 'jeugdverpleegkundige' },
  { type: 'wijkteam', familiesPer: 1000, staff: 8, discipline: 'wijkteammedewerker' },
  { type: 'ggz', familiesPer: 5000, staff: 6, discipline: 'ggz_behandelaar' },
];

export interface SyntheticResult {
  families: number;
  organisations: number;
  professionals: number;
  parents: number;
  /** Professionals spread over the region's organisations, for benchmarks that sign in. */
  sampleProfessionals: { email: string; organisationId: string }[];
  /** The professionals of the wijkteam whose referral inbox holds the open referrals. */
  inboxProfessionals: { email: string; organisationId: string }[];
}

/** Open referrals waiting in one organisation's inbox (the benchmark's "inbox with 2,000 open referrals"). */
export const INBOX_REFERRALS = 2000;
/** What each type of organisation offers on the synthetic sociale kaart. */
const OFFERS: Partial<Record<OrganisationType, string[]>> = {
  verloskundigenpraktijk: ['preconception_advice', 'centering_pregnancy'],
  jgz: ['centering_parenting', 'voorzorg', 'stevig_ouderschap', 'healthy_weight'],
  wijkteam: ['debt_support', 'housing_support', 'home_start', 'stevig_ouderschap', 'video_interaction_guidance'],
  ggz: ['perinatal_mental_health', 'parent_infant_psychotherapy'],
};

/** Fill the database; calls progress(done, total) as it goes. */
export async function seedSynthetic(
  db: Kysely<DB>,
  options: { families: number; seed?: number; progress?: (done: number, total: number) => void },
): Promise<SyntheticResult> {
  const random = seededRandom(options.seed ?? 1001);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const passwordHash = await hashPassword(SYNTHETIC_PASSWORD);
  const prefix = `s${options.seed ?? 1001}`;

  const organisations: { id: string; name: string; type: OrganisationType; identifier: string | null }[] = [];
  const parts: RegionParts = { neighbourhoods: await regionNeighbourhoods(db, random), organisations: {} };
  const accounts: NewAccount[] = [];
  for (const mix of ORGANISATION_MIX) {
    const count = Math.max(1, Math.ceil(options.families / mix.familiesPer));
    for (let i = 0; i < count; i++) {
      const id = seededUuid(random);
      organisations.push({ id, name: `Synthetisch ${mix.type} ${i + 1}`, type: mix.type, identifier: null });
      const staff: string[] = [];
      const ofType = parts.organisations[mix.type] ?? [];
      ofType.push({ id, professionals: staff });
      parts.organisations[mix.type] = ofType;
      for (let s = 0; s < mix.staff; s++) {
        const accountId = seededUuid(random);
        staff.push(accountId);
        accounts.push({
          id: accountId,
          email: `${prefix}.${mix.type}.${i + 1}.${s + 1}@synthetisch.kring`,
          display_name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
          kind: 'professional',
          organisation_id: id,
          discipline: mix.discipline,
          password_hash: passwordHash,
        });
      }
    }
  }
  const professionals = accounts.length;
  // About six in ten families have a parent with their own account.
  for (let f = 0; f < options.families; f++) {
    if (random() < 0.6) {
      accounts.push({
        id: seededUuid(random),
        email: `${prefix}.ouder.${f + 1}@synthetisch.kring`,
        display_name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
        kind: 'parent',
        organisation_id: null,
        discipline: null,
        password_hash: passwordHash,
      });
    }
  }

  const total = organisations.length + accounts.length + options.families;
  let done = 0;
  const BATCH = 1000;
  for (let i = 0; i < organisations.length; i += BATCH) {
    const batch = organisations.slice(i, i + BATCH);
    await db.insertInto('organisations').values(batch).execute();
    done += batch.length;
    options.progress?.(done, total);
  }
  for (let i = 0; i < accounts.length; i += BATCH) {
    const batch = accounts.slice(i, i + BATCH);
    await db.insertInto('accounts').values(batch).execute();
    done += batch.length;
    options.progress?.(done, total);
  }
  await syncCatalogue(db);
  const offers = organisations.flatMap((organisation) =>
    (OFFERS[organisation.type] ?? []).map((key) => ({
      intervention_key: key,
      organisation_id: organisation.id,
      waiting_weeks: Math.floor(random() * 10),
      capacity_per_month: 2 + Math.floor(random() * 10),
      contact: '0800-000 000',
    })),
  );
  for (let i = 0; i < offers.length; i += BATCH) {
    await db
      .insertInto('intervention_offers')
      .values(offers.slice(i, i + BATCH))
      .execute();
  }
  // One wijkteam receives the open referrals of families across the region.
  const inbox = parts.organisations.wijkteam?.[0];
  if (!inbox) throw new Error('the synthetic region needs a wijkteam');
  const referralChance = Math.min(1, (INBOX_REFERRALS * 1.3) / options.families);
  const openStatuses = ['sent', 'received', 'accepted', 'started'] as const;
  let referrals = 0;
  // Families are generated and inserted a batch at a time, so memory stays flat at 100k+.
  const FAMILY_BATCH = 2000;
  for (let i = 0; i < options.families; i += FAMILY_BATCH) {
    const rows = emptyRows();
    const count = Math.min(FAMILY_BATCH, options.families - i);
    for (let f = 0; f < count; f++) {
      const familyId = generateFamily(random, parts, rows);
      addChainHistory(random, parts, rows, familyId);
      const open = rows.families.at(-1)?.status === 'open';
      const regie = rows.teamProfessionals.some((p) => p.family_id === familyId && p.is_regiehouder);
      if (open && regie && referrals < INBOX_REFERRALS && random() < referralChance) {
        addReferral(random, rows, familyId, {
          interventionKey: 'debt_support',
          to: inbox,
          status: pick(openStatuses),
          sentDaysAgo: 1 + Math.floor(random() * 30),
          category: 'social',
          reason: 'Synthetische verwijzing voor de benchmark.',
        });
        referrals++;
      }
    }
    await insertFamilyRows(db, rows);
    done += count;
    options.progress?.(done, total);
  }
  // Fresh statistics, so the planner knows the tables' sizes before anyone queries them, and the
  // visibility map set, as autovacuum leaves a table loaded long ago (index-only scans skip the heap).
  await sql`VACUUM ANALYZE`.execute(db);
  // JGZ nurses carry the largest caseloads (about 300 families each): the benchmark signs in as them.
  const jgzStaff = accounts.filter((a) => a.discipline === 'jeugdverpleegkundige');
  const step = Math.max(1, Math.floor(jgzStaff.length / 32));
  const sampleProfessionals = jgzStaff
    .filter((_, i) => i % step === 0)
    .slice(0, 32)
    .map((a) => ({ email: a.email, organisationId: a.organisation_id as string }));
  return {
    inboxProfessionals: accounts
      .filter((a) => a.organisation_id === inbox.id)
      .map((a) => ({ email: a.email, organisationId: inbox.id })),
    families: options.families,
    organisations: organisations.length,
    professionals,
    parents: accounts.length - professionals,
    sampleProfessionals,
  };
}

/** The region's neighbourhoods; a synthetic municipality with five when the database has none. */
async function regionNeighbourhoods(db: Kysely<DB>, random: () => number): Promise<RegionParts['neighbourhoods']> {
  const existing = await db.selectFrom('postcode_areas').select(['postcode4', 'neighbourhood_id as id']).execute();
  if (existing.length) return existing;
  const municipalityId = seededUuid(random);
  await db
    .insertInto('municipalities')
    .values({ id: municipalityId, name: 'Synthetische gemeente', cbs_code: 'GM9990' })
    .execute();
  const hoods = Array.from({ length: 5 }, (_, i) => ({ id: seededUuid(random), postcode4: String(9990 + i) }));
  for (const [i, hood] of hoods.entries()) {
    await db
      .insertInto('neighbourhoods')
      .values({ id: hood.id, municipality_id: municipalityId, name: `Wijk ${i + 1}`, cbs_code: `WK99900${i}` })
      .execute();
    await db.insertInto('postcode_areas').values({ postcode4: hood.postcode4, neighbourhood_id: hood.id }).execute();
  }
  return hoods;
}

/** A one-line progress bar on a terminal (nothing when output is not a terminal). */
export function progressBar(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stdout.isTTY) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stdout.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done === total) process.stdout.write('\n');
  };
}

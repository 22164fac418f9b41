import type { Kysely } from 'kysely';
import { hashPassword } from '../server/src/accounts/password.ts';
import type { DB, NewAccount, OrganisationType } from '../server/src/database/schema.ts';

/**
 * The synthetic region: N fictional families' worth of organisations and accounts (and, as later
 * issues add them, family records), deterministic from a seed. Proportions follow a Dutch region:
 * a midwifery practice per ~400 families, a GP practice per ~300, JGZ per ~1,500 and so on.
 */

export const SYNTHETIC_PASSWORD = 'kring-synthetic';

/** mulberry32: a small, fast, seeded PRNG (the same seed gives the same region). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const FIRST_NAMES = [
  'Anna',
  'Sanne',
  'Fatma',
  'Noor',
  'Lieke',
  'Emma',
  'Sara',
  'Yasmina',
  'Iris',
  'Mila',
  'Daan',
  'Sem',
  'Mohamed',
  'Lucas',
  'Bram',
  'Thijs',
  'Ahmet',
  'Ruben',
  'Jesse',
  'Milan',
];
const LAST_NAMES = [
  'de Jong',
  'Jansen',
  'de Vries',
  'van den Berg',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Yilmaz',
  'El Idrissi',
  'Mulder',
  'de Boer',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'Dekker',
  'Kaya',
  'Brouwer',
  'de Wit',
];

/** Families per organisation of each type, and professionals per organisation. */
const ORGANISATION_MIX: { type: OrganisationType; familiesPer: number; staff: number; discipline: string }[] = [
  { type: 'verloskundigenpraktijk', familiesPer: 400, staff: 5, discipline: 'verloskundige' },
  { type: 'kraamzorg', familiesPer: 2000, staff: 20, discipline: 'kraamverzorgende' },
  { type: 'ziekenhuis', familiesPer: 3000, staff: 12, discipline: 'gynaecoloog' },
  { type: 'huisarts', familiesPer: 300, staff: 3, discipline: 'huisarts' },
  { type: 'jgz', familiesPer: 1500, staff: 10, discipline: 'jeugdverpleegkundige' },
  { type: 'wijkteam', familiesPer: 1000, staff: 8, discipline: 'wijkteammedewerker' },
  { type: 'ggz', familiesPer: 5000, staff: 6, discipline: 'ggz_behandelaar' },
];

export interface SyntheticResult {
  organisations: number;
  professionals: number;
  parents: number;
  /** Professionals spread over the region's organisations, for benchmarks that sign in. */
  sampleProfessionals: { email: string; organisationId: string }[];
}

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
  const accounts: NewAccount[] = [];
  for (const mix of ORGANISATION_MIX) {
    const count = Math.max(1, Math.ceil(options.families / mix.familiesPer));
    for (let i = 0; i < count; i++) {
      const id = seededUuid(random);
      organisations.push({ id, name: `Synthetisch ${mix.type} ${i + 1}`, type: mix.type, identifier: null });
      for (let s = 0; s < mix.staff; s++) {
        accounts.push({
          id: seededUuid(random),
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

  const total = organisations.length + accounts.length;
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
  const staff = accounts.slice(0, professionals);
  const step = Math.max(1, Math.floor(staff.length / 64));
  const sampleProfessionals = staff
    .filter((_, i) => i % step === 0)
    .slice(0, 64)
    .map((a) => ({ email: a.email, organisationId: a.organisation_id as string }));
  return {
    organisations: organisations.length,
    professionals,
    parents: accounts.length - professionals,
    sampleProfessionals,
  };
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

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { hashPassword } from '../src/accounts/password.ts';
import { totpCode } from '../src/accounts/totp.ts';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Database } from '../src/database/connect.ts';
import type { AccountKind, DB, OrganisationType } from '../src/database/schema.ts';
import { freshDatabase } from './database.ts';

export const TEST_PASSWORD = 'correct horse battery';

// Hashing costs ~50 ms; every seeded test account shares one hash.
let passwordHash: Promise<string> | undefined;
function testPasswordHash() {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

/** A migrated database and the app on it, driven in-process with inject (no port). */
export interface TestApp {
  app: FastifyInstance;
  database: Database;
  db: Kysely<DB>;
  config: Config;
  close(): Promise<void>;
  /** Sign in and return a client that sends the session cookie and CSRF token. */
  signIn(email: string, password?: string): Promise<Client>;
  anonymous(): Client;
}

/** An Ed25519 key file for audit checkpoints, as production's KRING_AUDIT_SIGNING_KEY names one. */
export function testSigningKeyFile(): string {
  const file = path.join(os.tmpdir(), `kring-test-audit-key-${process.pid}.pem`);
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return file;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  // Each test app appends its audit checkpoints to a folder of its own.
  const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-checkpoints-'));
  const config = loadConfig({
    KRING_WEB_DIST: '/nonexistent',
    LOG_LEVEL: 'silent',
    KRING_AUDIT_CHECKPOINT_DIR: checkpointDir,
    ...env,
  });
  const app = await buildApp({ config, database }, { logger: false });
  const testApp: TestApp = {
    app,
    database,
    db: database.db,
    config,
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(checkpointDir, { recursive: true, force: true });
    },
    anonymous: () => new Client(app),
    signIn: async (email, password = TEST_PASSWORD) => {
      const client = new Client(app);
      const response = await client.post('/api/auth/login', { email, password });
      if (response.statusCode !== 200 || response.json().status !== 'signed_in') {
        throw new Error(`sign-in of ${email} failed: ${response.statusCode} ${response.body}`);
      }
      return client;
    },
  };
  return testApp;
}

/** An HTTP client on the in-process app that keeps its session cookie and CSRF token. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie ? { cookie: `kring_session=${this.cookie}` } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.cookies.find((c) => c.name === 'kring_session');
    if (setCookie) this.cookie = setCookie.value || undefined;
    const json = response.headers['content-type']?.toString().includes('json') ? safeJson(response.body) : undefined;
    if (json && typeof json === 'object' && 'csrfToken' in json && typeof json.csrfToken === 'string') {
      this.csrfToken = json.csrfToken;
    }
    return response;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }
  put(url: string, body?: unknown) {
    return this.request('PUT', url, body);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Seed helpers: named, minimal records for a test's story. */
export async function seedOrganisation(db: Kysely<DB>, type: OrganisationType = 'verloskundigenpraktijk') {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({ id, name: `Test ${type} ${id.slice(0, 4)}`, type, identifier: null })
    .execute();
  return id;
}

export async function seedAccount(
  db: Kysely<DB>,
  options: { kind: AccountKind; organisationId?: string | null; totpSecret?: string; active?: boolean },
) {
  const id = randomUUID();
  const email = `${options.kind}-${id.slice(0, 8)}@test.example`;
  const needsOrg = options.kind === 'professional' || options.kind === 'analyst';
  const organisationId =
    options.organisationId !== undefined
      ? options.organisationId
      : needsOrg
        ? await seedOrganisation(db, options.kind === 'analyst' ? 'gemeente' : 'verloskundigenpraktijk')
        : null;
  await db
    .insertInto('accounts')
    .values({
      id,
      email,
      display_name: `Test ${options.kind}`,
      kind: options.kind,
      organisation_id: organisationId,
      discipline: options.kind === 'professional' ? 'verloskundige' : null,
      password_hash: await testPasswordHash(),
      totp_secret: options.totpSecret ?? null,
      totp_enabled_at: options.totpSecret ? new Date() : null,
      active: options.active ?? true,
    })
    .execute();
  return { id, email, organisationId };
}

/** One account of every kind, each in its own organisation where it has one. */
export async function seedOneOfEachKind(db: Kysely<DB>) {
  return {
    professional: await seedAccount(db, { kind: 'professional' }),
    analyst: await seedAccount(db, { kind: 'analyst' }),
    parent: await seedAccount(db, { kind: 'parent' }),
    admin: await seedAccount(db, { kind: 'admin' }),
  };
}

export async function auditEvents(db: Kysely<DB>) {
  return db.selectFrom('audit_events').selectAll().orderBy('occurred_at').orderBy('seq').execute();
}

/** Row counts of every table, to show that a refused request wrote nothing (or only its audit). */
export async function tableCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = [
    'organisations',
    'accounts',
    'sessions',
    'login_throttle',
    'one_time_tokens',
    'audit_events',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export { totpCode };

/** A municipality with one neighbourhood covering postcode area 9901. */
export async function seedRegion(db: Kysely<DB>) {
  const municipalityId = randomUUID();
  const neighbourhoodId = randomUUID();
  await db
    .insertInto('municipalities')
    .values({ id: municipalityId, name: 'Testgemeente', cbs_code: `GM${municipalityId.slice(0, 4)}` })
    .execute();
  await db
    .insertInto('neighbourhoods')
    .values({
      id: neighbourhoodId,
      municipality_id: municipalityId,
      name: 'Testwijk',
      cbs_code: `WK${neighbourhoodId.slice(0, 6)}`,
    })
    .execute();
  await db.insertInto('postcode_areas').values({ postcode4: '9901', neighbourhood_id: neighbourhoodId }).execute();
  return { municipalityId, neighbourhoodId };
}

/** A date relative to today, as YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A valid registration body; override what a test is about. */
export function registration(overrides: Record<string, unknown> = {}) {
  return {
    pregnantPerson: { givenName: 'Sanne', familyName: `Test${randomUUID().slice(0, 6)}`, birthDate: '1994-03-12' },
    caregivers: [{ role: 'partner', givenName: 'Daan', familyName: 'Vermeer', birthDate: '1992-07-01' }],
    pregnancy: { dueDate: daysFromToday(150) },
    address: { street: 'Duinweg', houseNumber: '12', postcode: '9901 AB', city: 'Duinstad' },
    consent: { categories: ['medical', 'psychosocial', 'social'], givenHow: 'verbal' },
    ...overrides,
  };
}

/** A signed-in professional of a new organisation of this type. */
export async function professionalAt(t: TestApp, type: OrganisationType) {
  const organisationId = await seedOrganisation(t.db, type);
  const client = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId })).email);
  return { client, organisationId };
}

/** A warm handover with the parents' consent for these categories, accepted by the receiver. */
export async function handOver(
  from: Client,
  to: { client: Client; organisationId: string },
  familyId: string,
  categories: string[],
) {
  const sent = await from.post(`/api/families/${familyId}/handovers`, {
    toOrganisationId: to.organisationId,
    summary: 'Overdracht voor de test, met toestemming van de ouders.',
    consent: { categories, givenHow: 'verbal' },
  });
  if (sent.statusCode !== 201) throw new Error(`handover refused: ${sent.body}`);
  const incoming = (await to.client.get('/api/handovers/incoming')).json().handovers as {
    id: string;
    version: number;
  }[];
  const handover = incoming.at(-1);
  if (!handover) throw new Error('no incoming handover');
  await to.client.post(`/api/handovers/${handover.id}/accept`, { version: handover.version });
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { hashPassword } from '../server/src/accounts/password.ts';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { connectPostgres, type Database, openPGlite } from '../server/src/database/connect.ts';
import { migrate } from '../server/src/database/migrate.ts';
import { refreshFigures } from '../server/src/figures/refresh-figures.ts';
import { SYNTHETIC_PASSWORD, seedSynthetic } from './synthetic.ts';

/**
 * The process under load (started by bench/run.ts): Kring on a fresh synthetic region, and beside it
 * the two ceilings of this machine on the same database and event loop — a bare Fastify route and
 * a bare route doing one primary-key select. Prints one JSON line when ready.
 */
const engine = process.argv[2] === 'postgresql' ? 'postgresql' : 'pglite';
const families = Number(process.argv[3] ?? '10000');

let database: Database;
let cleanup: () => Promise<void>;
if (engine === 'pglite') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-bench-'));
  database = await openPGlite(dir);
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
} else {
  const serverUrl = process.env.DATABASE_URL as string;
  const name = `kring_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // Diagnosis only: KRING_BENCH_SYNC_COMMIT=off shows how much of a write's cost is the WAL flush.
  if (process.env.KRING_BENCH_SYNC_COMMIT === 'off') {
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  database = connectPostgres(url.toString(), 20);
  cleanup = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
await migrate(database);
const region = await seedSynthetic(database.db, { families });
// The municipality's figures: one refresh (timed: it grows with the families and their events),
// and an analyst of the synthetic municipality to read them.
const refresh = await refreshFigures(database.db);
const hood = await database.db
  .selectFrom('neighbourhoods')
  .select('municipality_id')
  .limit(1)
  .executeTakeFirstOrThrow();
const gemeente = randomUUID();
await database.db
  .insertInto('organisations')
  .values({ id: gemeente, name: 'Synthetische gemeente', type: 'gemeente', municipality_id: hood.municipality_id })
  .execute();
const analystEmail = 'analist@synthetisch.kring';
await database.db
  .insertInto('accounts')
  .values({
    id: randomUUID(),
    email: analystEmail,
    display_name: 'Analist',
    kind: 'analyst',
    organisation_id: gemeente,
    password_hash: await hashPassword(SYNTHETIC_PASSWORD),
  })
  .execute();
const account = await database.db
  .selectFrom('accounts')
  .select('id')
  .where('email', '=', region.sampleProfessionals[0]?.email ?? '')
  .executeTakeFirstOrThrow();

// A 30-question guide, loaded the way an organisation loads its own, for the guide benchmark.
const guidesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-bench-guides-'));
fs.writeFileSync(
  path.join(guidesDir, 'bench-30.json'),
  JSON.stringify({
    key: 'bench_30',
    version: 1,
    title: { nl: 'Dertig vragen', en: 'Thirty questions' },
    intro: { nl: 'Voor de benchmark.', en: 'For the benchmark.' },
    for: 'adult',
    instrument: null,
    items: Array.from({ length: 30 }, (_, i) => ({
      code: `bench.q${i + 1}`,
      type: 'text',
      text: { nl: `Vraag ${i + 1}`, en: `Question ${i + 1}` },
      why: { nl: 'Om te meten.', en: 'To measure.' },
    })),
  }),
);
const config = loadConfig({
  LOG_LEVEL: 'silent',
  KRING_WEB_DIST: '/none',
  KRING_LOGIN_MAX_FAILURES: '100',
  KRING_EXTRA_GUIDES_DIR: guidesDir,
});
const app = await buildApp({ config, database }, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });

const baseline = Fastify({ logger: false });
baseline.get('/bare', async () => ({ ok: true }));
baseline.get('/select', async () =>
  database.db.selectFrom('accounts').select(['id', 'display_name']).where('id', '=', account.id).executeTakeFirst(),
);
await baseline.listen({ port: 0, host: '127.0.0.1' });

const portOf = (server: typeof app) => {
  const address = server.server.address();
  return typeof address === 'object' && address ? address.port : 0;
};
console.log(
  JSON.stringify({
    ready: true,
    kringUrl: `http://127.0.0.1:${portOf(app)}`,
    baselineUrl: `http://127.0.0.1:${portOf(baseline)}`,
    professionals: await Promise.all(
      region.sampleProfessionals.map(async (professional) => {
        const family = await database.db
          .selectFrom('care_team_professionals as ctp')
          .innerJoin('accounts as a', 'a.id', 'ctp.account_id')
          .innerJoin('persons as p', (join) =>
            join.onRef('p.family_id', '=', 'ctp.family_id').on('p.role', '=', 'pregnant_person'),
          )
          .select(['ctp.family_id', 'p.family_name', 'p.id as person_id'])
          .where('a.email', '=', professional.email)
          .where('ctp.ended_at', 'is', null)
          .limit(1)
          .executeTakeFirstOrThrow();
        return {
          ...professional,
          familyId: family.family_id,
          personId: family.person_id,
          searchFor: family.family_name ?? 'a',
        };
      }),
    ),
    inboxProfessionals: region.inboxProfessionals,
    analyst: analystEmail,
    figuresRefresh: refresh,
    password: SYNTHETIC_PASSWORD,
    accounts: region.professionals + region.parents,
  }),
);

const stop = async () => {
  await app.close();
  await baseline.close();
  await database.close();
  await cleanup();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());

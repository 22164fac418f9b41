import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { Access } from '../server/src/access/access.ts';
import { hashPassword } from '../server/src/accounts/password.ts';
import { buildApp } from '../server/src/app.ts';
import { auditedSelect } from '../server/src/audit/write-audit.ts';
import { loadConfig } from '../server/src/config.ts';
import { connectPostgres, type Database, openPGlite } from '../server/src/database/connect.ts';
import { migrate } from '../server/src/database/migrate.ts';
import { toPatient } from '../server/src/fhir/fhir.ts';
import { PATIENT_COLUMNS } from '../server/src/fhir/patient.ts';
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
// Development only: KRING_BENCH_REUSE=1 keeps the seeded PostgreSQL database (kring_bench_reuse_<N>)
// and uses it again next time, so a change can be measured without seeding 100k families again.
// The benchmark's own writes from earlier runs are deleted at start; the figures for a note come
// from a fresh seed.
const reuse = engine === 'postgresql' && process.env.KRING_BENCH_REUSE === '1';
let reused = false;
if (engine === 'pglite') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-bench-'));
  database = await openPGlite(dir);
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
} else {
  const serverUrl = process.env.DATABASE_URL as string;
  const name = reuse ? `kring_bench_reuse_${families}` : `kring_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  reused = reuse && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (!reused) await admin.query(`CREATE DATABASE ${name}`);
  // Diagnosis only: KRING_BENCH_SYNC_COMMIT=off shows how much of a write's cost is the WAL flush.
  if (process.env.KRING_BENCH_SYNC_COMMIT === 'off') {
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  database = connectPostgres(url.toString(), 20);
  cleanup = async () => {
    if (!reuse) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
await migrate(database);
const analystEmail = 'analist@synthetisch.kring';
let region: Awaited<ReturnType<typeof seedSynthetic>>;
let refresh: Awaited<ReturnType<typeof refreshFigures>>;
if (reused) {
  const kept = await sql<{
    region: typeof region;
    refresh: typeof refresh;
  }>`SELECT region, refresh FROM bench_seeded`.execute(database.db);
  ({ region, refresh } = kept.rows[0] as { region: typeof region; refresh: typeof refresh });
  // What earlier runs' writes added to the sample families (referrals, answered guides, signals);
  // without the foreign-key triggers, which would scan the answers for every answer deleted.
  await database.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await sql`DELETE FROM referral_events WHERE referral_id IN (SELECT id FROM referrals WHERE reason LIKE 'Benchmark:%')`.execute(
      tx,
    );
    await sql`DELETE FROM referrals WHERE reason LIKE 'Benchmark:%'`.execute(tx);
    await sql`DELETE FROM guide_answers WHERE response_id IN (SELECT id FROM guide_responses WHERE guide_key = 'bench_30')`.execute(
      tx,
    );
    await sql`DELETE FROM guide_responses WHERE guide_key = 'bench_30'`.execute(tx);
    await sql`DELETE FROM signal_versions WHERE signal_id IN (SELECT id FROM signals WHERE note = 'Benchmark')`.execute(
      tx,
    );
    await sql`DELETE FROM signals WHERE note = 'Benchmark'`.execute(tx);
  });
} else {
  region = await seedSynthetic(database.db, { families });
  // The municipality's figures: one refresh (timed: it grows with the families and their events),
  // and an analyst of the synthetic municipality to read them.
  refresh = await refreshFigures(database.db);
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
  if (reuse) {
    await sql`CREATE TABLE bench_seeded (region jsonb NOT NULL, refresh jsonb NOT NULL)`.execute(database.db);
    await sql`INSERT INTO bench_seeded VALUES (${JSON.stringify(region)}::jsonb, ${JSON.stringify(refresh)}::jsonb)`.execute(
      database.db,
    );
  }
}
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
      kind: 'factual',
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

// FHIR's bulk export of 10,000 families (issue 9) by an organisation's system: the region's GGD,
// whose youth health care is in the team of 10,000 open families (with the consent each family gave
// its first organisation), registered as a SMART backend-services client with a key made here.
const EXPORT_FAMILIES = Math.min(10_000, families);
const exporter = await regionalOrganisation(EXPORT_FAMILIES);
const exportKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const exportClientId = randomUUID();
await database.db
  .insertInto('accounts')
  .values({
    id: exportClientId,
    email: `fhir-client-${exportClientId}@system.invalid`,
    display_name: 'Benchmark-systeem',
    kind: 'system',
    organisation_id: exporter.organisation_id,
  })
  .execute();
await database.db
  .insertInto('fhir_clients')
  .values({
    account_id: exportClientId,
    jwks: JSON.stringify({ keys: [{ ...exportKey.publicKey.export({ format: 'jwk' }), kid: 'bench' }] }),
    created_by_account_id: account.id,
  })
  .execute();

/** The regional GGD in the teams of `count` open families (made once; a kept database has it). */
async function regionalOrganisation(count: number): Promise<{ organisation_id: string; families: number }> {
  const name = 'Synthetische GGD, jeugdgezondheidszorg regio';
  const found = await database.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst();
  const id = found?.id ?? randomUUID();
  if (!found) {
    await database.db.transaction().execute(async (tx) => {
      await tx.insertInto('organisations').values({ id, name, type: 'jgz' }).execute();
      await sql`INSERT INTO care_team_organisations (id, family_id, organisation_id, started_on)
        SELECT gen_random_uuid(), f.id, ${id}, current_date - 30
        FROM (SELECT id FROM families WHERE status = 'open' ORDER BY id LIMIT ${count}) f`.execute(tx);
      await sql`INSERT INTO consents (id, family_id, person_id, purpose, organisation_id, category, given_how,
          recorded_by_account_id)
        SELECT gen_random_uuid(), c.family_id, c.person_id, 'share', ${id}, c.category, c.given_how,
          c.recorded_by_account_id
        FROM (SELECT DISTINCT ON (c.family_id, c.person_id, c.category) c.*
          FROM consents c JOIN care_team_organisations t ON t.family_id = c.family_id AND t.organisation_id = ${id}
          WHERE c.purpose = 'share' AND c.withdrawn_at IS NULL
          ORDER BY c.family_id, c.person_id, c.category, c.recorded_at) c`.execute(tx);
    });
    await sql`ANALYZE care_team_organisations, consents`.execute(database.db);
  }
  const members = await database.db
    .selectFrom('care_team_organisations')
    .select((eb) => eb.fn.countAll<string>().as('families'))
    .where('organisation_id', '=', id)
    .where('ended_on', 'is', null)
    .executeTakeFirstOrThrow();
  return { organisation_id: id, families: Number(members.families) };
}

const baseline = Fastify({ logger: false });
baseline.get('/bare', async () => ({ ok: true }));
// The FHIR Patient read without its audit write (the same query through the same access rule),
// so that the audit's share of a read is visible beside it.
const benchActor = await database.db
  .selectFrom('accounts')
  .select(['id', 'organisation_id'])
  .where('id', '=', account.id)
  .executeTakeFirstOrThrow();
baseline.get<{ Params: { id: string } }>('/patient-unaudited/:id', async (request) => {
  const access = new Access({
    accountId: benchActor.id,
    kind: 'professional',
    displayName: '',
    email: '',
    organisationId: benchActor.organisation_id,
    organisationName: null,
    organisationType: null,
    discipline: null,
    language: 'nl',
    secondFactorEnabled: true,
  });
  const person = await database.db
    .selectFrom('persons as p')
    .select(PATIENT_COLUMNS)
    .where('p.id', '=', request.params.id)
    .where(access.familyReadScope('p.family_id'))
    .executeTakeFirst();
  return person ? toPatient(person) : { missing: true };
});
baseline.get('/select', async () =>
  database.db.selectFrom('accounts').select(['id', 'display_name']).where('id', '=', account.id).executeTakeFirst(),
);
// The same select with an audit event on a family's trail in the same statement, as every audited
// read in Kring writes it (each request on another family's chain, as reads of many families are):
// the ceiling of any audited operation on this machine, without sessions, access rules or answers.
const auditedFamilies = (await database.db.selectFrom('families').select('id').limit(10_000).execute()).map(
  (family) => family.id,
);
let nextAuditedFamily = 0;
baseline.get('/select-audited', async () => {
  const familyId = auditedFamilies[nextAuditedFamily++ % auditedFamilies.length];
  const [row] = await auditedSelect(
    database.db,
    {
      accountId: benchActor.id,
      organisationId: benchActor.organisation_id,
      role: 'bench',
      clientAddress: null,
      correlationId: null,
    },
    database.db.selectFrom('accounts').select(['id', 'display_name']).where('id', '=', account.id),
    { action: 'bench.select', familyId, recordType: 'account', recordId: account.id },
    {},
  );
  return row;
});
await baseline.listen({ port: 0, host: '127.0.0.1' });

// 32 parents of the region with their own Kring, each linked to the pregnant person of a family that
// carries signals (one per family; kept across reused runs), for the parents' pages.
const linked = await database.db.selectFrom('parent_links').select('account_id').limit(32).execute();
if (linked.length < 32) {
  const parentAccounts = await database.db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'parent')
    .where('id', 'not in', (eb) => eb.selectFrom('parent_links').select('account_id'))
    .orderBy('email')
    .limit(32 - linked.length)
    .execute();
  const mothers = await database.db
    .selectFrom('persons as p')
    .select(['p.id', 'p.family_id'])
    .where('p.role', '=', 'pregnant_person')
    .where((eb) => eb.exists(eb.selectFrom('signals as s').select('s.id').whereRef('s.family_id', '=', 'p.family_id')))
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('parent_links as l').select('l.person_id').whereRef('l.family_id', '=', 'p.family_id')),
      ),
    )
    .orderBy('p.id')
    .limit(parentAccounts.length)
    .execute();
  if (mothers.length) {
    await database.db
      .insertInto('parent_links')
      .values(
        mothers.map((m, i) => ({
          account_id: parentAccounts[i]?.id as string,
          family_id: m.family_id,
          person_id: m.id,
        })),
      )
      .execute();
  }
}
const parentEmails = await database.db
  .selectFrom('parent_links as l')
  .innerJoin('accounts as a', 'a.id', 'l.account_id')
  .select('a.email')
  .orderBy('a.email')
  .limit(32)
  .execute();

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
    publicUrl: config.publicUrl,
    inboxProfessionals: region.inboxProfessionals,
    // The first sample professional's own person, for the unaudited read beside the audited one.
    unauditedPersonId: (
      await database.db
        .selectFrom('care_team_professionals as ctp')
        .innerJoin('persons as p', 'p.family_id', 'ctp.family_id')
        .select('p.id')
        .where('ctp.account_id', '=', account.id)
        .where('ctp.ended_at', 'is', null)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id,
    exporter: {
      clientId: exportClientId,
      families: Number(exporter.families),
      privateKeyPem: exportKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    },
    analyst: analystEmail,
    parents: parentEmails.map((p) => p.email),
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

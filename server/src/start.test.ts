import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from './config.ts';
import { connectPostgres, DataDirBusyError, openPGlite } from './database/connect.ts';
import { migrate } from './database/migrate.ts';
import { ORGANISATION_TYPES, REFERRAL_STATUSES } from './database/schema.ts';
import { loadDemoRegion } from './demo/seed-demo.ts';
import { startKring } from './start.ts';

// What `npm start` does on the embedded database in ./data; PGlite-only by nature.
const onPGlite = inject('engine') === 'pglite';
const dirs: string[] = [];
function tempDataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-start-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function configFor(dataDir: string) {
  return loadConfig({
    KRING_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    KRING_WEB_DIST: '/none',
    // Fewer background families than the demo's 3,000, to keep the test quick; same path.
    KRING_DEMO_BACKGROUND_FAMILIES: '300',
  });
}

async function login(baseUrl: string, email: string) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'kring-demo' }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookie: response.headers.get('set-cookie'),
  };
}

function baseUrlOf(kring: Awaited<ReturnType<typeof startKring>>) {
  const address = kring.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

describe.runIf(onPGlite)('starting Kring on the embedded database', () => {
  it('seeds the demo region on first start, with every demo account able to sign in', async () => {
    const kring = await startKring(configFor(tempDataDir()), { logger: false });
    try {
      const baseUrl = baseUrlOf(kring);
      const region = loadDemoRegion();
      for (const email of [
        'verloskundige@duinstad.demo',
        'kraamzorg@duinstad.demo',
        'jgz@duinstad.demo',
        'wijkteam@duinstad.demo',
        'ggz@duinstad.demo',
        'gezinsvoogd@duinstad.demo',
        'analist@duinstad.demo',
        'beheer@duinstad.demo',
        'ouder@duinstad.demo',
      ]) {
        expect(region.accounts.some((a) => a.email === email)).toBe(true);
        expect((await login(baseUrl, email)).body.status).toBe('signed_in');
      }
      const types = await kring.database.db.selectFrom('organisations').select('type').execute();
      expect(new Set(types.map((row) => row.type))).toEqual(
        // Every type of chain organisation, only 'overig' (other) not needed in the demo.
        new Set(ORGANISATION_TYPES.filter((type) => type !== 'overig')),
      );
      // 40 families in every phase on the demo accounts, and the synthetic background families
      // that no demo account sees, counted by the first figures refresh.
      const families = await kring.database.db.selectFrom('families').select('id').execute();
      expect(families).toHaveLength(340);
      const refresh = await kring.database.db.selectFrom('figure_refreshes').selectAll().executeTakeFirstOrThrow();
      expect(refresh).toMatchObject({ families: 340 });
      const asJson = async (email: string, path: string) => {
        const { cookie } = await login(baseUrl, email);
        const response = await fetch(`${baseUrl}${path}`, { headers: { cookie: cookie?.split(';')[0] ?? '' } });
        return (await response.json()) as Record<string, unknown>;
      };
      const midwife = (await asJson('verloskundige@duinstad.demo', '/api/caseload')).families as {
        trajectories: { phase: string }[];
      }[];
      expect(midwife.length).toBeGreaterThan(10);
      const figures = await asJson('analist@duinstad.demo', '/api/figures');
      expect(figures.region).toEqual({ name: region.municipality.name, cbsCode: region.municipality.cbsCode });
      const jgz = (await asJson('jgz@duinstad.demo', '/api/caseload')).families as {
        trajectories: { phase: string }[];
      }[];
      const phases = new Set(jgz.flatMap((f) => f.trajectories.map((t) => t.phase)));
      expect([...phases].sort()).toEqual(expect.arrayContaining(['months_0_6', 'months_12_24']));
      const incoming = (await asJson('kraamzorg@duinstad.demo', '/api/handovers/incoming')).handovers as unknown[];
      expect(incoming.length).toBeGreaterThanOrEqual(1);
      // The legal situations that must fit: a child under a supervision order with the family
      // guardian in the team in that role, a child in foster care, a minor mother with her mother.
      const guardianFamilies = (await asJson('gezinsvoogd@duinstad.demo', '/api/caseload')).families as {
        familyId: string;
      }[];
      expect(guardianFamilies).toHaveLength(2);
      const otsRecord = (await asJson(
        'gezinsvoogd@duinstad.demo',
        `/api/families/${guardianFamilies[0]?.familyId}`,
      )) as {
        team: { professionals: { legalRole: string | null }[] }[];
        persons: { protectionMeasure: unknown }[];
      };
      expect(otsRecord.team.flatMap((m) => m.professionals.map((p) => p.legalRole))).toContain('gezinsvoogd');
      expect(otsRecord.persons.some((p) => p.protectionMeasure)).toBe(true);
      const roles = await kring.database.db.selectFrom('persons').select('role').distinct().execute();
      expect(roles.map((r) => r.role)).toEqual(expect.arrayContaining(['foster_parent', 'parent_of_minor']));
      // Signals in the demo: what protects and what weighs, on the picture of the families.
      const signals = await kring.database.db.selectFrom('signals').select(['code']).execute();
      expect(signals.length).toBeGreaterThan(30);
      expect(signals.map((row) => row.code)).toEqual(expect.arrayContaining(['supportive_partner', 'els_poverty']));
      const judgements = await kring.database.db.selectFrom('judgements').select('status').execute();
      expect(new Set(judgements.map((j) => j.status))).toEqual(new Set(['effective', 'agreed', 'proposed']));
      // A family where the midwife's own organisation recorded a signal shows it on its picture.
      const recorded = await kring.database.db
        .selectFrom('signals as s')
        .innerJoin('accounts as a', 'a.id', 's.account_id')
        .select('s.family_id')
        .where('a.email', '=', 'verloskundige@duinstad.demo')
        .where('s.status', '=', 'present')
        .executeTakeFirstOrThrow();
      const picture = (await asJson('verloskundige@duinstad.demo', `/api/families/${recorded.family_id}/picture`)) as {
        counts: { stress: number; protective: number };
      };
      expect(picture.counts.stress + picture.counts.protective).toBeGreaterThan(0);
      // The chain memory: JGZ opens the prenatal conversation for Eline Verhoeven and sees what the
      // midwife already asked.
      const eline = await kring.database.db
        .selectFrom('persons')
        .select(['id', 'family_id'])
        .where('given_name', '=', 'Eline')
        .where('family_name', '=', 'Verhoeven')
        .executeTakeFirstOrThrow();
      const prepared = (await asJson(
        'jgz@duinstad.demo',
        `/api/families/${eline.family_id}/guides/prenatal_attachment?personId=${eline.id}`,
      )) as { earlier: { organisationName: string }[] };
      expect(prepared.earlier.length).toBeGreaterThanOrEqual(3);
      expect(prepared.earlier[0]?.organisationName).toBe('Verloskundigenpraktijk De Duinroos');
      // Referrals in every state, one of them late; the wijkteam's inbox holds the open ones.
      const referrals = await kring.database.db.selectFrom('referrals').select(['status', 'sent_at']).execute();
      expect(new Set(referrals.map((r) => r.status))).toEqual(new Set(REFERRAL_STATUSES));
      const inbox = (await asJson('wijkteam@duinstad.demo', '/api/referrals/inbox')) as {
        referrals: { late: boolean }[];
      };
      expect(inbox.referrals.filter((r) => r.late)).toHaveLength(1);
      const socialMap = (await asJson('jgz@duinstad.demo', '/api/interventions')) as {
        interventions: { definition: { key: string }; offers: unknown[] }[];
      };
      expect(socialMap.interventions.find((i) => i.definition.key === 'stevig_ouderschap')?.offers).toHaveLength(2);
      // Care plans: goals in the parents' words, a referral hanging under one, one due for evaluation.
      const goals = await kring.database.db.selectFrom('plan_goals').select(['id', 'evaluate_on']).execute();
      expect(goals.length).toBeGreaterThanOrEqual(3);
      const underGoal = await kring.database.db
        .selectFrom('referrals')
        .select('id')
        .where('goal_id', 'is not', null)
        .execute();
      expect(underGoal.length).toBe(goals.length);
      // A completed Meldcode route ending in "offer help", and consultations (one anonymous).
      const routes = await kring.database.db.selectFrom('meldcode_routes').select(['outcome', 'status']).execute();
      expect(routes).toEqual([{ outcome: 'help', status: 'closed' }]);
      const steps = await kring.database.db.selectFrom('meldcode_steps').select('step').execute();
      expect(steps.map((s) => s.step).sort()).toEqual([1, 2, 3, 4, 5]);
      const consultations = await kring.database.db.selectFrom('consultations').select('family_id').execute();
      expect(consultations.map((c) => c.family_id === null).sort()).toEqual([false, true]);
      const wijkteam = (await asJson('wijkteam@duinstad.demo', '/api/caseload')).families as unknown[];
      expect(wijkteam.length).toBeLessThan(midwife.length);
      const ready = await fetch(`${baseUrl}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', pendingMigrations: 0 });
      const health = await fetch(`${baseUrl}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    } finally {
      await kring.close();
    }
  });

  it('keeps data across a restart and seeds nothing twice', async () => {
    const dataDir = tempDataDir();
    const first = await startKring(configFor(dataDir), { logger: false });
    const signIn = await login(baseUrlOf(first), 'jgz@duinstad.demo');
    const csrf = String(signIn.body.csrfToken);
    const changed = await fetch(`${baseUrlOf(first)}/api/me/language`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: signIn.cookie?.split(';')[0] ?? '' },
      body: JSON.stringify({ language: 'en' }),
    });
    expect(changed.status).toBe(200);
    const accountsBefore = await first.database.db.selectFrom('accounts').select('id').execute();
    await first.close();

    const second = await startKring(configFor(dataDir), { logger: false });
    try {
      expect(second.notices).toEqual([]);
      const accountsAfter = await second.database.db.selectFrom('accounts').select('id').execute();
      expect(accountsAfter.map((a) => a.id).sort()).toEqual(accountsBefore.map((a) => a.id).sort());
      const again = await login(baseUrlOf(second), 'jgz@duinstad.demo');
      expect((again.body.actor as { language: string }).language).toBe('en');
      const events = await second.database.db.selectFrom('audit_events').select('action').execute();
      expect(events.filter((e) => e.action === 'auth.login')).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('refuses a second process on the same data folder with one clear line', async () => {
    const dataDir = tempDataDir();
    fs.writeFileSync(path.join(dataDir, 'kring.lock'), String(process.ppid));
    await expect(openPGlite(dataDir)).rejects.toBeInstanceOf(DataDirBusyError);
    await expect(openPGlite(dataDir)).rejects.toThrow(/in use by a running Kring .*stop it first/);
  });

  it('applies each migration once', async () => {
    const database = await openPGlite(tempDataDir());
    try {
      expect((await migrate(database)).length).toBeGreaterThan(0);
      expect(await migrate(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe('demo mode on a database server', () => {
  it.runIf(inject('engine') === 'postgresql')(
    'refuses a database that is neither empty nor a demo database, before any migration touches it',
    async () => {
      const serverUrl = process.env.KRING_TEST_DATABASE_URL as string;
      const name = `kring_test_real_${process.pid}_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      try {
        const real = connectPostgres(url.toString(), 2);
        await migrate(real);
        await real.db
          .insertInto('organisations')
          .values({ id: randomUUID(), name: 'Echte praktijk', type: 'verloskundigenpraktijk' })
          .execute();
        await real.close();
        const config = loadConfig({
          DATABASE_URL: url.toString(),
          KRING_MODE: 'demo',
          PORT: '0',
          LOG_LEVEL: 'silent',
          KRING_WEB_DIST: '/none',
          KRING_DATA_DIR: tempDataDir(),
        });
        await expect(startKring(config, { logger: false })).rejects.toThrow('neither empty nor a demo database');
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});

import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.ts';
import { anchorOf, writeCheckpoint } from '../server/src/audit/checkpoints.ts';
import { checkAuditChains } from '../server/src/audit/daily-chain-check.ts';
import { loadConfig } from '../server/src/config.ts';
import { PGLITE_OPTIONS, wrapPGlite } from '../server/src/database/connect.ts';
import { migrate } from '../server/src/database/migrate.ts';
import { RELEASED_QUERIES_FILE, type RecordedQuery, serialiseQueries } from '../server/src/database/release-queries.ts';
import { seedDemo } from '../server/src/demo/seed-demo.ts';
import { closeEndedTrajectories } from '../server/src/families/close-ended-trajectories.ts';
import { applyRetention } from '../server/src/families/retention.ts';
import { deliverMail } from '../server/src/mail/mailer.ts';
import { askAboutLateReferrals } from '../server/src/referrals/late-referrals.ts';
import { askForSignalReviews } from '../server/src/signals/review-signals.ts';

/**
 * npm run queries:record — at a release: record every SQL statement this release runs (seeding the
 * demo region, every kind of account's pages, the commands of a working day, the sweeps and daily
 * jobs), so that the next release's migrations are checked against them (expand → contract).
 */

/** A signed-in client over inject: the session cookie and CSRF token carried along. */
function client(app: FastifyInstance) {
  let cookie = '';
  let csrf = '';
  const request = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(cookie && { cookie: `kring_session=${cookie}` }),
        ...(csrf && method !== 'GET' && { 'x-csrf-token': csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = response.cookies.find((c) => c.name === 'kring_session');
    if (set) cookie = set.value;
    const json = response.headers['content-type']?.toString().includes('json') ? response.json() : undefined;
    if (json && typeof json.csrfToken === 'string') csrf = json.csrfToken;
    return json;
  };
  return { request, signIn: (email: string) => request('POST', '/api/auth/login', { email, password: 'kring-demo' }) };
}

/** Run the workload on a fresh embedded database and answer the statements it ran. */
async function recordReleaseQueries(): Promise<RecordedQuery[]> {
  const seen = new Map<string, unknown[]>();
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const database = wrapPGlite(pglite, undefined, (sql, parameters) => {
    if (!seen.has(sql)) seen.set(sql, [...parameters]);
  });
  const config = loadConfig({ KRING_WEB_DIST: '/nonexistent', LOG_LEVEL: 'silent' });
  try {
    await migrate(database);
    await seedDemo(database.db);
    const app = await buildApp({ config, database }, { logger: false });
    for (const email of ['jgz@duinstad.demo', 'verloskundige@duinstad.demo', 'wijkteam@duinstad.demo']) {
      const c = client(app);
      await c.signIn(email);
      await c.request('GET', '/api/me');
      const caseload = await c.request('GET', '/api/caseload');
      for (const url of ['/api/tasks', '/api/notifications', '/api/handovers/incoming', '/api/referrals/inbox']) {
        await c.request('GET', url);
      }
      for (const url of [
        '/api/interventions',
        '/api/consultations',
        '/api/meldcode',
        '/api/guides',
        '/api/knowledge',
      ]) {
        await c.request('GET', url);
      }
      for (const family of (caseload?.families ?? []).slice(0, 4) as { familyId: string }[]) {
        const base = `/api/families/${family.familyId}`;
        for (const part of [
          '',
          '/picture',
          '/plan',
          '/guide-responses',
          '/audit-events',
          '/data-requests',
          '/meldcode',
          '/consultations',
          '/consent-overrides',
          '/interventions',
        ]) {
          await c.request('GET', `${base}${part}`);
        }
        await c.request('POST', `${base}/contacts`, { kind: 'home_visit', occurredOn: '2026-11-20' });
        await c.request('POST', `${base}/signals`, { code: 'finances', source: 'told_by_parent', note: 'x' });
        await c.request('POST', `${base}/data-requests`, {
          kind: 'correction',
          recordType: 'other',
          text: 'Graag corrigeren.',
        });
      }
      await c.request('POST', '/api/families/search', { query: 'Visser' });
      await c.request('POST', '/api/families', {
        pregnantPerson: { givenName: 'Eva', familyName: `Opname${email.length}`, birthDate: '1995-02-02' },
        caregivers: [],
        pregnancy: { dueDate: '2027-03-01' },
        address: { street: 'Duinweg', houseNumber: '3', postcode: '9901 AB', city: 'Duinstad' },
        consent: { categories: ['medical', 'psychosocial', 'social'], givenHow: 'verbal' },
      });
    }
    const admin = client(app);
    await admin.signIn('beheer@duinstad.demo');
    for (const url of [
      '/api/admin/organisations',
      '/api/admin/alerts',
      '/api/audit-events?limit=5',
      '/api/me/recovery-codes',
    ]) {
      await admin.request('GET', url);
    }
    await admin.request('POST', '/api/audit-events/verify');
    await closeEndedTrajectories(database.db);
    await askForSignalReviews(database.db);
    await askAboutLateReferrals(database.db, config.referralAnswerDays);
    await deliverMail(database.db, config);
    await writeCheckpoint(database.db, anchorOf(config));
    await checkAuditChains(database.db, anchorOf(config));
    await applyRetention(database.db, config);
    await app.close();
  } finally {
    await database.close();
  }
  return [...seen].map(([sql, parameters]) => ({ sql, parameters })).sort((a, b) => a.sql.localeCompare(b.sql));
}

const queries = await recordReleaseQueries();
fs.writeFileSync(RELEASED_QUERIES_FILE, serialiseQueries(queries));
console.log(`Recorded ${queries.length} distinct statements in ${RELEASED_QUERIES_FILE}.`);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { apiRoutes } from '../app.ts';
import type { AccountKind } from '../database/schema.ts';

/**
 * Every route × every kind of account: what the access decision point must answer. A route added
 * to the app without a row here fails the first test, so nobody adds a route without deciding.
 */
type Expect = Record<AccountKind | 'anonymous', number>;
const all = (status: number): Expect => ({
  professional: status,
  analyst: status,
  parent: status,
  admin: status,
  anonymous: status,
});

interface Case {
  route: string;
  /** The request, given the seeded ids. */
  url: (ids: Ids) => string;
  body?: unknown;
  expect: Expect;
}

interface Ids {
  ownOrganisation: string;
  otherOrganisation: string;
  otherAccount: string;
}

const CASES: Case[] = [
  { route: 'GET /api/health', url: () => '/api/health', expect: all(200) },
  { route: 'GET /api/me', url: () => '/api/me', expect: { ...all(200), anonymous: 401 } },
  {
    route: 'PUT /api/me/language',
    url: () => '/api/me/language',
    body: { language: 'nl' },
    expect: { ...all(200), anonymous: 401 },
  },
  {
    route: 'GET /api/organisations',
    url: () => '/api/organisations',
    expect: { professional: 200, analyst: 200, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/organisations/:id/members',
    url: (ids) => `/api/organisations/${ids.ownOrganisation}/members`,
    expect: { professional: 200, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/organisations/:id/members',
    url: (ids) => `/api/organisations/${ids.otherOrganisation}/members`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/accounts/:id',
    url: (ids) => `/api/accounts/${ids.otherAccount}`,
    expect: { professional: 404, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/audit-events',
    url: () => '/api/audit-events',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/audit-events/verify',
    url: () => '/api/audit-events/verify',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
];

// Sign-in routes are the way in, not data: their own tests (log-in.test.ts) cover them.
const SIGN_IN_ROUTES = new Set([
  'POST /api/auth/login',
  'POST /api/auth/second-factor',
  'POST /api/auth/second-factor/enrolment',
  'POST /api/auth/second-factor/enrolment/confirm',
  'POST /api/auth/enrolment-link',
  'POST /api/auth/enrolment-link/confirm',
  'POST /api/auth/logout',
]);

let t: TestApp;
let ids: Ids;
const clients: Partial<Record<AccountKind | 'anonymous', Client>> = {};

beforeAll(async () => {
  t = await createTestApp();
  const ownOrganisation = await seedOrganisation(t.db, 'jgz');
  const otherOrganisation = await seedOrganisation(t.db, 'wijkteam');
  const other = await seedAccount(t.db, { kind: 'professional', organisationId: otherOrganisation });
  ids = { ownOrganisation, otherOrganisation, otherAccount: other.id };
  const accounts = {
    professional: await seedAccount(t.db, { kind: 'professional', organisationId: ownOrganisation }),
    analyst: await seedAccount(t.db, { kind: 'analyst' }),
    parent: await seedAccount(t.db, { kind: 'parent' }),
    admin: await seedAccount(t.db, { kind: 'admin' }),
  };
  for (const [kind, account] of Object.entries(accounts)) {
    clients[kind as AccountKind] = await t.signIn(account.email);
  }
  clients.anonymous = t.anonymous();
});
afterAll(() => t.close());

async function refusedCount() {
  const row = await t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('outcome', '=', 'refused')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('access decisions, route × kind of account', () => {
  it('has a decision for every route of the app', () => {
    const decided = new Set(CASES.map((c) => c.route));
    const undecided = apiRoutes
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !decided.has(key) && !SIGN_IN_ROUTES.has(key));
    expect(undecided).toEqual([]);
  });

  for (const testCase of CASES) {
    for (const kind of ['professional', 'analyst', 'parent', 'admin', 'anonymous'] as const) {
      const status = testCase.expect[kind];
      it(`${testCase.route} (${testCase.url.name || 'url'}) as ${kind} → ${status}`, async () => {
        const client = clients[kind] as Client;
        const [method, route] = testCase.route.split(' ') as ['GET' | 'POST' | 'PUT', string];
        const before = await refusedCount();
        const response = await client.request(method, testCase.url(ids), testCase.body);
        expect({ route, status: response.statusCode }).toEqual({ route, status });
        const refused = (await refusedCount()) - before;
        // 403 and 404 are refusals of a known actor: each writes one audit record. 401 has no actor.
        expect(refused).toBe(status === 403 || status === 404 ? 1 : 0);
      });
    }
  }

  it('answers a refusal with the reason code and no data', async () => {
    const response = await (clients.professional as Client).get(`/api/accounts/${ids.otherAccount}`);
    expect(response.json()).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Not found.', fields: [] });
  });

  it('records what was refused, and to whom', async () => {
    await (clients.professional as Client).get(`/api/organisations/${ids.otherOrganisation}/members`);
    const last = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('outcome', '=', 'refused')
      .orderBy('occurred_at', 'desc')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      action: 'organisation.members.read',
      record_type: 'organisation',
      record_id: ids.otherOrganisation,
      actor_organisation_id: ids.ownOrganisation,
    });
  });
});

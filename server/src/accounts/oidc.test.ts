import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { startIdentityProvider, type TestIdentityProvider } from '../../test/oidc-provider.ts';

const PUBLIC_URL = 'http://kring.test';
let idp: TestIdentityProvider;
let t: TestApp;
let admin: Client;
let organisationId: string;
let nurse: { id: string; email: string };

beforeAll(async () => {
  idp = await startIdentityProvider(`${PUBLIC_URL}/api/auth/oidc/callback`);
});
afterAll(() => idp.close());

beforeEach(async () => {
  t = await createTestApp({ KRING_PUBLIC_URL: PUBLIC_URL });
  organisationId = await seedOrganisation(t.db, 'jgz');
  nurse = await seedAccount(t.db, { kind: 'professional', organisationId });
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  idp.forge = 'none';
});
afterEach(() => t.close());

const connect = (issuer: string) =>
  admin.put(`/api/admin/organisations/${organisationId}/identity-provider`, {
    issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
  });

/** A browser signing in through the organisation's provider: start, sign in there, come back. */
async function signInVia(login: string, options: { keepBrowserCookie?: boolean } = {}) {
  const start = await t.anonymous().get(`/api/auth/oidc/${organisationId}/start`);
  expect(start.statusCode).toBe(302);
  const browserCookie = start.cookies.find((c) => c.name === 'kring_oidc');
  expect(browserCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  const query = await idp.signIn(String(start.headers.location), login);
  const callback = await t.app.inject({
    method: 'GET',
    url: `/api/auth/oidc/callback${query}`,
    headers: options.keepBrowserCookie === false ? {} : { cookie: `kring_oidc=${browserCookie?.value}` },
  });
  const session = callback.cookies.find((c) => c.name === 'kring_session')?.value;
  const browser = new Client(t.app);
  browser.cookie = session;
  return { callback, browser, query, browserCookie: browserCookie?.value };
}

async function lastLogin() {
  return t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'auth.login')
    .orderBy('occurred_at', 'desc')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
}

describe('OpenID Connect sign-in per organisation', () => {
  it('is connected by an administrator, who sees it but never the secret; an address that does not answer is refused', async () => {
    const wrong = await connect('http://127.0.0.1:9/nothing-here');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields).toEqual([
      { field: 'body.issuer', message: 'no OpenID Connect provider answers at this address' },
    ]);
    expect((await connect(idp.issuer)).statusCode).toBe(200);
    const listed = (await admin.get('/api/admin/organisations')).json().organisations;
    const own = listed.find((o: { id: string }) => o.id === organisationId);
    expect(own.identityProvider).toEqual({ issuer: idp.issuer, clientId: 'kring' });
    expect(JSON.stringify(listed)).not.toContain(idp.clientSecret);
    const providers = (await t.anonymous().get('/api/auth/oidc/providers')).json().providers;
    expect(providers).toEqual([{ organisationId, name: expect.any(String) }]);
    expect((await t.signIn(nurse.email)).cookie).toBeDefined();
  });

  it('signs a professional in at the real provider and maps her by e-mail once, by subject after', async () => {
    await connect(idp.issuer);
    const first = await signInVia(nurse.email);
    expect(first.callback.statusCode).toBe(302);
    expect(first.callback.headers.location).toBe('/');
    const me = await first.browser.get('/api/me');
    expect(me.json().actor).toMatchObject({ accountId: nurse.id, email: nurse.email });
    expect(await lastLogin()).toMatchObject({
      actor_account_id: nurse.id,
      actor_organisation_id: organisationId,
      outcome: 'success',
      details: { method: 'oidc', firstTime: true },
    });
    const stored = await t.db
      .selectFrom('accounts')
      .select('oidc_subject')
      .where('id', '=', nurse.id)
      .executeTakeFirst();
    expect(stored?.oidc_subject).toBe(`subject-${nurse.email}`);

    // From now on the subject counts: a changed address in Kring does not matter.
    await t.db.updateTable('accounts').set({ email: 'renamed@test.example' }).where('id', '=', nurse.id).execute();
    const again = await signInVia(nurse.email);
    expect((await again.browser.get('/api/me')).json().actor.accountId).toBe(nurse.id);
    expect((await lastLogin()).details).toEqual({ method: 'oidc', firstTime: false });
  });

  it('refuses someone without an account, a replayed answer and an answer in another browser', async () => {
    await connect(idp.issuer);
    const stranger = await signInVia('stranger@elsewhere.example');
    expect(stranger.callback.headers.location).toBe('/?aanmelden=mislukt');
    expect(stranger.callback.cookies.find((c) => c.name === 'kring_session')).toBeUndefined();
    expect(await lastLogin()).toMatchObject({ outcome: 'failed', details: { method: 'oidc', reason: 'no_account' } });

    const good = await signInVia(nurse.email);
    const replay = await t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${good.query}`,
      headers: { cookie: `kring_oidc=${good.browserCookie}` },
    });
    expect(replay.headers.location).toBe('/?aanmelden=mislukt');
    expect((await lastLogin()).details).toMatchObject({ reason: 'unknown_state' });

    const elsewhere = await signInVia(nurse.email, { keepBrowserCookie: false });
    expect(elsewhere.callback.headers.location).toBe('/?aanmelden=mislukt');
    expect((await lastLogin()).details).toMatchObject({ reason: 'other_browser' });
    expect((await t.anonymous().get('/api/auth/oidc/callback?error=access_denied')).headers.location).toBe(
      '/?aanmelden=mislukt',
    );
  });

  it('refuses an ID token with a wrong issuer, audience, nonce or signature', async () => {
    await connect(idp.forgingIssuer);
    // The forging proxy passes a correctly re-signed token: that works, so each refusal below is the forgery's.
    expect((await signInVia(nurse.email)).callback.headers.location).toBe('/');
    for (const forgery of ['wrong_issuer', 'wrong_audience', 'wrong_nonce', 'bad_signature'] as const) {
      idp.forge = forgery;
      const forged = await signInVia(nurse.email);
      expect(forged.callback.headers.location, forgery).toBe('/?aanmelden=mislukt');
      expect(
        forged.callback.cookies.find((c) => c.name === 'kring_session'),
        forgery,
      ).toBeUndefined();
      expect((await lastLogin()).details, forgery).toMatchObject({ reason: 'token_rejected' });
    }
  });

  it('can be disconnected: the organisation then has no provider to start at', async () => {
    await connect(idp.issuer);
    expect(
      (await admin.request('DELETE', `/api/admin/organisations/${organisationId}/identity-provider`)).statusCode,
    ).toBe(200);
    expect((await t.anonymous().get(`/api/auth/oidc/${organisationId}/start`)).statusCode).toBe(404);
    expect((await t.anonymous().get('/api/auth/oidc/providers')).json().providers).toEqual([]);
  });
});

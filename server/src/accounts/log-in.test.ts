import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createTestApp,
  seedAccount,
  TEST_PASSWORD,
  type TestApp,
  tableCounts,
  testSigningKeyFile,
  totpCode,
} from '../../test/helpers.ts';
import { generateTotpSecret } from './totp.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('signing in', () => {
  it('starts a session with a correct password and shows the actor', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = t.anonymous();
    const login = await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ status: 'signed_in', actor: { email, kind: 'professional' } });
    const cookie = login.cookies.find((c) => c.name === 'kring_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await client.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().actor.email).toBe(email);
    const events = await auditEvents(t.db);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['auth.login', 'success']]);
  });

  it('accepts the e-mail address in any case and with spaces around it', async () => {
    const { email } = await seedAccount(t.db, { kind: 'parent' });
    const login = await t
      .anonymous()
      .post('/api/auth/login', { email: ` ${email.toUpperCase()} `, password: TEST_PASSWORD });
    expect(login.json().status).toBe('signed_in');
  });

  it('gives the same answer for a wrong password and an unknown account, and audits both', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const wrongPassword = await t.anonymous().post('/api/auth/login', { email, password: 'not the password' });
    const unknown = await t
      .anonymous()
      .post('/api/auth/login', { email: 'nobody@test.example', password: 'whatever1' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknown.json());
    expect(wrongPassword.json().code).toBe('INVALID_CREDENTIALS');
    const events = await auditEvents(t.db);
    expect(events.map((e) => [e.action, e.outcome, e.details.reason])).toEqual([
      ['auth.login', 'failed', 'bad_password'],
      ['auth.login', 'failed', 'unknown_account'],
    ]);
    expect(JSON.stringify(events)).not.toContain('nobody@test.example');
  });

  it('refuses a deactivated account with the same generic answer', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional', active: false });
    const response = await t.anonymous().post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an e-mail address after repeated failures (429), even for the right password, and records it', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      expect((await t.anonymous().post('/api/auth/login', { email, password: `wrong-${i}` })).statusCode).toBe(401);
    }
    const locked = await t.anonymous().post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(locked.json().retryAfterSeconds).toBeGreaterThan(0);
    const last = (await auditEvents(t.db)).at(-1);
    expect(last).toMatchObject({ action: 'auth.login', outcome: 'refused', details: { reason: 'throttled' } });
  });

  it('keeps the throttle in the database, so a second Kring process sees the lock', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      await t.anonymous().post('/api/auth/login', { email, password: `wrong-${i}` });
    }
    const { buildApp } = await import('../app.ts');
    const second = await buildApp({ config: t.config, database: t.database }, { logger: false });
    const response = await second.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    expect(response.statusCode).toBe(429);
    await second.close();
  });

  it('ends the session at logout; the old cookie no longer works', async () => {
    const { email } = await seedAccount(t.db, { kind: 'analyst' });
    const client = await t.signIn(email);
    const cookie = client.cookie;
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    client.cookie = cookie;
    expect((await client.get('/api/me')).statusCode).toBe(401);
    expect((await auditEvents(t.db)).map((e) => e.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('expires a session that stayed idle longer than allowed', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = await t.signIn(email);
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - (t.config.sessionIdleMinutes + 1) * 60_000) })
      .execute();
    const me = await client.get('/api/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('UNAUTHENTICATED');
  });

  it('expires a session at its absolute limit even when in use', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = await t.signIn(email);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    expect((await client.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token, and with another session’s token', async () => {
    const a = await t.signIn((await seedAccount(t.db, { kind: 'professional' })).email);
    const b = await t.signIn((await seedAccount(t.db, { kind: 'professional' })).email);
    const missing = await a.request('PUT', '/api/me/language', { language: 'en' }, { 'x-csrf-token': '' });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF_INVALID');
    const foreign = await a.request(
      'PUT',
      '/api/me/language',
      { language: 'en' },
      { 'x-csrf-token': b.csrfToken ?? '' },
    );
    expect(foreign.statusCode).toBe(403);
    const ok = await a.request('PUT', '/api/me/language', { language: 'en' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().language).toBe('en');
  });
});

describe('two-factor sign-in', () => {
  it('asks for the code after the password and allows nothing else until it is given', async () => {
    const secret = generateTotpSecret();
    const { email } = await seedAccount(t.db, { kind: 'professional', totpSecret: secret });
    const client = t.anonymous();
    const login = await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(login.json()).toMatchObject({ status: 'second_factor_required' });
    const me = await client.get('/api/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('SECOND_FACTOR_REQUIRED');
    const wrong = await client.post('/api/auth/second-factor', {
      code: '000000' === totpCode(secret) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_SECOND_FACTOR');
    const right = await client.post('/api/auth/second-factor', { code: totpCode(secret) });
    expect(right.json()).toMatchObject({ status: 'signed_in' });
    expect((await client.get('/api/me')).statusCode).toBe(200);
  });

  it('enrols an authenticator app: QR code, first code, then the second factor is asked at sign-in', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = await t.signIn(email);
    const start = await client.post('/api/auth/second-factor/enrolment');
    expect(start.statusCode).toBe(200);
    const { secret, qrCodeDataUrl, otpauthUrl } = start.json();
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(otpauthUrl).toContain('issuer=Kring');
    const confirm = await client.post('/api/auth/second-factor/enrolment/confirm', { code: totpCode(secret) });
    expect(confirm.json().actor.secondFactorEnabled).toBe(true);

    const again = await t.anonymous().post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(again.json().status).toBe('second_factor_required');
  });

  it('in production mode makes a professional without a second factor enrol before anything else', async () => {
    await t.close();
    t = await createTestApp({
      KRING_MODE: 'production',
      DATABASE_URL: 'postgres://unused@localhost/unused',
      KRING_SESSION_SECRET: 'p'.repeat(40),
      KRING_PUBLIC_URL: 'https://kring.test',
      KRING_AUDIT_SIGNING_KEY: testSigningKeyFile(),
    });
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = t.anonymous();
    const login = await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(login.json().status).toBe('second_factor_enrolment_required');
    expect(login.cookies.find((c) => c.name === 'kring_session')?.secure).toBe(true);
    expect((await client.get('/api/organisations')).json().code).toBe('SECOND_FACTOR_REQUIRED');
    const { secret } = (await client.post('/api/auth/second-factor/enrolment')).json();
    const confirm = await client.post('/api/auth/second-factor/enrolment/confirm', { code: totpCode(secret) });
    expect(confirm.json().status).toBe('signed_in');
    expect((await client.get('/api/organisations')).statusCode).toBe(200);
  });

  it('writes nothing but throttle counters and the audit record for a wrong code', async () => {
    const secret = generateTotpSecret();
    const { email } = await seedAccount(t.db, { kind: 'professional', totpSecret: secret });
    const client = t.anonymous();
    await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
    const before = await tableCounts(t.db);
    const wrongCode = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    await client.post('/api/auth/second-factor', { code: wrongCode });
    const after = await tableCounts(t.db);
    expect(after.audit_events).toBe((before.audit_events ?? 0) + 1);
    expect({ ...after, audit_events: 0, login_throttle: 0 }).toEqual({ ...before, audit_events: 0, login_throttle: 0 });
  });
});

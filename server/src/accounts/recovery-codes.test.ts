import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, createTestApp, seedAccount, TEST_PASSWORD, type TestApp, totpCode } from '../../test/helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** Sign in with a password, enrol an app and return the client with the recovery codes shown once. */
async function enrolled() {
  const { id, email } = await seedAccount(t.db, { kind: 'professional' });
  const client = t.anonymous();
  await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
  const { secret } = (await client.post('/api/auth/second-factor/enrolment')).json();
  const confirm = await client.post('/api/auth/second-factor/enrolment/confirm', { code: totpCode(secret) });
  expect(confirm.statusCode).toBe(200);
  const codes: string[] = confirm.json().recoveryCodes;
  return { id, email, secret, client, codes };
}

async function waitingForSecondFactor(email: string) {
  const client = t.anonymous();
  const login = await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
  expect(login.json().status).toBe('second_factor_required');
  return client;
}

describe('two-factor recovery codes', () => {
  it('shows ten codes once at enrolment and stores only their HMACs', async () => {
    const { id, codes } = await enrolled();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = await t.db.selectFrom('recovery_codes').selectAll().where('account_id', '=', id).execute();
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[0]?.replace('-', ''));
  });

  it('signs in once with a code instead of the app, in any case and spacing, and says how many are left', async () => {
    const { email, codes } = await enrolled();
    const code = codes[3] ?? '';
    const client = await waitingForSecondFactor(email);
    const signIn = await client.post('/api/auth/second-factor/recovery', {
      code: ` ${code.toUpperCase().replace('-', ' ')} `,
    });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toMatchObject({ status: 'signed_in', recoveryCodesLeft: 9 });
    expect((await client.get('/api/me')).statusCode).toBe(200);
    expect((await client.get('/api/me/recovery-codes')).json()).toEqual({ recoveryCodesLeft: 9 });
    const last = (await auditEvents(t.db)).at(-1);
    expect(last).toMatchObject({
      action: 'auth.login',
      details: { secondFactor: 'recovery_code', recoveryCodesLeft: 9 },
    });

    const again = await waitingForSecondFactor(email);
    const reused = await again.post('/api/auth/second-factor/recovery', { code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'INVALID_SECOND_FACTOR', fields: [{ field: 'body.code' }] });
  });

  it("refuses another account's code, and throttles guessing like app codes", async () => {
    const first = await enrolled();
    const second = await enrolled();
    const client = await waitingForSecondFactor(second.email);
    const other = await client.post('/api/auth/second-factor/recovery', { code: first.codes[0] });
    expect(other.statusCode).toBe(401);
    for (let i = 1; i < t.config.loginMaxFailures; i++) {
      await client.post('/api/auth/second-factor/recovery', { code: `wrong-guess${i}` });
    }
    const locked = await client.post('/api/auth/second-factor/recovery', { code: second.codes[0] });
    expect(locked.statusCode).toBe(429);
    expect((await client.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses a code that is too short with the field at fault, and only in the second-factor step', async () => {
    const { email, client, codes } = await enrolled();
    const tooShort = await (await waitingForSecondFactor(email)).post('/api/auth/second-factor/recovery', {
      code: 'abc',
    });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().fields[0].field).toBe('body.code');
    const signedIn = await client.post('/api/auth/second-factor/recovery', { code: codes[0] });
    expect(signedIn.statusCode).toBe(403);
  });

  it('renews the set: the old codes stop working, the new ones work', async () => {
    const { email, client, codes } = await enrolled();
    const renewed = await client.post('/api/me/recovery-codes');
    expect(renewed.statusCode).toBe(200);
    const fresh: string[] = renewed.json().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect((await auditEvents(t.db)).at(-1)?.action).toBe('auth.recovery_codes.renewed');
    const old = await (await waitingForSecondFactor(email)).post('/api/auth/second-factor/recovery', {
      code: codes[0],
    });
    expect(old.statusCode).toBe(401);
    const ok = await (await waitingForSecondFactor(email)).post('/api/auth/second-factor/recovery', { code: fresh[0] });
    expect(ok.json()).toMatchObject({ status: 'signed_in', recoveryCodesLeft: 9 });
  });

  it('cannot be renewed without an authenticator app', async () => {
    const { email } = await seedAccount(t.db, { kind: 'professional' });
    const client = t.anonymous();
    await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect((await client.post('/api/me/recovery-codes')).statusCode).toBe(403);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, totpCode } from '../../test/helpers.ts';
import { CreateAdminError, createAdmin } from './create-admin.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('creating the first administrator', () => {
  it('creates an admin whose one-time link enrols the second factor, after which sign-in asks for it', async () => {
    const created = await createAdmin(t.db, t.config, { email: 'Beheer@Regio.example', name: 'Eerste Beheerder' });
    expect(created.generated).toBe(true);
    expect(created.password.length).toBeGreaterThanOrEqual(20);
    const token = created.enrolmentUrl.split('#')[1] ?? '';
    expect(created.enrolmentUrl).toMatch(/\/enrol#/);

    const visitor = t.anonymous();
    const start = await visitor.post('/api/auth/enrolment-link', { token });
    expect(start.statusCode).toBe(200);
    const { secret } = start.json();
    const confirm = await visitor.post('/api/auth/enrolment-link/confirm', { token, code: totpCode(secret) });
    expect(confirm.json()).toMatchObject({ ok: true, recoveryCodes: expect.any(Array) });
    // The link is used up.
    const again = await visitor.post('/api/auth/enrolment-link', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('TOKEN_INVALID');

    const client = t.anonymous();
    const login = await client.post('/api/auth/login', { email: 'beheer@regio.example', password: created.password });
    expect(login.json().status).toBe('second_factor_required');
    const verified = await client.post('/api/auth/second-factor', { code: totpCode(secret) });
    expect(verified.json()).toMatchObject({ status: 'signed_in', actor: { kind: 'admin', secondFactorEnabled: true } });
  });

  it('refuses an expired enrolment link', async () => {
    const created = await createAdmin(t.db, t.config, {
      email: 'a@regio.example',
      name: 'A',
      password: 'long enough pw',
    });
    await t.db
      .updateTable('one_time_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const token = created.enrolmentUrl.split('#')[1] ?? '';
    expect((await t.anonymous().post('/api/auth/enrolment-link', { token })).json().code).toBe('TOKEN_INVALID');
  });

  it('refuses a duplicate e-mail address and a short password', async () => {
    await createAdmin(t.db, t.config, { email: 'b@regio.example', name: 'B' });
    await expect(createAdmin(t.db, t.config, { email: 'B@regio.example', name: 'B2' })).rejects.toBeInstanceOf(
      CreateAdminError,
    );
    await expect(
      createAdmin(t.db, t.config, { email: 'c@regio.example', name: 'C', password: 'short' }),
    ).rejects.toThrow(/at least/);
  });
});

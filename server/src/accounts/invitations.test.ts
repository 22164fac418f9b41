import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  type Client,
  createTestApp,
  seedAccount,
  seedOrganisation,
  type TestApp,
  tableCounts,
  totpCode,
} from '../../test/helpers.ts';
import { startSmtp } from '../../test/smtp.ts';

/** The link in a received mail (quoted-printable soft breaks undone). */
function linkIn(raw: string): string {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/\S+\/uitnodiging#([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error('no invitation link in the mail');
  return match[1];
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
let admin: Client;
let jgzId: string;

beforeEach(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ KRING_SMTP_URL: smtp.url });
  jgzId = await seedOrganisation(t.db, 'jgz');
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

const invitation = (overrides: Record<string, unknown> = {}) => ({
  email: 'marieke.nieuw@jgz.example',
  name: 'Marieke de Nieuwe',
  organisationId: jgzId,
  discipline: 'jeugdverpleegkundige',
  ...overrides,
});

describe('inviting a professional', () => {
  it('mails a one-time link; the professional chooses a password, connects the app and signs in', async () => {
    const invited = await admin.post('/api/invitations', invitation());
    expect(invited.statusCode).toBe(201);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.to).toEqual(['marieke.nieuw@jgz.example']);
    expect(smtp.received[0]?.raw).toContain('Uitnodiging voor Kring');
    const token = linkIn(smtp.received[0]?.raw ?? '');
    // Sent: the body (with the link) is no longer kept.
    const [outbox] = await t.db.selectFrom('mail_outbox').selectAll().execute();
    expect(outbox).toMatchObject({ status: 'sent', body: null });
    // Not yet a password: signing in fails like any wrong password.
    const anonymous = t.anonymous();
    expect(
      (await anonymous.post('/api/auth/login', { email: 'marieke.nieuw@jgz.example', password: 'wat dan ook 123' }))
        .statusCode,
    ).toBe(401);
    const accepted = await anonymous.post('/api/auth/invitation', { token, password: 'een goed wachtwoord' });
    expect(accepted.statusCode).toBe(200);
    const twice = await anonymous.post('/api/auth/invitation', { token, password: 'een ander wachtwoord' });
    expect(twice.json().code).toBe('TOKEN_INVALID');
    const { enrolmentToken } = accepted.json();
    const started = (await anonymous.post('/api/auth/enrolment-link', { token: enrolmentToken })).json();
    await anonymous.post('/api/auth/enrolment-link/confirm', { token: enrolmentToken, code: totpCode(started.secret) });
    const login = await anonymous.post('/api/auth/login', {
      email: 'marieke.nieuw@jgz.example',
      password: 'een goed wachtwoord',
    });
    expect(login.json().status).toBe('second_factor_required');
    const second = await anonymous.post('/api/auth/second-factor', { code: totpCode(started.secret) });
    expect(second.json()).toMatchObject({
      status: 'signed_in',
      actor: { displayName: 'Marieke de Nieuwe', organisationId: jgzId, discipline: 'jeugdverpleegkundige' },
    });
  });

  it('refuses an address that already has an account, and writes nothing', async () => {
    await admin.post('/api/invitations', invitation());
    const before = await tableCounts(t.db);
    const again = await admin.post('/api/invitations', invitation({ email: 'MARIEKE.nieuw@jgz.example' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().fields).toEqual([{ field: 'body.email', message: 'already has an account' }]);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses an unknown or expired link with the same answer', async () => {
    await admin.post('/api/invitations', invitation());
    const token = linkIn(smtp.received[0]?.raw ?? '');
    await t.db
      .updateTable('one_time_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const expired = await t.anonymous().post('/api/auth/invitation', { token, password: 'een goed wachtwoord' });
    const unknown = await t
      .anonymous()
      .post('/api/auth/invitation', { token: 'x'.repeat(43), password: 'een goed wachtwoord' });
    expect(expired.json()).toEqual(unknown.json());
    expect(expired.json().code).toBe('TOKEN_INVALID');
  });
});

describe('the demo outbox', () => {
  it('shows the administrator, in demo mode without an SMTP server, the mails Kring would have sent — nobody else', async () => {
    const demo = await createTestApp();
    try {
      const organisationId = await seedOrganisation(demo.db, 'jgz');
      const demoAdmin = await demo.signIn((await seedAccount(demo.db, { kind: 'admin' })).email);
      await demoAdmin.post('/api/invitations', invitation({ organisationId, language: 'en' }));
      // Its links set passwords: without the administrator's session, nothing (an account was taken over so).
      expect((await demo.anonymous().get('/api/demo/outbox')).statusCode).toBe(401);
      const professional = await demo.signIn(
        (await seedAccount(demo.db, { kind: 'professional', organisationId })).email,
      );
      expect((await professional.get('/api/demo/outbox')).statusCode).toBe(403);
      const outbox = (await demoAdmin.get('/api/demo/outbox')).json();
      expect(outbox.mails).toEqual([
        expect.objectContaining({ to: 'marieke.nieuw@jgz.example', subject: 'Invitation to Kring', status: 'demo' }),
      ]);
      expect(outbox.mails[0].body).toMatch(/\/uitnodiging#/);
    } finally {
      await demo.close();
    }
  });
});

describe('a forgotten password', () => {
  it('gives the same answer for an unknown address, mails a one-time link to a known one, and ends old sessions', async () => {
    const professional = await seedAccount(t.db, { kind: 'professional', organisationId: jgzId });
    const oldSession = await t.signIn(professional.email);
    const unknown = await t.anonymous().post('/api/auth/password-reset', { email: 'niemand@example.test' });
    const known = await t.anonymous().post('/api/auth/password-reset', { email: professional.email.toUpperCase() });
    expect(unknown.json()).toEqual(known.json());
    await expect.poll(() => smtp.received.length).toBe(1);
    expect(smtp.received[0]?.to).toEqual([professional.email]);
    const text = (smtp.received[0]?.raw ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /\/wachtwoord#([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
    const short = await t.anonymous().post('/api/auth/password-reset/confirm', { token, password: 'kort' });
    expect(short.json().fields[0].field).toBe('body.password');
    const reset = await t
      .anonymous()
      .post('/api/auth/password-reset/confirm', { token, password: 'een nieuw wachtwoord' });
    expect(reset.json()).toEqual({ ok: true });
    expect((await oldSession.get('/api/me')).statusCode).toBe(401);
    expect(
      (await t.anonymous().post('/api/auth/password-reset/confirm', { token, password: 'nog een wachtwoord' })).json()
        .code,
    ).toBe('TOKEN_INVALID');
    await t.signIn(professional.email, 'een nieuw wachtwoord');
  });
});

describe('an administrator resets a second factor', () => {
  it('ends the old app and every session, and mails the professional a link to connect again', async () => {
    const oldSecret = 'JBSWY3DPEHPK3PXP';
    const professional = await seedAccount(t.db, {
      kind: 'professional',
      organisationId: jgzId,
      totpSecret: oldSecret,
    });
    const session = t.anonymous();
    await session.post('/api/auth/login', { email: professional.email, password: 'correct horse battery' });
    await session.post('/api/auth/second-factor', { code: totpCode(oldSecret) });
    expect((await session.get('/api/me')).statusCode).toBe(200);
    const reset = await admin.post(`/api/accounts/${professional.id}/second-factor/reset`, {});
    expect(reset.json()).toEqual({ accountId: professional.id });
    expect((await session.get('/api/me')).statusCode).toBe(401);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.raw).toContain('opnieuw ingesteld');
    const text = (smtp.received[0]?.raw ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /\/enrol#([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
    const started = (await t.anonymous().post('/api/auth/enrolment-link', { token })).json();
    expect(started.secret).not.toBe(oldSecret);
    const confirmed = await t
      .anonymous()
      .post('/api/auth/enrolment-link/confirm', { token, code: totpCode(started.secret) });
    expect(confirmed.statusCode).toBe(200);
    expect((await auditEvents(t.db)).map((e) => e.action)).toContain('account.second_factor_reset');
  });
});

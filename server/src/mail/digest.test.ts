import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { startSmtp } from '../../test/smtp.ts';
import { createTask } from '../tasks/create-task.ts';
import { sendDigests } from './digest.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
beforeEach(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ KRING_SMTP_URL: smtp.url });
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

describe('the daily notification digest', () => {
  it('mails how many new notifications wait, with a link and nothing about families, once per new batch', async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    const nurse = await seedAccount(t.db, { kind: 'professional', organisationId });
    const quiet = await seedAccount(t.db, { kind: 'professional', organisationId });
    await createTask(t.db, { kind: 'contact_due', familyId: null, assigneeAccountId: nurse.id });
    await createTask(t.db, { kind: 'signal_review', familyId: null, assigneeAccountId: nurse.id });

    expect(await sendDigests(t.db, t.config)).toBe(1);
    expect(smtp.received.map((m) => m.to)).toEqual([[nurse.email]]);
    const mail = smtp.received[0]?.raw.replace(/=\r?\n/g, '') ?? '';
    expect(mail).toContain('Nieuwe meldingen in Kring');
    expect(mail).toContain('Er staan 2 nieuwe meldingen');
    expect(mail).toContain(t.config.publicUrl);
    expect(mail).not.toMatch(/contact_due|signal_review|Contactmoment/);

    // Nothing new: no second mail; something new: a mail again.
    expect(await sendDigests(t.db, t.config)).toBe(0);
    await createTask(t.db, { kind: 'contact_due', familyId: null, assigneeAccountId: nurse.id });
    expect(await sendDigests(t.db, t.config)).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect(quiet.id).not.toBe(nurse.id);
  });

  it('can be turned off by the person, on "Mijn account"', async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    const nurse = await seedAccount(t.db, { kind: 'professional', organisationId });
    const client = await t.signIn(nurse.email);
    expect((await client.get('/api/me/digest')).json()).toEqual({ enabled: true });
    expect((await client.put('/api/me/digest', { enabled: false })).json()).toEqual({ enabled: false });
    await createTask(t.db, { kind: 'contact_due', familyId: null, assigneeAccountId: nurse.id });
    expect(await sendDigests(t.db, t.config)).toBe(0);
    expect((await client.put('/api/me/digest', { enabled: 'yes' })).statusCode).toBe(400);
  });
});

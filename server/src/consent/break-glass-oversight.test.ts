import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  type Client,
  createTestApp,
  professionalAt,
  registration,
  seedAccount,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';

/**
 * The privacy officer's oversight of break-the-glass (issue 22): a stock reason for several
 * families, or more accesses in a day than the region allows, alerts every administrator; the
 * administrator's page lists every access with its reason and review.
 */

let t: TestApp;
let jgz: Awaited<ReturnType<typeof professionalAt>>;
let vt: Awaited<ReturnType<typeof professionalAt>>;
let admin: Client;
let adminB: Client;
const mothers: { familyName: string; birthDate: string; familyId: string }[] = [];

beforeEach(async () => {
  t = await createTestApp({ KRING_BREAK_GLASS_DAILY_LIMIT: '3' });
  await seedRegion(t.db);
  jgz = await professionalAt(t, 'jgz');
  vt = await professionalAt(t, 'veilig_thuis');
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  adminB = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  mothers.length = 0;
  for (let i = 0; i < 5; i++) {
    const body = registration({ caregivers: [] });
    const registered = await jgz.client.post('/api/families', body);
    expect(registered.statusCode, registered.body).toBe(201);
    const familyId = registered.json().familyId;
    mothers.push({ ...body.pregnantPerson, familyId });
  }
});
afterEach(() => t.close());

const REASON = 'Melding van acute onveiligheid van moeder en baby vannacht';
const breakGlass = (i: number, reason: string) =>
  vt.client.post('/api/emergency-access', {
    familyName: mothers[i]?.familyName,
    birthDate: mothers[i]?.birthDate,
    reason,
  });
const alertsOf = async (client: Client) => (await client.get('/api/admin/alerts')).json().alerts;

describe('oversight of break-the-glass', () => {
  it('alerts every administrator, once, when one professional gives the same reason for a second family', async () => {
    expect((await breakGlass(0, REASON)).statusCode).toBe(201);
    expect(await alertsOf(admin)).toEqual([]);
    // The same words with other case and punctuation are the same stock reason.
    const second = await breakGlass(1, `${REASON.toUpperCase()}!!`);
    expect(second.statusCode).toBe(201);
    // The professional is not told.
    expect(Object.keys(second.json()).sort()).toEqual(['expiresAt', 'familyId']);
    for (const client of [admin, adminB]) {
      expect(await alertsOf(client)).toEqual([
        expect.objectContaining({
          kind: 'break_glass_alert',
          accesses: 2,
          families: 2,
          sameReasonFamilies: 2,
          why: ['same_reason'],
          organisation: expect.any(String),
          professional: expect.any(String),
        }),
      ]);
    }
    // A third with the same reason brings the open alert up to date (no second alert).
    await breakGlass(2, REASON);
    const [alert] = await alertsOf(admin);
    expect(alert).toMatchObject({ sameReasonFamilies: 3, accesses: 3 });
    expect(await alertsOf(admin)).toHaveLength(1);
    // One administrator takes it up: closed for both, audited.
    expect((await admin.post(`/api/admin/alerts/${alert.id}/acknowledge`)).json()).toEqual({ closed: 2 });
    expect(await alertsOf(adminB)).toEqual([]);
    expect((await auditEvents(t.db)).map((e) => e.action)).toContain('audit.alert_acknowledged');
  });

  it('alerts when one professional opens more families in a day than the configured number, each with its own reason', async () => {
    const reasons = [
      'Politie belt over huiselijk geweld in dit gezin vannacht',
      'Ziekenhuis meldt baby met onverklaard letsel op de spoedeisende hulp',
      'Moeder belt in paniek dat partner dreigt het kind mee te nemen',
      'Buren melden al uren gillen en slaan in de woning van het gezin',
    ];
    for (const [i, reason] of reasons.entries()) expect((await breakGlass(i, reason)).statusCode).toBe(201);
    expect(await alertsOf(admin)).toEqual([
      expect.objectContaining({
        kind: 'break_glass_alert',
        accesses: 4,
        sameReasonFamilies: 1,
        why: ['many_accesses'],
      }),
    ]);
  });

  it('lists every access for the privacy officer with its reason and review, audited; only for administrators', async () => {
    await breakGlass(0, REASON);
    await breakGlass(3, 'Politie belt over huiselijk geweld in dit gezin vannacht');
    const log = await admin.get('/api/admin/break-glass');
    expect(log.statusCode).toBe(200);
    const { accesses, from, to } = log.json();
    expect(from < to).toBe(true);
    expect(accesses).toHaveLength(2);
    expect(accesses[1]).toMatchObject({
      familyId: mothers[0]?.familyId,
      reason: REASON,
      parentsInformed: true,
      reviewStatus: 'to_review',
      reviewNote: null,
      reviewedBy: null,
      expiresAt: expect.any(String),
    });
    expect((await auditEvents(t.db)).filter((e) => e.action === 'break_glass.list').at(-1)?.details).toEqual({
      count: 2,
    });
    // A period without accesses; an impossible date is a 400 naming the field, writing nothing.
    expect((await admin.get('/api/admin/break-glass?from=2020-01-01&to=2020-12-31')).json().accesses).toEqual([]);
    const bad = await admin.get('/api/admin/break-glass?from=2024-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('query.from');
    expect((await vt.client.get('/api/admin/break-glass')).statusCode).toBe(403);
  });
});

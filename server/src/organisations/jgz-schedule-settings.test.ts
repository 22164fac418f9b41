import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  daysFromToday,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import { jgzSchedule } from '../families/jgz-schedule.ts';

let t: TestApp;
let admin: Client;
let nurse: Client;
let jgzOrg: string;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  jgzOrg = await seedOrganisation(t.db, 'jgz');
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  nurse = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: jgzOrg })).email);
});
afterEach(() => t.close());

describe('a JGZ organisation’s own contact schedule', () => {
  it('follows the national default until adjusted, and then uses its own moments for its children', async () => {
    const initial = (await nurse.get(`/api/organisations/${jgzOrg}/jgz-schedule`)).json();
    expect(initial).toMatchObject({ custom: false, version: 0 });
    expect(initial.moments).toEqual(jgzSchedule().moments);

    // A family born 20 days ago, in this organisation's care.
    const familyId = (
      await nurse.post('/api/families', registration({ pregnancy: { dueDate: daysFromToday(0) } }))
    ).json().familyId;
    const [trajectory] = (await nurse.get(`/api/families/${familyId}`)).json().trajectories;
    await nurse.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(-20),
      birthWeightGrams: 3400,
      birthPlace: 'home',
      version: trajectory.version,
    });
    const before = (await nurse.get(`/api/families/${familyId}`)).json().trajectories[0].schedule;
    expect(before.map((m: { key: string }) => m.key)).toEqual(jgzSchedule().moments.map((m) => m.key));

    // Only an administrator adjusts it; a bad schedule is refused with the field at fault.
    const own = [
      { key: 'home_visit_10d', ageDays: 10, from: 3, grace: 7, kinds: ['home_visit'] },
      { key: 'visit_6w', ageDays: 42, from: 7, grace: 14, kinds: ['consultatiebureau'] },
    ];
    expect(
      (await nurse.put(`/api/organisations/${jgzOrg}/jgz-schedule`, { moments: own, version: 0 })).statusCode,
    ).toBe(403);
    const unordered = await admin.put(`/api/organisations/${jgzOrg}/jgz-schedule`, {
      moments: [...own].reverse(),
      version: 0,
    });
    expect(unordered.json().fields[0]).toMatchObject({ field: 'body.moments', message: 'moments in order of age' });
    expect(
      (await admin.put(`/api/organisations/${jgzOrg}/jgz-schedule`, { moments: own, version: 0 })).statusCode,
    ).toBe(200);
    expect(
      (await admin.put(`/api/organisations/${jgzOrg}/jgz-schedule`, { moments: own, version: 0 })).statusCode,
    ).toBe(409);
    const after = (await nurse.get(`/api/families/${familyId}`)).json().trajectories[0].schedule;
    expect(after.map((m: { key: string; status: string }) => [m.key, m.status])).toEqual([
      ['home_visit_10d', 'overdue'],
      ['visit_6w', 'upcoming'],
    ]);
    const caseload = (await nurse.get('/api/caseload')).json().families;
    expect(caseload[0].nextDueContact).toBe(daysFromToday(-10));
    // The caseload names the moment and marks it late.
    expect(caseload[0].nextMoment).toEqual({ key: 'home_visit_10d', status: 'overdue' });

    // Back to the national default.
    expect(
      (await admin.put(`/api/organisations/${jgzOrg}/jgz-schedule`, { moments: null, version: 1 })).statusCode,
    ).toBe(200);
    expect((await nurse.get(`/api/organisations/${jgzOrg}/jgz-schedule`)).json().custom).toBe(false);
  });

  it('belongs to JGZ organisations only', async () => {
    const midwifery = await seedOrganisation(t.db, 'verloskundigenpraktijk');
    const response = await admin.get(`/api/organisations/${midwifery}/jgz-schedule`);
    expect(response.json().fields[0].field).toBe('params.id');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedAccount, seedRegion, type TestApp, tableCounts } from '../../test/helpers.ts';

let t: TestApp;
let admin: Client;
beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
});
afterEach(() => t.close());

const list = async () => (await admin.get('/api/admin/organisations')).json();

describe('administering organisations', () => {
  it('creates, edits and — once its people are gone — deactivates an organisation', async () => {
    const { neighbourhoods } = await list();
    const created = await admin.post('/api/admin/organisations', {
      name: 'Verloskundigenpraktijk Het Strand',
      type: 'verloskundigenpraktijk',
      identifier: 'AGB 99000077',
      contactPhone: '0599-123 456',
      contactEmail: 'praktijk@hetstrand.example',
      address: 'Strandweg 1, Duinstad',
      neighbourhoodIds: [neighbourhoods[0].id],
    });
    expect(created.statusCode).toBe(201);
    const { organisationId } = created.json();
    const row = (await list()).organisations.find((o: { id: string }) => o.id === organisationId);
    expect(row).toMatchObject({
      identifier: 'AGB 99000077',
      contactEmail: 'praktijk@hetstrand.example',
      neighbourhoodIds: [neighbourhoods[0].id],
      active: true,
      activePeople: 0,
      version: 1,
    });
    const professional = await seedAccount(t.db, { kind: 'professional', organisationId });
    const body = { ...row, neighbourhoodIds: [], active: false };
    for (const key of ['id', 'activePeople', 'identityProvider']) delete body[key];
    const refused = await admin.put(`/api/admin/organisations/${organisationId}`, body);
    expect(refused.json()).toMatchObject({ code: 'INVALID_TRANSITION', activePeople: 1 });
    await admin.post(`/api/accounts/${professional.id}/offboard`, {});
    const deactivated = await admin.put(`/api/admin/organisations/${organisationId}`, body);
    expect(deactivated.json()).toEqual({ organisationId, version: 2 });
    const stale = await admin.put(`/api/admin/organisations/${organisationId}`, body);
    expect(stale.json().code).toBe('STALE_VERSION');
    // Gone from the lists professionals choose from.
    const visible = (await admin.get('/api/organisations')).json().organisations.map((o: { id: string }) => o.id);
    expect(visible).not.toContain(organisationId);
  });

  it('refuses an unknown neighbourhood, and writes nothing', async () => {
    const before = await tableCounts(t.db);
    const response = await admin.post('/api/admin/organisations', {
      name: 'Wijkteam Zuid',
      type: 'wijkteam',
      neighbourhoodIds: ['00000000-0000-4000-8000-000000000001'],
    });
    expect(response.json().fields).toEqual([
      { field: 'body.neighbourhoodIds', message: 'not a neighbourhood of the region' },
    ]);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

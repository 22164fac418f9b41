import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, professionalAt, registration, seedRegion, type TestApp } from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { applyRetention } from './retention.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
});
afterEach(() => t.close());

const YEAR = 365.25 * 86_400_000;
const inYears = (years: number) => new Date(Date.now() + years * YEAR);

/** A family with a contact and signals of two categories, closed (its 1001 days over) today. */
async function closedFamily() {
  const { client } = await professionalAt(t, 'verloskundigenpraktijk');
  const familyId = (await client.post('/api/families', registration())).json().familyId as string;
  await client.post(`/api/families/${familyId}/contacts`, { kind: 'prenatal_check', occurredOn: '2026-11-01' });
  await client.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'told_by_parent' });
  const [mother] = (await client.get(`/api/families/${familyId}`)).json().persons as { id: string }[];
  await client.post(`/api/families/${familyId}/signals`, {
    code: 'parent_chronic_stress',
    concernsPersonId: mother?.id,
    source: 'observed',
  });
  // The mother has her own Kring.
  const code = (await client.post(`/api/families/${familyId}/parent-invitations`, { personId: mother?.id })).json()
    .code;
  await t.anonymous().post('/api/auth/parent-invitation', {
    code,
    email: `moeder-${familyId.slice(0, 8)}@thuis.example`,
    password: 'ons eigen wachtwoord',
  });
  await client.get(`/api/families/${familyId}`);
  await t.db
    .updateTable('families')
    .set({ status: 'closed', closed_at: new Date() })
    .where('id', '=', familyId)
    .execute();
  return familyId;
}

async function rowsOf(familyId: string) {
  const count = async (table: 'persons' | 'signals' | 'contacts' | 'audit_events' | 'families') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(table === 'families' ? 'id' : 'family_id', '=', familyId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    families: await count('families'),
    persons: await count('persons'),
    signals: await count('signals'),
    contacts: await count('contacts'),
    audit: await count('audit_events'),
  };
}

describe('retention of closed family records', () => {
  it('keeps a closed record for 20 years after its last entry, then deletes it whole and audits ids and counts', async () => {
    const familyId = await closedFamily();
    const open = (await professionalAt(t, 'verloskundigenpraktijk')).client;
    const registered = await open.post('/api/families', registration({ caregivers: [] }));
    expect(registered.statusCode).toBe(201);
    const openFamily = registered.json().familyId as string;
    const config = { retentionYears: { medical: 20, psychosocial: 20, social: 20 } };

    expect(await applyRetention(t.db, config, inYears(19.9))).toEqual({ familiesDeleted: 0, entriesDeleted: 0 });
    expect((await rowsOf(familyId)).families).toBe(1);

    expect(await applyRetention(t.db, config, inYears(20.1))).toEqual({ familiesDeleted: 1, entriesDeleted: 0 });
    expect(await rowsOf(familyId)).toEqual({ families: 0, persons: 0, signals: 0, contacts: 0, audit: 0 });
    // An open family is never touched, however old.
    expect(await applyRetention(t.db, config, inYears(80))).toEqual({ familiesDeleted: 0, entriesDeleted: 0 });
    expect((await rowsOf(openFamily)).families).toBe(1);

    const deleted = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'retention.family_deleted')
      .executeTakeFirstOrThrow();
    expect(deleted).toMatchObject({ record_id: familyId, family_id: null, actor_role: 'system' });
    expect(deleted.details).toMatchObject({
      families: 1,
      persons: 3,
      signals: 2,
      contacts: 1,
      parent_links: 1,
      parentAccountsDeactivated: 1,
    });
    // The mother's own account ended with the record.
    const signIn = await t.anonymous().post('/api/auth/login', {
      email: `moeder-${familyId.slice(0, 8)}@thuis.example`,
      password: 'ons eigen wachtwoord',
    });
    expect(signIn.statusCode).toBe(401);
    expect(JSON.stringify(deleted.details)).not.toMatch(/Jansen|finances|prenatal/);
    // The family's own audit chain went with the record; every remaining chain is whole.
    expect((await verifyAudit(t.db)).broken).toEqual([]);
  });

  it('deletes entries of a category with a shorter period first, and keeps the rest of the record', async () => {
    const familyId = await closedFamily();
    const categories = await t.db.selectFrom('signals').select('category').where('family_id', '=', familyId).execute();
    expect(categories.map((c) => c.category).sort()).toEqual(['psychosocial', 'social']);
    const config = { retentionYears: { medical: 20, psychosocial: 20, social: 5 } };
    // The social signal and its one version.
    expect(await applyRetention(t.db, config, inYears(6))).toEqual({ familiesDeleted: 0, entriesDeleted: 2 });
    const left = await t.db.selectFrom('signals').select('category').where('family_id', '=', familyId).execute();
    expect(left.map((c) => c.category)).toEqual(['psychosocial']);
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'retention.entries_deleted')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ family_id: familyId, details: { category: 'social', signals: 1 } });
    expect((await verifyAudit(t.db)).broken).toEqual([]);
  });
});

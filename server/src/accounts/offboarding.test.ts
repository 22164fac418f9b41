import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
  tableCounts,
} from '../../test/helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
});
afterEach(() => t.close());

describe('offboarding a professional', () => {
  it('deactivates at once and passes families, regie and open tasks to a colleague; nothing recorded is lost', async () => {
    const organisationId = await seedOrganisation(t.db, 'verloskundigenpraktijk');
    const leaving = await seedAccount(t.db, { kind: 'professional', organisationId });
    const colleague = await seedAccount(t.db, { kind: 'professional', organisationId });
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const midwife = await t.signIn(leaving.email);
    const familyId = (await midwife.post('/api/families', registration())).json().familyId;
    await midwife.post(`/api/families/${familyId}/contacts`, { kind: 'prenatal_check', occurredOn: '2026-11-01' });
    await t.db
      .insertInto('tasks')
      .values({ id: crypto.randomUUID(), family_id: familyId, assignee_account_id: leaving.id, kind: 'contact_due' })
      .execute();

    const before = await tableCounts(t.db);
    const withoutSuccessor = await admin.post(`/api/accounts/${leaving.id}/offboard`, {});
    expect(withoutSuccessor.json().fields).toEqual([
      { field: 'body.successorAccountId', message: 'required: regiehouder of 1 family' },
    ]);
    expect(await tableCounts(t.db)).toEqual(before);

    const done = await admin.post(`/api/accounts/${leaving.id}/offboard`, { successorAccountId: colleague.id });
    expect(done.json()).toEqual({ accountId: leaving.id, families: 1, tasks: 1 });
    // At once: the session is gone and signing in fails.
    expect((await midwife.get('/api/me')).statusCode).toBe(401);
    expect(
      (await t.anonymous().post('/api/auth/login', { email: leaving.email, password: 'correct horse battery' }))
        .statusCode,
    ).toBe(401);
    // The colleague now holds the family as regiehouder, with a task to look at it afresh.
    const successor = await t.signIn(colleague.email);
    const caseload = (await successor.get('/api/caseload')).json().families;
    expect(caseload).toEqual([expect.objectContaining({ familyId, isRegiehouder: true })]);
    const tasks = (await successor.get('/api/tasks')).json().tasks.map((task: { kind: string }) => task.kind);
    expect(tasks.sort()).toEqual(['contact_due', 'regie_handover']);
    // What the departed midwife recorded stays, with her name.
    const record = (await successor.get(`/api/families/${familyId}`)).json();
    expect(record.contacts).toHaveLength(1);
    expect((await admin.post(`/api/accounts/${leaving.id}/offboard`, {})).json().code).toBe('INVALID_TRANSITION');
  });

  it('refuses a successor from another organisation, and the last administrator', async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    const other = await seedOrganisation(t.db, 'wijkteam');
    const leaving = await seedAccount(t.db, { kind: 'professional', organisationId });
    const outsider = await seedAccount(t.db, { kind: 'professional', organisationId: other });
    const adminAccount = await seedAccount(t.db, { kind: 'admin' });
    const admin = await t.signIn(adminAccount.email);
    const wrong = await admin.post(`/api/accounts/${leaving.id}/offboard`, { successorAccountId: outsider.id });
    expect(wrong.json().fields[0].field).toBe('body.successorAccountId');
    const last = await admin.post(`/api/accounts/${adminAccount.id}/offboard`, {});
    expect(last.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

describe("changing a professional's role", () => {
  it('changes the discipline from the next request on, audited with both roles', async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    const nurse = await seedAccount(t.db, { kind: 'professional', organisationId });
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const professional = await t.signIn(nurse.email);
    expect((await professional.get('/api/me')).json().actor.discipline).toBe('verloskundige');
    const changed = await admin.put(`/api/accounts/${nurse.id}/role`, { discipline: 'jeugdarts' });
    expect(changed.json()).toEqual({ accountId: nurse.id, discipline: 'jeugdarts' });
    expect((await professional.get('/api/me')).json().actor.discipline).toBe('jeugdarts');
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'account.role_changed')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ record_id: nurse.id, details: { from: 'verloskundige', to: 'jeugdarts' } });
  });

  it('refuses an unknown role, a non-professional and anyone but an administrator, writing nothing', async () => {
    const nurse = await seedAccount(t.db, { kind: 'professional' });
    const analyst = await seedAccount(t.db, { kind: 'analyst' });
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const before = await t.db.selectFrom('accounts').selectAll().orderBy('id').execute();
    const unknown = await admin.put(`/api/accounts/${nurse.id}/role`, { discipline: 'tovenaar' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().fields[0].field).toBe('body.discipline');
    const notProfessional = await admin.put(`/api/accounts/${analyst.id}/role`, { discipline: 'jeugdarts' });
    expect(notProfessional.json().fields).toEqual([
      { field: 'body.discipline', message: 'only a professional has a discipline' },
    ]);
    const self = await t.signIn(nurse.email);
    expect((await self.put(`/api/accounts/${nurse.id}/role`, { discipline: 'jeugdarts' })).statusCode).toBe(403);
    expect(await t.db.selectFrom('accounts').selectAll().orderBy('id').execute()).toEqual(before);
  });
});

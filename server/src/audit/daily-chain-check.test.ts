import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../test/helpers.ts';
import { claimDailyJob } from '../database/job-runs.ts';
import { checkAuditChains } from './daily-chain-check.ts';
import { writeAudit } from './write-audit.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const source = { accountId: null, organisationId: null, role: 'test', clientAddress: null, correlationId: null };

async function breakAChain() {
  const familyId = randomUUID();
  for (let i = 0; i < 3; i++) {
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: `test.${i}`, familyId }));
  }
  await t.db
    .updateTable('audit_events')
    .set({ action: 'forged' })
    .where('chain_key', '=', `family:${familyId}`)
    .where('seq', '=', 2)
    .execute();
  return familyId;
}

describe('the daily audit-chain check', () => {
  it('runs once a day, also with several processes: the claim is atomic', async () => {
    const day = new Date('2026-11-27T03:00:00Z');
    const claims = await Promise.all([1, 2, 3].map(() => claimDailyJob(t.db, 'audit_chain_check', day)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimDailyJob(t.db, 'audit_chain_check', new Date('2026-11-27T20:00:00Z'))).toBe(false);
    expect(await claimDailyJob(t.db, 'audit_chain_check', new Date('2026-11-28T03:00:00Z'))).toBe(true);
    // Another job has its own day.
    expect(await claimDailyJob(t.db, 'retention', new Date('2026-11-28T04:00:00Z'))).toBe(true);
  });

  it('audits an intact trail and raises no alert', async () => {
    await seedAccount(t.db, { kind: 'admin' });
    const result = await checkAuditChains(t.db);
    expect(result.broken).toEqual([]);
    const check = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'audit.chain_check')
      .executeTakeFirstOrThrow();
    expect(check).toMatchObject({ outcome: 'success', actor_role: 'system' });
    expect(await t.db.selectFrom('tasks').selectAll().execute()).toEqual([]);
  });

  it('raises one alert per administrator on a break, not a new one every day, until one takes it up', async () => {
    const first = await seedAccount(t.db, { kind: 'admin' });
    const second = await seedAccount(t.db, { kind: 'admin' });
    await seedAccount(t.db, { kind: 'admin', active: false });
    const familyId = await breakAChain();
    await checkAuditChains(t.db);
    await checkAuditChains(t.db);
    const tasks = await t.db.selectFrom('tasks').selectAll().where('kind', '=', 'audit_chain_broken').execute();
    expect(tasks.map((task) => task.assignee_account_id).sort()).toEqual([first.id, second.id].sort());
    const check = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'audit.chain_check').execute();
    expect(check.map((c) => c.outcome)).toEqual(['failed', 'failed']);

    const admin = await t.signIn(first.email);
    const alerts = (await admin.get('/api/admin/alerts')).json().alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ brokenChains: 1 });
    expect(alerts[0].firstBreaks).toContain(`family:${familyId}: event 2 was changed`);
    // The administrator is told in the notification badge as well.
    expect((await admin.get('/api/notifications')).json().unread).toBe(1);

    const other = await t.signIn(second.email);
    const foreign = await other.post(`/api/admin/alerts/${alerts[0].id}/acknowledge`);
    expect(foreign.statusCode).toBe(404);
    const taken = await admin.post(`/api/admin/alerts/${alerts[0].id}/acknowledge`);
    expect(taken.json()).toEqual({ closed: 2 });
    expect((await other.get('/api/admin/alerts')).json().alerts).toEqual([]);
    // The break is still there for the next check, which alerts again.
    await checkAuditChains(t.db);
    expect((await other.get('/api/admin/alerts')).json().alerts).toHaveLength(1);
  });
});

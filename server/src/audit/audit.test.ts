import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { verifyAudit } from './verify-audit.ts';
import { writeAudit, writeAudits } from './write-audit.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const source = { accountId: null, organisationId: null, role: 'test', clientAddress: '127.0.0.1', correlationId: null };

async function writeFamilyEvents(familyId: string, count: number) {
  for (let i = 0; i < count; i++) {
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: `test.${i}`, familyId }));
  }
}

describe('the audit trail', () => {
  it('records each read of personal data exactly once, with who, for which organisation and what', async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    const member = await seedAccount(t.db, { kind: 'professional', organisationId });
    const admin = await seedAccount(t.db, { kind: 'admin' });
    const professional = await t.signIn(member.email);
    const administrator = await t.signIn(admin.email);
    await professional.get(`/api/organisations/${organisationId}/members`);
    await administrator.get(`/api/accounts/${member.id}`);
    await administrator.get('/api/audit-events?limit=5');
    await professional.get('/api/organisations'); // no personal data: not audited
    const events = (await auditEvents(t.db)).filter((e) => !e.action.startsWith('auth.'));
    expect(events.map((e) => [e.action, e.actor_account_id, e.record_id])).toEqual([
      ['organisation.members.read', member.id, organisationId],
      ['account.read', admin.id, member.id],
      ['audit.read', admin.id, null],
    ]);
    expect(events[0]).toMatchObject({ actor_organisation_id: organisationId, actor_role: 'verloskundige' });
  });

  it('chains events per family and, without a family, per day and actor', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 3);
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: 'auth.login' }));
    const events = await auditEvents(t.db);
    expect(events.filter((e) => e.chain_key === `family:${familyId}`).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.find((e) => e.action === 'auth.login')?.chain_key).toMatch(/^day:\d{4}-\d{2}-\d{2}:anonymous-\d$/);
    expect(await verifyAudit(t.db)).toMatchObject({ chains: 2, events: 4, broken: [] });
  });

  it('leaves no trace of an event whose transaction rolled back', async () => {
    const familyId = randomUUID();
    await expect(
      t.db.transaction().execute(async (tx) => {
        await writeAudit(tx, source, { action: 'test.rolled_back', familyId });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await writeFamilyEvents(familyId, 1);
    expect((await verifyAudit(t.db)).broken).toEqual([]);
    expect((await auditEvents(t.db)).map((e) => e.action)).toEqual(['test.0']);
  });

  it('stays one unbroken chain under concurrent writes to the same family', async () => {
    const familyId = randomUUID();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction().execute((tx) => writeAudit(tx, source, { action: `test.parallel.${i}`, familyId })),
      ),
    );
    const result = await verifyAudit(t.db);
    expect(result).toMatchObject({ events: 20, broken: [] });
  });

  it('appends events for several families in one statement, each on its own chain, as one at a time would', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await writeFamilyEvents(a, 2);
    await t.db.transaction().execute((tx) =>
      writeAudits(tx, source, [
        { action: 'test.batch', familyId: b, recordType: 'family', recordId: b, details: { results: 2, kind: 'x' } },
        { action: 'test.batch', familyId: a, details: { results: 1 } },
        { action: 'test.batch.again', familyId: b },
        { action: 'test.batch', familyId: c, outcome: 'refused' },
      ]),
    );
    expect(await verifyAudit(t.db)).toMatchObject({ chains: 3, events: 6, broken: [] });
    const events = await t.db
      .selectFrom('audit_events')
      .select(['family_id', 'seq', 'action', 'outcome', 'details', 'record_id'])
      .where('action', 'like', 'test.batch%')
      .orderBy('family_id')
      .orderBy('seq')
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        { family_id: a, seq: 3, action: 'test.batch', outcome: 'success', details: { results: 1 }, record_id: null },
        {
          family_id: b,
          seq: 1,
          action: 'test.batch',
          outcome: 'success',
          details: { results: 2, kind: 'x' },
          record_id: b,
        },
        { family_id: b, seq: 2, action: 'test.batch.again', outcome: 'success', details: {}, record_id: null },
        { family_id: c, seq: 1, action: 'test.batch', outcome: 'refused', details: {}, record_id: null },
      ]),
    );
    expect(events).toHaveLength(4);
  });

  it('detects an edited event', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 4);
    await t.db
      .updateTable('audit_events')
      .set({ action: 'something.else' })
      .where('chain_key', '=', `family:${familyId}`)
      .where('seq', '=', 2)
      .execute();
    expect((await verifyAudit(t.db)).broken).toEqual([{ chainKey: `family:${familyId}`, seq: 2, problem: 'edited' }]);
  });

  it('detects an edited event even when its hash was recomputed, at the next link', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 3);
    // A forger who rewrites one row's hash still breaks the next row's prev_hash.
    await t.db
      .updateTable('audit_events')
      .set({ hash: 'f'.repeat(64) })
      .where('chain_key', '=', `family:${familyId}`)
      .where('seq', '=', 2)
      .execute();
    const broken = (await verifyAudit(t.db)).broken;
    expect(broken).toHaveLength(1);
    expect(broken[0]?.seq).toBe(2);
  });

  it('detects a deleted event in the middle', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 5);
    await t.db.deleteFrom('audit_events').where('chain_key', '=', `family:${familyId}`).where('seq', '=', 3).execute();
    expect((await verifyAudit(t.db)).broken).toEqual([{ chainKey: `family:${familyId}`, seq: 3, problem: 'missing' }]);
  });

  it('names every break in a chain, not only the first', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 6);
    await t.db
      .updateTable('audit_events')
      .set({ action: 'something.else' })
      .where('chain_key', '=', `family:${familyId}`)
      .where('seq', '=', 2)
      .execute();
    await t.db.deleteFrom('audit_events').where('chain_key', '=', `family:${familyId}`).where('seq', '=', 4).execute();
    expect((await verifyAudit(t.db)).broken).toEqual([
      { chainKey: `family:${familyId}`, seq: 2, problem: 'edited' },
      { chainKey: `family:${familyId}`, seq: 4, problem: 'missing' },
    ]);
  });

  it('finds every chain intact while events are written during the check (no false alarm)', async () => {
    const families = Array.from({ length: 5 }, () => randomUUID());
    for (const familyId of families) await writeFamilyEvents(familyId, 3);
    // Writes to the same chains and new ones, interleaved with the check's reads.
    const writes = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.db
          .transaction()
          .execute((tx) =>
            writeAudit(tx, source, { action: `test.during.${i}`, familyId: families[i % 6] ?? randomUUID() }),
          ),
      ),
    );
    const checks = await Promise.all([verifyAudit(t.db), verifyAudit(t.db), verifyAudit(t.db)]);
    await writes;
    for (const check of checks) expect(check.broken).toEqual([]);
    expect((await verifyAudit(t.db)).broken).toEqual([]);
  });

  it('detects a deleted newest event, through the chain head', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 3);
    await t.db.deleteFrom('audit_events').where('chain_key', '=', `family:${familyId}`).where('seq', '=', 3).execute();
    expect((await verifyAudit(t.db)).broken).toEqual([
      { chainKey: `family:${familyId}`, seq: 3, problem: 'head_mismatch' },
    ]);
  });

  it("keeps one person's day of work in one clean chain", async () => {
    const admin = await seedAccount(t.db, { kind: 'admin' });
    const client = await t.signIn(admin.email);
    await client.get('/api/audit-events');
    await client.post('/api/auth/logout');
    const result = await verifyAudit(t.db);
    expect(result.broken).toEqual([]);
    expect(result.events).toBe(3);
    const heads = await sql<{ chain_key: string }>`SELECT chain_key FROM audit_chain_heads`.execute(t.db);
    expect(heads.rows.map((row) => row.chain_key)).toEqual([expect.stringMatching(new RegExp(`^day:.*:${admin.id}$`))]);
  });
});

describe('exporting the audit trail', () => {
  it('gives the privacy officer a CSV filtered by family and period, and records the export', async () => {
    const familyId = randomUUID();
    const other = randomUUID();
    const source = {
      accountId: null,
      organisationId: null,
      role: 'test',
      clientAddress: '127.0.0.1',
      correlationId: null,
    };
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: 'family.read', familyId }));
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: 'family.read', familyId: other }));
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const today = new Date().toISOString().slice(0, 10);
    const response = await admin.get(`/api/audit-events/export?familyId=${familyId}&from=${today}&to=${today}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toBe(
      'occurred_at,action,outcome,actor_account_id,actor_organisation_id,actor_role,family_id,record_type,record_id,details,chain_key,seq',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(familyId);
    expect(lines[1]).not.toContain(other);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const none = await admin.get(`/api/audit-events/export?familyId=${familyId}&to=${yesterday}`);
    expect(none.body.trim().split('\n')).toHaveLength(1);
    expect((await auditEvents(t.db)).map((e) => e.action)).toContain('audit.export');
  });
});

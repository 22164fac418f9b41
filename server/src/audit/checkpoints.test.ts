import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../test/helpers.ts';
import type { DB } from '../database/schema.ts';
import { anchorOf, readCheckpoints, writeCheckpoint } from './checkpoints.ts';
import { verifyAudit } from './verify-audit.ts';
import { hashEvent, writeAudit } from './write-audit.ts';

/**
 * Signed checkpoints outside the database find what the hash chains alone cannot: a chain deleted
 * whole, and a history rewritten with every later hash and the head recomputed (issue 22).
 */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const source = { accountId: null, organisationId: null, role: 'test', clientAddress: '127.0.0.1', correlationId: null };
const anchor = () => anchorOf(t.config);

async function writeFamilyEvents(familyId: string, count: number) {
  for (let i = 0; i < count; i++) {
    await t.db.transaction().execute((tx) => writeAudit(tx, source, { action: `test.${i}`, familyId }));
  }
}

/** What a forger with the database (but not the key) does: rewrite an event and recompute the rest. */
async function rewriteChain(db: Kysely<DB>, chainKey: string, seq: number) {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain_key', '=', chainKey)
    .orderBy('seq')
    .execute();
  let prev = rows[seq - 2]?.hash ?? '0'.repeat(64);
  for (const row of rows.filter((r) => r.seq >= seq)) {
    const changed = { ...row, prev_hash: prev, action: row.seq === seq ? 'harmless.thing' : row.action };
    const hash = hashEvent(prev, changed);
    await db
      .updateTable('audit_events')
      .set({ action: changed.action, prev_hash: prev, hash })
      .where('id', '=', row.id)
      .execute();
    prev = hash;
  }
  await db.updateTable('audit_chain_heads').set({ hash: prev }).where('chain_key', '=', chainKey).execute();
}

describe('anchored audit checkpoints', () => {
  it('signs a Merkle root over every chain head into an append-only file, and finds the trail intact', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 3);
    const checkpoint = await writeCheckpoint(t.db, anchor());
    expect(checkpoint).toMatchObject({ chains: 1, root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await writeFamilyEvents(familyId, 2); // later events are not a break
    const { checkpoints, badLines } = readCheckpoints(anchor());
    expect(badLines).toEqual([]);
    expect(checkpoints.map((c) => c.id)).toEqual([checkpoint.id]);
    expect(
      fs.statSync(path.join(t.config.auditCheckpointDir, fs.readdirSync(t.config.auditCheckpointDir)[0] as string))
        .mode & 0o077,
    ).toBe(0);
    expect((await verifyAudit(t.db, anchor())).broken).toEqual([]);
    // The checkpoint itself is audited.
    const audited = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'audit.checkpoint')
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('finds a chain deleted whole, events and head, which the chains alone cannot', async () => {
    const kept = randomUUID();
    const deleted = randomUUID();
    await writeFamilyEvents(kept, 2);
    await writeFamilyEvents(deleted, 3);
    await writeCheckpoint(t.db, anchor());
    await t.db.deleteFrom('audit_events').where('chain_key', '=', `family:${deleted}`).execute();
    await t.db.deleteFrom('audit_chain_heads').where('chain_key', '=', `family:${deleted}`).execute();
    expect((await verifyAudit(t.db)).broken).toEqual([]);
    expect((await verifyAudit(t.db, anchor())).broken).toEqual([
      { chainKey: `family:${deleted}`, seq: 3, problem: 'chain_deleted' },
    ]);
  });

  it('finds a history rewritten with every later hash and the head recomputed', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 4);
    await writeCheckpoint(t.db, anchor());
    await rewriteChain(t.db, `family:${familyId}`, 2);
    expect((await verifyAudit(t.db)).broken).toEqual([]);
    expect((await verifyAudit(t.db, anchor())).broken).toEqual([
      { chainKey: `family:${familyId}`, seq: 4, problem: 'differs_from_checkpoint' },
    ]);
  });

  it('finds the kept heads altered to match, a forged checkpoint line, and a replaced lineage', async () => {
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 3);
    const checkpoint = await writeCheckpoint(t.db, anchor());
    await rewriteChain(t.db, `family:${familyId}`, 1);
    const head = await t.db.selectFrom('audit_chain_heads').select('hash').executeTakeFirstOrThrow();
    await t.db.updateTable('audit_checkpoint_heads').set({ hash: head.hash }).execute();
    expect((await verifyAudit(t.db, anchor())).broken).toEqual([
      { chainKey: `checkpoint ${checkpoint.id}`, seq: 0, problem: 'checkpoint_heads_altered' },
    ]);

    // A line appended by someone without the key does not verify.
    const file = path.join(t.config.auditCheckpointDir, fs.readdirSync(t.config.auditCheckpointDir)[0] as string);
    fs.appendFileSync(file, `${JSON.stringify({ ...checkpoint, id: randomUUID(), root: '0'.repeat(64) })}\n`);
    expect(readCheckpoints(anchor()).badLines).toEqual([`${path.basename(file)}:2`]);

    // The database's lineage replaced (so that no checkpoint seems to apply): named.
    await t.db.updateTable('app_meta').set({ value: randomUUID() }).where('key', '=', 'audit_lineage').execute();
    expect((await verifyAudit(t.db, anchor())).broken.map((b) => b.problem)).toEqual([
      'checkpoint_signature',
      'checkpoint_lineage_unknown',
    ]);
  });

  it("accepts a family chain that retention deleted, as the trail records, and checks the day's chains", async () => {
    const admin = await seedAccount(t.db, { kind: 'admin' });
    await (await t.signIn(admin.email)).get('/api/audit-events?limit=1');
    const familyId = randomUUID();
    await writeFamilyEvents(familyId, 2);
    await writeCheckpoint(t.db, anchor());
    await t.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('audit_events').where('chain_key', '=', `family:${familyId}`).execute();
      await tx.deleteFrom('audit_chain_heads').where('chain_key', '=', `family:${familyId}`).execute();
      await writeAudit(tx, source, { action: 'retention.family_deleted', recordType: 'family', recordId: familyId });
    });
    expect((await verifyAudit(t.db, anchor())).broken).toEqual([]);
    // The administrator's verify (the API) checks against the checkpoints too.
    await t.db.deleteFrom('audit_events').where('action', '=', 'audit.read').execute();
    const verified = (await (await t.signIn(admin.email)).post('/api/audit-events/verify')).json();
    expect(verified.ok).toBe(false);
    expect(verified.broken.join('\n')).toContain('differs from the newest signed checkpoint');
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../database/schema.ts';

/** What happened: one line of the NEN 7513 access log. Details hold ids and codes, never personal data. */
export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'refused' | 'failed';
  familyId?: string | null;
  recordType?: string;
  recordId?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Who did it, for whom, from where. */
export interface AuditSource {
  accountId: string | null;
  organisationId: string | null;
  role: string | null;
  clientAddress: string | null;
  correlationId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Events about a family chain per family. Events without one (sign-ins, administration) chain per
 * UTC day and per actor — one chain for the whole day would make every such request in the region
 * wait for the previous one's commit. Events without an actor spread over a few anonymous chains.
 */
export function chainKeyFor(familyId: string | null | undefined, at: Date, accountId: string | null): string {
  if (familyId) return `family:${familyId}`;
  const day = at.toISOString().slice(0, 10);
  return accountId ? `day:${day}:${accountId}` : `day:${day}:anonymous-${Math.floor(Math.random() * ANONYMOUS_CHAINS)}`;
}

const ANONYMOUS_CHAINS = 8;

/** The fields that the hash covers, in a fixed order. */
export interface HashedEvent {
  id: string;
  chain_key: string;
  seq: number;
  occurred_at: Date;
  actor_account_id: string | null;
  actor_organisation_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: string;
  family_id: string | null;
  record_type: string | null;
  record_id: string | null;
  client_address: string | null;
  correlation_id: string | null;
  details: Record<string, unknown>;
}

/** sha256 over the previous hash and the event's canonical form. */
export function hashEvent(prevHash: string, event: HashedEvent): string {
  const canonical = JSON.stringify([
    event.id,
    event.chain_key,
    event.seq,
    event.occurred_at.toISOString(),
    event.actor_account_id,
    event.actor_organisation_id,
    event.actor_role,
    event.action,
    event.outcome,
    event.family_id,
    event.record_type,
    event.record_id,
    event.client_address,
    event.correlation_id,
    Object.keys(event.details)
      .sort()
      .map((key) => [key, event.details[key]]),
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Append an event to its chain, inside the caller's transaction: lock the chain's head, link the
 * event to it, move the head. Only this chain waits; a rolled-back transaction leaves no trace.
 */
export async function writeAudit(
  tx: Kysely<DB>,
  source: AuditSource,
  entry: AuditEntry,
  at: Date = new Date(),
): Promise<void> {
  const chainKey = chainKeyFor(entry.familyId, at, source.accountId);
  let head = await lockHead(tx, chainKey);
  if (!head) {
    await tx
      .insertInto('audit_chain_heads')
      .values({ chain_key: chainKey, seq: 0, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column('chain_key').doNothing())
      .execute();
    head = await lockHead(tx, chainKey);
    if (!head) throw new Error('audit chain head vanished');
  }
  const event: HashedEvent = {
    id: randomUUID(),
    chain_key: chainKey,
    seq: head.seq + 1,
    occurred_at: at,
    actor_account_id: source.accountId,
    actor_organisation_id: source.organisationId,
    actor_role: source.role,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    family_id: entry.familyId ?? null,
    record_type: entry.recordType ?? null,
    record_id: entry.recordId ?? null,
    client_address: source.clientAddress,
    correlation_id: source.correlationId,
    details: entry.details ?? {},
  };
  const hash = hashEvent(head.hash, event);
  // One round trip for the event and the head's move.
  await sql`
    WITH inserted AS (
      INSERT INTO audit_events (id, chain_key, seq, occurred_at, actor_account_id, actor_organisation_id,
        actor_role, action, outcome, family_id, record_type, record_id, client_address, correlation_id,
        details, prev_hash, hash)
      VALUES (${event.id}, ${chainKey}, ${event.seq}, ${at}, ${event.actor_account_id},
        ${event.actor_organisation_id}, ${event.actor_role}, ${event.action}, ${event.outcome},
        ${event.family_id}, ${event.record_type}, ${event.record_id}, ${event.client_address},
        ${event.correlation_id}, ${JSON.stringify(event.details)}::jsonb, ${head.hash}, ${hash})
      RETURNING seq
    )
    UPDATE audit_chain_heads SET seq = (SELECT seq FROM inserted), hash = ${hash}
    WHERE chain_key = ${chainKey}`.execute(tx);
}

async function lockHead(tx: Kysely<DB>, chainKey: string) {
  return tx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('chain_key', '=', chainKey)
    .forUpdate()
    .executeTakeFirst();
}

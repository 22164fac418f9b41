import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
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

/**
 * The event's canonical form around its sequence number, which only the database knows when it
 * moves the chain's head, and its details, which a read may count in the database:
 * canonical = before + seq + middle + details + ']'.
 */
function canonicalParts(event: Omit<HashedEvent, 'seq' | 'details'>): { before: string; middle: string } {
  const head = JSON.stringify([event.id, event.chain_key]);
  const tail = JSON.stringify([
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
  ]);
  return { before: `${head.slice(0, -1)},`, middle: `,${tail.slice(1, -1)},` };
}

function canonicalDetails(details: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(details)
      .sort()
      .map((key) => [key, details[key]]),
  );
}

/** sha256 over the previous hash and the event's canonical form (the verifier's side). */
export function hashEvent(prevHash: string, event: HashedEvent): string {
  const { before, middle } = canonicalParts(event);
  const canonical = `${before}${event.seq}${middle}${canonicalDetails(event.details)}]`;
  return createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex');
}

/** The event's fields but its sequence number and details, with a new id. */
function newEvent(source: AuditSource, entry: AuditEntry, at: Date): Omit<HashedEvent, 'seq' | 'details'> {
  return {
    id: randomUUID(),
    chain_key: chainKeyFor(entry.familyId, at, source.accountId),
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
  };
}

/** How an audited read ties its event to the rows it read (the read is the CTE `audited_read`). */
export interface ReadAudit {
  /** Write the event only when the read found a row (a record outside reach is refused instead). */
  onlyIfFound?: boolean;
  /** Record the number of rows read under this key, as the event's only detail. */
  countAs?: string;
  /**
   * The event is about the family in this column of the (one) row read, which only the read
   * knows (a person read by id): its chain and family are taken from the row, in the statement.
   */
  familyColumn?: string;
}

/** Stands for the family id in the canonical text until the database puts the read's one in. */
const FAMILY_SLOT = '<family-of-the-read>';

/**
 * The WITH-clause parts that append one event to its chain in a single statement: an upsert that
 * locks and moves the chain's head, computing the new hash in the database from the previous one,
 * and the event's insert linked to it. Used on its own by writeAudit, and beside a read by
 * RequestContext.auditedRead.
 */
export function auditCtes(
  source: AuditSource,
  entry: AuditEntry,
  at: Date = new Date(),
  read: ReadAudit = {},
): RawBuilder<unknown> {
  const familyOfRead = read.familyColumn
    ? sql<string>`(SELECT ${sql.ref(read.familyColumn)}::text FROM audited_read LIMIT 1)`
    : null;
  const event = newEvent(source, familyOfRead ? { ...entry, familyId: FAMILY_SLOT } : entry, at);
  // Text with the read's family put in where the slot stands (the ids are uuids: JSON as is).
  const filled = (text: string) =>
    familyOfRead
      ? sql.join(
          text.split(FAMILY_SLOT).map((piece) => sql`${piece}::text`),
          sql` || ${familyOfRead} || `,
        )
      : sql`${text}::text`;
  const chainKey = filled(event.chain_key);
  const familyValue = familyOfRead ? sql`${familyOfRead}::uuid` : sql`${event.family_id}::uuid`;
  const parts = canonicalParts(event);
  const before = filled(`\n${parts.before}`);
  const middle = filled(parts.middle);
  const count = sql`(SELECT count(*) FROM audited_read)`;
  const details = read.countAs
    ? {
        json: sql`jsonb_build_object(${read.countAs}::text, ${count})`,
        text: sql`${`[[${JSON.stringify(read.countAs)},`}::text || ${count}::text || ']]'`,
      }
    : {
        json: sql`${JSON.stringify(entry.details ?? {})}::jsonb`,
        text: sql`${canonicalDetails(entry.details ?? {})}::text`,
      };
  const hashAfter = (prev: RawBuilder<unknown>, seq: RawBuilder<unknown>) =>
    sql`encode(sha256(convert_to(${prev} || ${before} || (${seq})::text || ${middle} || ${details.text} || ']', 'UTF8')), 'hex')`;
  // Without a row there is no family to take the chain from: such an event waits for a row too.
  const condition = read.onlyIfFound || read.familyColumn ? sql`EXISTS (SELECT 1 FROM audited_read)` : sql`true`;
  return sql`audit_head AS (
      INSERT INTO audit_chain_heads AS h (chain_key, seq, hash, prev_hash)
      SELECT ${chainKey}, 1, ${hashAfter(sql`${GENESIS_HASH}::text`, sql`1`)}, ${GENESIS_HASH} WHERE ${condition}
      ON CONFLICT (chain_key) DO UPDATE
        SET seq = h.seq + 1, hash = ${hashAfter(sql`h.hash`, sql`h.seq + 1`)}, prev_hash = h.hash
      RETURNING seq, hash, prev_hash
    ),
    audit_event AS (
      INSERT INTO audit_events (id, chain_key, seq, occurred_at, actor_account_id, actor_organisation_id,
        actor_role, action, outcome, family_id, record_type, record_id, client_address, correlation_id,
        details, prev_hash, hash)
      SELECT ${event.id}, ${chainKey}, audit_head.seq, ${at}, ${event.actor_account_id},
        ${event.actor_organisation_id}, ${event.actor_role}, ${event.action}, ${event.outcome},
        ${familyValue}, ${event.record_type}, ${event.record_id}, ${event.client_address},
        ${event.correlation_id}, ${details.json}, audit_head.prev_hash, audit_head.hash
      FROM audit_head
    )`;
}

/**
 * A read and its event in one statement (so in one transaction): the rows and the event commit
 * together or not at all. The read is named `audited_read` for auditCtes.
 */
export async function auditedSelect<Row>(
  db: Kysely<DB>,
  source: AuditSource,
  // biome-ignore lint/suspicious/noExplicitAny: any query over the schema
  query: SelectQueryBuilder<DB, any, Row>,
  entry: AuditEntry,
  read: ReadAudit,
): Promise<Row[]> {
  const result = await sql<Row>`WITH audited_read AS (${query}), ${auditCtes(source, entry, new Date(), read)}
    SELECT * FROM audited_read`.execute(db);
  return result.rows;
}

/**
 * Append several events, each to its own chain, in one statement (a search or an export audits
 * every family it showed on that family's trail). The same hash as auditCtes computes, from
 * arrays; heads are locked in chain-key order, so two such statements cannot deadlock. Two events
 * on one chain go in separate statements (one statement moves a head once).
 */
export async function writeAudits(
  tx: Kysely<DB>,
  source: AuditSource,
  entries: AuditEntry[],
  at: Date = new Date(),
): Promise<void> {
  const first = new Map<string, AuditEntry>();
  const later: AuditEntry[] = [];
  for (const entry of entries) {
    const key = chainKeyFor(entry.familyId, at, source.accountId);
    if (first.has(key)) later.push(entry);
    else first.set(key, entry);
  }
  const events = [...first]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => {
      const event = newEvent(source, entry, at);
      const details = entry.details ?? {};
      return { event, ...canonicalParts(event), detailsText: canonicalDetails(details), details };
    });
  if (events.length === 1) {
    await writeAudit(tx, source, first.values().next().value as AuditEntry, at);
  } else if (events.length > 1) {
    const column = <T>(pick: (e: (typeof events)[number]) => T) => events.map(pick);
    const hashAfter = (prev: RawBuilder<unknown>, seq: RawBuilder<unknown>) =>
      sql`encode(sha256(convert_to(${prev} || chr(10) || i.before || (${seq})::text || i.middle || i.details_text || ']', 'UTF8')), 'hex')`;
    await sql`WITH input AS (
        SELECT * FROM unnest(${column((e) => e.event.id)}::uuid[], ${column((e) => e.event.chain_key)}::text[],
          ${column((e) => e.before)}::text[], ${column((e) => e.middle)}::text[], ${column((e) => e.detailsText)}::text[],
          ${column((e) => JSON.stringify(e.details))}::jsonb[], ${column((e) => e.event.action)}::text[],
          ${column((e) => e.event.outcome)}::text[], ${column((e) => e.event.family_id)}::uuid[],
          ${column((e) => e.event.record_type)}::text[], ${column((e) => e.event.record_id)}::uuid[])
          AS i(id, chain_key, before, middle, details_text, details, action, outcome, family_id, record_type, record_id)
      ),
      audit_head AS (
        INSERT INTO audit_chain_heads AS h (chain_key, seq, hash, prev_hash)
        SELECT i.chain_key, 1, ${hashAfter(sql`${GENESIS_HASH}::text`, sql`1`)}, ${GENESIS_HASH}
        FROM input i ORDER BY i.chain_key
        ON CONFLICT (chain_key) DO UPDATE
          SET seq = h.seq + 1, prev_hash = h.hash,
            hash = (SELECT ${hashAfter(sql`h.hash`, sql`h.seq + 1`)} FROM input i WHERE i.chain_key = h.chain_key)
        RETURNING chain_key, seq, hash, prev_hash
      )
      INSERT INTO audit_events (id, chain_key, seq, occurred_at, actor_account_id, actor_organisation_id,
        actor_role, action, outcome, family_id, record_type, record_id, client_address, correlation_id,
        details, prev_hash, hash)
      SELECT i.id, i.chain_key, head.seq, ${at}, ${source.accountId}, ${source.organisationId}, ${source.role},
        i.action, i.outcome, i.family_id, i.record_type, i.record_id, ${source.clientAddress},
        ${source.correlationId}, i.details, head.prev_hash, head.hash
      FROM input i JOIN audit_head head ON head.chain_key = i.chain_key`.execute(tx);
  }
  if (later.length > 0) await writeAudits(tx, source, later, at);
}

/**
 * Append an event to its chain, inside the caller's transaction, in one statement: only this
 * chain waits for the head's lock; a rolled-back transaction leaves no trace.
 */
export async function writeAudit(
  tx: Kysely<DB>,
  source: AuditSource,
  entry: AuditEntry,
  at: Date = new Date(),
): Promise<void> {
  await sql`WITH ${auditCtes(source, entry, at)} SELECT 1`.execute(tx);
}

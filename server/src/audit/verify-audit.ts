import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { type BrokenLink, type CheckpointAnchor, checkAgainstCheckpoints } from './checkpoints.ts';
import { GENESIS_HASH, hashEvent } from './write-audit.ts';

export type { BrokenLink };

export interface VerifyResult {
  chains: number;
  events: number;
  broken: BrokenLink[];
}

const PAGE = 2000;

/**
 * Walk every chain from its first event up to its head as read at the start: sequence numbers
 * without gaps, each event's prev_hash equal to the previous hash, each hash recomputed; the last
 * event must equal the head, so a deleted newest event is found as well as an edited or deleted
 * one in the middle. Events written while it runs lie beyond the heads it read and are left for
 * the next run (an event and its head are committed together), so ordinary traffic raises no
 * false alarm. After a break the walk goes on, so every break is named.
 */
export async function verifyAudit(db: Kysely<DB>, anchor?: CheckpointAnchor): Promise<VerifyResult> {
  const heads = await db.selectFrom('audit_chain_heads').selectAll().orderBy('chain_key').execute();
  const result: VerifyResult = { chains: heads.length, events: 0, broken: [] };

  for (const head of heads) {
    const chainKey = head.chain_key;
    let expectedSeq = 1;
    // The hashes the next event may link to: the previous one as stored, and as it should be (an
    // edited event is named once, not again at the next link).
    let previous = new Set([GENESIS_HASH]);
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain_key', '=', chainKey)
        .where('seq', '>=', expectedSeq)
        .where('seq', '<=', head.seq)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        result.events += 1;
        if (row.seq !== expectedSeq || !previous.has(row.prev_hash)) {
          result.broken.push({ chainKey, seq: expectedSeq, problem: 'missing' });
        }
        const recomputed = hashEvent(row.prev_hash, row);
        if (recomputed !== row.hash) result.broken.push({ chainKey, seq: row.seq, problem: 'edited' });
        previous = new Set([row.hash, recomputed]);
        expectedSeq = row.seq + 1;
      }
      if (rows.length < PAGE) break;
    }
    if (head.seq !== expectedSeq - 1 || !previous.has(head.hash)) {
      result.broken.push({ chainKey, seq: head.seq, problem: 'head_mismatch' });
    }
  }

  // Events of a chain without a head: one statement, so a chain begun meanwhile (its first event
  // and its head committed together) is not one of them.
  const orphans = await db
    .selectFrom('audit_events as e')
    .select('e.chain_key')
    .distinct()
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('audit_chain_heads as h').select('h.chain_key').whereRef('h.chain_key', '=', 'e.chain_key'),
        ),
      ),
    )
    .execute();
  for (const { chain_key } of orphans) result.broken.push({ chainKey: chain_key, seq: 1, problem: 'no_head' });
  // What the chains alone cannot show (a chain deleted whole, a history recomputed): the newest
  // signed checkpoint outside the database.
  if (anchor) result.broken.push(...(await checkAgainstCheckpoints(db, anchor)));
  return result;
}

/** One line per broken chain, for the CLI and the admin page. */
export function describeBrokenLink(link: BrokenLink): string {
  const what = {
    edited: 'was changed after it was written',
    missing: 'is missing (deleted) or out of order',
    head_mismatch: 'is missing: the chain ends before its recorded head (newest event deleted?)',
    no_head: 'belongs to a chain without a recorded head',
    chain_deleted: 'was signed in the newest checkpoint, but the chain is gone (deleted whole)',
    differs_from_checkpoint: 'differs from the newest signed checkpoint (history rewritten or deleted)',
    checkpoint_heads_altered: 'the chain heads kept for this checkpoint do not give its signed root',
    checkpoint_signature: 'does not carry a valid signature of the audit signing key',
    checkpoint_lineage_unknown: 'the folder holds checkpoints, none of them of this database',
  }[link.problem];
  if (link.problem.startsWith('checkpoint_')) return `${link.chainKey}: ${what}`;
  return `chain ${link.chainKey}: event ${link.seq} ${what}`;
}

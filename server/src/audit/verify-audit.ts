import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { GENESIS_HASH, hashEvent } from './write-audit.ts';

/** The first broken link found in one chain. */
export interface BrokenLink {
  chainKey: string;
  /** Sequence number where the chain breaks (the head's for a missing newest event). */
  seq: number;
  problem: 'edited' | 'missing' | 'head_mismatch' | 'no_head';
}

export interface VerifyResult {
  chains: number;
  events: number;
  broken: BrokenLink[];
}

const PAGE = 2000;

/**
 * Walk every chain from its first event: sequence numbers without gaps, each event's prev_hash
 * equal to the previous hash, each hash recomputed; the last event must equal the chain's head,
 * so a deleted newest event is found as well as an edited or deleted one in the middle.
 */
export async function verifyAudit(db: Kysely<DB>): Promise<VerifyResult> {
  const heads = await db.selectFrom('audit_chain_heads').selectAll().orderBy('chain_key').execute();
  const result: VerifyResult = { chains: heads.length, events: 0, broken: [] };
  const headKeys = new Set(heads.map((head) => head.chain_key));

  for (const head of heads) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let broken: BrokenLink | undefined;
    while (!broken) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain_key', '=', head.chain_key)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        result.events += 1;
        if (row.seq !== expectedSeq || row.prev_hash !== prevHash) {
          broken = { chainKey: head.chain_key, seq: expectedSeq, problem: 'missing' };
          break;
        }
        if (hashEvent(prevHash, row) !== row.hash) {
          broken = { chainKey: head.chain_key, seq: row.seq, problem: 'edited' };
          break;
        }
        prevHash = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < PAGE) break;
    }
    if (!broken && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
      broken = { chainKey: head.chain_key, seq: head.seq, problem: 'head_mismatch' };
    }
    if (broken) result.broken.push(broken);
  }

  const orphanChains = await db.selectFrom('audit_events').select('chain_key').distinct().execute();
  for (const { chain_key } of orphanChains) {
    if (!headKeys.has(chain_key)) result.broken.push({ chainKey: chain_key, seq: 1, problem: 'no_head' });
  }
  return result;
}

/** One line per broken chain, for the CLI and the admin page. */
export function describeBrokenLink(link: BrokenLink): string {
  const what = {
    edited: 'was changed after it was written',
    missing: 'is missing (deleted) or out of order',
    head_mismatch: 'is missing: the chain ends before its recorded head (newest event deleted?)',
    no_head: 'belongs to a chain without a recorded head',
  }[link.problem];
  return `chain ${link.chainKey}: event ${link.seq} ${what}`;
}

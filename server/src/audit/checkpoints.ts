import { createHash, createPublicKey, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import { writeAudit } from './write-audit.ts';

/**
 * Anchored audit checkpoints, as Certificate Transparency does with signed tree heads. Every hour
 * Kring takes the head of every audit chain (chain key, sequence number, hash) in one statement,
 * computes a Merkle root over them (RFC 6962's tree hash), signs root, count and time with an
 * Ed25519 key kept outside the database, and appends the signed checkpoint to a file outside the
 * database. The heads themselves stay in the database (the latest few checkpoints' worth): the
 * signed root proves whether they were altered.
 *
 * Verification takes the newest checkpoint of this database in the folder and checks that every
 * chain it names still holds, at the sequence number it names, an event with the hash it names.
 * So a chain deleted whole (events and head) and a history rewritten with recomputed hashes are
 * found — which the chains alone cannot show. What it cannot find: changes since the newest
 * checkpoint that the chains hide (an attacker who holds the database and recomputes a chain after
 * the last checkpoint), and anything by someone who holds both the database and the signing key and
 * can also rewrite the checkpoint folder. README: "What the audit trail detects".
 */

/** A broken link in a chain (every one is named, not only the first). */
export interface BrokenLink {
  chainKey: string;
  /** Sequence number where the chain breaks (the head's for a missing newest event). */
  seq: number;
  problem:
    | 'edited'
    | 'missing'
    | 'head_mismatch'
    | 'no_head'
    // Against the newest signed checkpoint (checkpoints.ts):
    | 'chain_deleted'
    | 'differs_from_checkpoint'
    | 'checkpoint_heads_altered'
    | 'checkpoint_signature'
    | 'checkpoint_lineage_unknown';
}

export interface CheckpointAnchor {
  /** The Ed25519 private key; verification uses its public half. */
  key: KeyObject;
  dir: string;
}

export const anchorOf = (config: Pick<Config, 'auditSigningKey' | 'auditCheckpointDir'>): CheckpointAnchor => ({
  key: config.auditSigningKey,
  dir: config.auditCheckpointDir,
});

/** One line of a checkpoint file. */
export interface Checkpoint {
  version: 1;
  /** The database this checkpoint is about (a random id kept in app_meta). */
  lineage: string;
  id: string;
  at: string;
  chains: number;
  root: string;
  /** SHA-256 of the public key, so a reader knows which key to check with. */
  keyId: string;
  signature: string;
}

/** How many checkpoints' heads the database keeps (the newest in the folder is always among them). */
const KEEP_CHECKPOINTS = 3;
const LINEAGE_KEY = 'audit_lineage';

const sha256 = (...parts: (string | Buffer)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** The Merkle tree hash of RFC 6962 (leaves prefixed 0x00, nodes 0x01), over the sorted heads. */
export function merkleRoot(heads: { chain_key: string; seq: number; hash: string }[]): string {
  const leaves = heads.map((h) => sha256(Buffer.from([0]), JSON.stringify([h.chain_key, h.seq, h.hash])));
  const tree = (from: number, to: number): Buffer => {
    if (to - from === 0) return sha256('');
    if (to - from === 1) return leaves[from] as Buffer;
    let split = 1;
    while (split * 2 < to - from) split *= 2;
    return sha256(Buffer.from([1]), tree(from, from + split), tree(from + split, to));
  };
  return tree(0, leaves.length).toString('hex');
}

const signedText = (c: Omit<Checkpoint, 'keyId' | 'signature'>) =>
  `kring-audit-checkpoint:v${c.version}\n${c.lineage}\n${c.id}\n${c.at}\n${c.chains}\n${c.root}\n`;

const keyIdOf = (key: KeyObject) =>
  sha256(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .toString('hex')
    .slice(0, 16);

/** This database's lineage id, made by its first checkpoint. */
async function lineageOf(db: Kysely<DB>, create: boolean): Promise<string | null> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', LINEAGE_KEY).executeTakeFirst();
  if (row || !create) return row?.value ?? null;
  await db
    .insertInto('app_meta')
    .values({ key: LINEAGE_KEY, value: randomUUID() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return lineageOf(db, false);
}

/** Forget this database's lineage (a restore starts a new one; its first checkpoint follows). */
export async function startNewLineage(db: Kysely<DB>) {
  await db.deleteFrom('app_meta').where('key', '=', LINEAGE_KEY).execute();
}

/**
 * Take and sign a checkpoint: the heads in one statement (a consistent snapshot), their root kept
 * beside them in the database, then the signed line appended to this month's file in the folder.
 */
export async function writeCheckpoint(db: Kysely<DB>, anchor: CheckpointAnchor, now = new Date()) {
  const lineage = (await lineageOf(db, true)) as string;
  const id = randomUUID();
  const checkpoint = await db.transaction().execute(async (tx) => {
    await sql`INSERT INTO audit_checkpoint_heads (checkpoint_id, chain_key, seq, hash)
      SELECT ${id}, chain_key, seq, hash FROM audit_chain_heads`.execute(tx);
    const heads = await headsOf(tx, id);
    const unsigned = {
      version: 1 as const,
      lineage,
      id,
      at: now.toISOString(),
      chains: heads.length,
      root: merkleRoot(heads),
    };
    await tx
      .insertInto('audit_checkpoints')
      .values({ id, created_at: now, chains: unsigned.chains, root: unsigned.root })
      .execute();
    const old = await tx
      .selectFrom('audit_checkpoints')
      .select('id')
      .orderBy('created_at', 'desc')
      .offset(KEEP_CHECKPOINTS)
      .limit(1000)
      .execute();
    if (old.length) {
      const ids = old.map((o) => o.id);
      await tx.deleteFrom('audit_checkpoint_heads').where('checkpoint_id', 'in', ids).execute();
      await tx.deleteFrom('audit_checkpoints').where('id', 'in', ids).execute();
    }
    const signature = sign(null, Buffer.from(signedText(unsigned)), anchor.key).toString('base64');
    return { ...unsigned, keyId: keyIdOf(anchor.key), signature } satisfies Checkpoint;
  });
  fs.mkdirSync(anchor.dir, { recursive: true });
  fs.appendFileSync(
    path.join(anchor.dir, `checkpoints-${checkpoint.at.slice(0, 7)}.jsonl`),
    `${JSON.stringify(checkpoint)}\n`,
    {
      mode: 0o600,
    },
  );
  await writeAudit(
    db,
    { accountId: null, organisationId: null, role: 'system', clientAddress: null, correlationId: null },
    { action: 'audit.checkpoint', details: { checkpointId: id, chains: checkpoint.chains } },
  );
  return checkpoint;
}

function headsOf(db: Kysely<DB>, checkpointId: string) {
  return db
    .selectFrom('audit_checkpoint_heads')
    .select(['chain_key', 'seq', 'hash'])
    .where('checkpoint_id', '=', checkpointId)
    .orderBy('chain_key')
    .execute();
}

/** Every checkpoint line in the folder, oldest first, and the lines that do not verify. */
export function readCheckpoints(anchor: CheckpointAnchor): { checkpoints: Checkpoint[]; badLines: string[] } {
  const publicKey = createPublicKey(anchor.key);
  const checkpoints: Checkpoint[] = [];
  const badLines: string[] = [];
  let files: string[] = [];
  try {
    files = fs
      .readdirSync(anchor.dir)
      .filter((f) => /^checkpoints-\d{4}-\d{2}\.jsonl$/.test(f))
      .sort();
  } catch {
    return { checkpoints, badLines };
  }
  for (const file of files) {
    const lines = fs.readFileSync(path.join(anchor.dir, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const where = `${file}:${index + 1}`;
      try {
        const c = JSON.parse(line) as Checkpoint;
        const ok = verify(null, Buffer.from(signedText(c)), publicKey, Buffer.from(c.signature, 'base64'));
        if (ok) checkpoints.push(c);
        else badLines.push(where);
      } catch {
        badLines.push(where);
      }
    });
  }
  checkpoints.sort((a, b) => a.at.localeCompare(b.at));
  return { checkpoints, badLines };
}

/**
 * Check the database against the newest signed checkpoint of its lineage: the heads kept beside
 * it must give its signed root, and every chain must still hold the event each head names. A
 * family's chain that retention deleted (recorded in the trail as such) is not a break.
 */
export async function checkAgainstCheckpoints(db: Kysely<DB>, anchor: CheckpointAnchor): Promise<BrokenLink[]> {
  const { checkpoints, badLines } = readCheckpoints(anchor);
  const broken: BrokenLink[] = badLines.map((line) => ({
    chainKey: `checkpoint ${line}`,
    seq: 0,
    problem: 'checkpoint_signature',
  }));
  const lineage = await lineageOf(db, false);
  const ours = checkpoints.filter((c) => c.lineage === lineage);
  const newest = ours.at(-1);
  if (!newest) {
    // Checkpoints of another database only: this one's lineage was removed or replaced.
    if (checkpoints.length) broken.push({ chainKey: 'checkpoints', seq: 0, problem: 'checkpoint_lineage_unknown' });
    return broken;
  }
  const heads = await headsOf(db, newest.id);
  if (heads.length !== newest.chains || merkleRoot(heads) !== newest.root) {
    broken.push({ chainKey: `checkpoint ${newest.id}`, seq: 0, problem: 'checkpoint_heads_altered' });
    return broken;
  }
  const mismatches = await sql<{ chain_key: string; seq: number; found: string | null; has_head: boolean }>`
    SELECT c.chain_key, c.seq, e.hash AS found,
           EXISTS (SELECT 1 FROM audit_chain_heads h WHERE h.chain_key = c.chain_key) AS has_head
    FROM audit_checkpoint_heads c
    LEFT JOIN audit_events e ON e.chain_key = c.chain_key AND e.seq = c.seq
    WHERE c.checkpoint_id = ${newest.id} AND (e.hash IS NULL OR e.hash <> c.hash)`.execute(db);
  if (mismatches.rows.length === 0) return broken;
  const retained = new Set(
    (
      await db
        .selectFrom('audit_events')
        .select('record_id')
        .where('action', '=', 'retention.family_deleted')
        .where('record_id', 'in', [
          '00000000-0000-0000-0000-000000000000',
          ...mismatches.rows.flatMap((m) => /^family:([0-9a-f-]{36})$/.exec(m.chain_key)?.[1] ?? []),
        ])
        .execute()
    ).map((r) => `family:${r.record_id}`),
  );
  for (const m of mismatches.rows) {
    if (m.found === null && !m.has_head && retained.has(m.chain_key)) continue;
    broken.push({
      chainKey: m.chain_key,
      seq: m.seq,
      problem: m.found === null && !m.has_head ? 'chain_deleted' : 'differs_from_checkpoint',
    });
  }
  return broken;
}

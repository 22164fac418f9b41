import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../database/schema.ts';

/**
 * The keys that sign FHIR access tokens: their own (never the session secret), kept in the
 * database so that every Kring process signs and checks with the same ones. A new key is made when
 * the newest is a day old (rotation, named by `kid` in each token); an older key is kept until the
 * last token it can have signed has expired, then deleted.
 */
const ROTATE_AFTER_HOURS = 24;
/** Longer than any token lives (five minutes) plus clock skew: an old key's tokens have all expired. */
const KEEP_OLD_KEY_MINUTES = 15;

export interface TokenKey {
  kid: string;
  secret: Uint8Array;
}

/** The key to sign a new token with: the newest, made (or rotated) first when it is due. */
export async function currentSigningKey(db: Kysely<DB>): Promise<TokenKey> {
  const newest = await db
    .selectFrom('token_signing_keys')
    .select(['kid', 'secret'])
    .where('created_at', '>', sql<Date>`now() - make_interval(hours => ${ROTATE_AFTER_HOURS})`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest) return { kid: newest.kid, secret: new Uint8Array(newest.secret) };
  // Two processes rotating at once each make a key; both are valid, which does no harm.
  const key = { kid: randomBytes(12).toString('base64url'), secret: randomBytes(32) };
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('token_signing_keys').values(key).execute();
    await tx
      .deleteFrom('token_signing_keys')
      .where('kid', '<>', key.kid)
      .where(
        'created_at',
        '<',
        sql<Date>`now() - make_interval(hours => ${ROTATE_AFTER_HOURS}, mins => ${KEEP_OLD_KEY_MINUTES})`,
      )
      .execute();
  });
  return { kid: key.kid, secret: new Uint8Array(key.secret) };
}

/** Keys by kid, per database, read again when a token names one not yet known here. */
const known = new WeakMap<Kysely<DB>, Map<string, Uint8Array>>();

/** The key a token names, or null (unknown, or deleted because its tokens have all expired). */
export async function verificationKey(db: Kysely<DB>, kid: string): Promise<Uint8Array | null> {
  const cached = known.get(db)?.get(kid);
  if (cached) return cached;
  const rows = await db.selectFrom('token_signing_keys').select(['kid', 'secret']).execute();
  const keys = new Map(rows.map((row) => [row.kid, new Uint8Array(row.secret)]));
  known.set(db, keys);
  return keys.get(kid) ?? null;
}

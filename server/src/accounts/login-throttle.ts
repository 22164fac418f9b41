import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import { tokenHash } from './tokens.ts';

/**
 * Login throttling kept in the database, so the limit holds across all Kring processes.
 * Two counters per attempt: the e-mail address (stored as an HMAC, never in clear) and the
 * client address (a higher limit, since a hospital may sit behind one address).
 */
export interface ThrottleKey {
  key: string;
  maxFailures: number;
}

const ADDRESS_FACTOR = 10;

/**
 * The counters of one attempt. `purpose` keeps sign-in failures and password-reset requests apart
 * (a reset counts every request, known address or not, so neither mail flooding nor guessing
 * addresses gets far).
 */
export function throttleKeys(
  config: Config,
  email: string,
  clientAddress: string,
  purpose: 'login' | 'reset' = 'login',
): ThrottleKey[] {
  const prefix = purpose === 'login' ? '' : 'reset-';
  return [
    {
      key: `${prefix}account:${tokenHash(config.sessionSecret, email.trim().toLowerCase())}`,
      maxFailures: config.loginMaxFailures,
    },
    { key: `${prefix}address:${clientAddress}`, maxFailures: config.loginMaxFailures * ADDRESS_FACTOR },
  ];
}

/** The moment until which one of the keys is locked, if any. */
export async function lockedUntil(db: Kysely<DB>, keys: ThrottleKey[], now = new Date()): Promise<Date | null> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .where('locked_until', '>', now)
    .execute();
  const until = rows.map((row) => row.locked_until?.getTime() ?? 0);
  return until.length ? new Date(Math.max(...until)) : null;
}

/** Count a failure on every key; a key that reaches its limit locks for the configured time. */
export async function recordFailure(db: Kysely<DB>, config: Config, keys: ThrottleKey[], now = new Date()) {
  const windowStart = new Date(now.getTime() - config.loginLockMinutes * 60_000);
  const lockUntil = new Date(now.getTime() + config.loginLockMinutes * 60_000);
  for (const { key, maxFailures } of keys) {
    await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_started_at: now, locked_until: maxFailures <= 1 ? lockUntil : null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => {
          // A window older than the lock time starts again at one failure.
          const expired = eb('login_throttle.window_started_at', '<', windowStart);
          const failures = eb
            .case()
            .when(expired)
            .then(1)
            .else(eb('login_throttle.failures', '+', 1))
            .end();
          return {
            failures,
            window_started_at: eb.case().when(expired).then(now).else(eb.ref('login_throttle.window_started_at')).end(),
            locked_until: eb
              .case()
              .when(eb(failures, '>=', maxFailures))
              .then(lockUntil)
              .else(eb.ref('login_throttle.locked_until'))
              .end(),
          };
        }),
      )
      .execute();
  }
}

/** A successful login clears its account's counter (the address counter decays with its window). */
export async function clearAccountFailures(db: Kysely<DB>, keys: ThrottleKey[]): Promise<void> {
  const accountKeys = keys.filter((k) => k.key.startsWith('account:')).map((k) => k.key);
  await db.deleteFrom('login_throttle').where('key', 'in', accountKeys).execute();
}

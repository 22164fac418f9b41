import type { Kysely } from 'kysely';
import type { Actor } from '../access/access.ts';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import type { Session } from '../http/context.ts';
import { randomToken, tokenHash } from './tokens.ts';

/** Start a session; returns the cookie's token (only its HMAC is stored) and the CSRF token. */
export async function createSession(
  db: Kysely<DB>,
  config: Config,
  accountId: string,
  stage: Session['stage'],
): Promise<{ token: string; session: Session }> {
  const token = randomToken();
  const session: Session = { id: tokenHash(config.sessionSecret, token), accountId, stage, csrfToken: randomToken() };
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      account_id: accountId,
      stage,
      csrf_token: session.csrfToken,
      expires_at: new Date(Date.now() + config.sessionMaxHours * 3600_000),
    })
    .execute();
  return { token, session };
}

// A session's last_seen_at is written at most once a minute, so reads do not each cost a write.
const TOUCH_AFTER_MS = 60_000;

/**
 * The session and actor behind a cookie token, or null when unknown, expired (absolute limit) or
 * idle too long, or when the account was deactivated.
 */
export async function loadSession(
  db: Kysely<DB>,
  config: Config,
  token: string,
): Promise<{ session: Session; actor: Actor } | null> {
  const id = tokenHash(config.sessionSecret, token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      's.id',
      's.stage',
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      'a.id as account_id',
      'a.kind',
      'a.display_name',
      'a.email',
      'a.organisation_id',
      'a.discipline',
      'a.language',
      'a.active',
      'a.totp_enabled_at',
      'o.name as organisation_name',
      'o.type as organisation_type',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row?.active) return null;
  const now = Date.now();
  const idleLimit = config.sessionIdleMinutes * 60_000;
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleLimit <= now) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (row.last_seen_at.getTime() + TOUCH_AFTER_MS < now) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('id', '=', id)
      .execute();
  }
  return {
    session: { id: row.id, accountId: row.account_id, stage: row.stage, csrfToken: row.csrf_token },
    actor: {
      accountId: row.account_id,
      kind: row.kind,
      displayName: row.display_name,
      email: row.email,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationType: row.organisation_type,
      discipline: row.discipline,
      language: row.language,
      secondFactorEnabled: row.totp_enabled_at !== null,
    },
  };
}

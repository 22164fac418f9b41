import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/write-audit.ts';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import { hashPassword, PASSWORD_MIN_LENGTH } from './password.ts';
import { randomToken, tokenHash } from './tokens.ts';

const ENROLMENT_HOURS = 24;

/** Thrown for input the command refuses (one line to print). */
export class CreateAdminError extends Error {}

/**
 * Create an administrator (the first of a production installation) with a password and a one-time
 * link, valid 24 hours, to enrol the second factor. The password is generated when none is given.
 */
export async function createAdmin(
  db: Kysely<DB>,
  config: Config,
  input: { email: string; name: string; password?: string },
): Promise<{ accountId: string; password: string; generated: boolean; enrolmentUrl: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new CreateAdminError('--email must be an e-mail address.');
  if (!input.name.trim()) throw new CreateAdminError('--name must not be empty.');
  if (input.password !== undefined && input.password.length < PASSWORD_MIN_LENGTH) {
    throw new CreateAdminError(`--password must be at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  const password = input.password ?? randomBytes(15).toString('base64url');
  const existing = await db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  if (existing) throw new CreateAdminError('An account with this e-mail address already exists.');

  const accountId = randomUUID();
  const token = randomToken();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('accounts')
      .values({
        id: accountId,
        email,
        display_name: input.name.trim(),
        kind: 'admin',
        password_hash: passwordHash,
        organisation_id: null,
        discipline: null,
      })
      .execute();
    await tx
      .insertInto('one_time_tokens')
      .values({
        token_hash: tokenHash(config.sessionSecret, token),
        account_id: accountId,
        purpose: 'totp_enrolment',
        expires_at: new Date(Date.now() + ENROLMENT_HOURS * 3600_000),
      })
      .execute();
    await writeAudit(
      tx,
      { accountId: null, organisationId: null, role: 'cli', clientAddress: 'local', correlationId: null },
      { action: 'account.create', recordType: 'account', recordId: accountId, details: { kind: 'admin' } },
    );
  });
  return {
    accountId,
    password,
    generated: input.password === undefined,
    enrolmentUrl: `${config.publicUrl}/enrol#${token}`,
  };
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { deliverMail, queueMail } from '../mail/mailer.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.ts';
import { randomToken, tokenHash } from './tokens.ts';

/** The disciplines a professional can have (the interface names them in Dutch and English). */
export const DISCIPLINES = [
  'verloskundige',
  'kraamverzorgende',
  'gynaecoloog',
  'huisarts',
  'jeugdverpleegkundige',
  'jeugdarts',
  'wijkteammedewerker',
  'ggz_behandelaar',
  'veilig_thuis_medewerker',
  'gezinsvoogd',
] as const;

const INVITATION_DAYS = 7;
const ENROLMENT_HOURS = 24;

export const InviteInput = z.strictObject({
  email: z.email().max(200),
  name: z.string().trim().min(2).max(200),
  organisationId: z.uuid(),
  discipline: z.enum(DISCIPLINES),
  language: z.enum(['nl', 'en']).default('nl'),
});
export const AcceptInvitationInput = z.strictObject({
  token: z.string().min(20).max(200),
  password: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH),
});

/**
 * An administrator invites a professional: the account exists at once (without a password), and
 * an e-mail carries a one-time link, valid for a week, where they choose a password and connect
 * their authenticator app.
 */
export async function invite(ctx: RequestContext, input: z.infer<typeof InviteInput>) {
  ctx.access.requireRole('account.invite');
  const email = input.email.trim().toLowerCase();
  const result = await ctx.transaction(async (tx) => {
    const organisation = await tx.db
      .selectFrom('organisations')
      .select(['id', 'name', 'type'])
      .where('id', '=', input.organisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!organisation || organisation.type === 'gemeente') {
      throw new AppError('VALIDATION_FAILED', 'Unknown organisation.', {
        fields: [{ field: 'body.organisationId', message: 'not an active care organisation' }],
      });
    }
    const existing = await tx.db
      .selectFrom('accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst();
    if (existing) {
      throw new AppError('ALREADY_EXISTS', 'An account with this e-mail address already exists.', {
        fields: [{ field: 'body.email', message: 'already has an account' }],
      });
    }
    const accountId = randomUUID();
    const token = randomToken();
    await tx.db
      .insertInto('accounts')
      .values({
        id: accountId,
        email,
        display_name: input.name,
        kind: 'professional',
        organisation_id: organisation.id,
        discipline: input.discipline,
        language: input.language,
        password_hash: null,
      })
      .execute();
    await tx.db
      .insertInto('one_time_tokens')
      .values({
        token_hash: tokenHash(ctx.config.sessionSecret, token),
        account_id: accountId,
        purpose: 'invitation',
        expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .execute();
    await queueMail(tx.db, ctx.config, {
      to: email,
      template: 'invitation',
      language: input.language,
      params: {
        name: input.name,
        organisation: organisation.name,
        link: `${ctx.config.publicUrl}/uitnodiging#${token}`,
      },
    });
    await tx.audit({ action: 'account.invite', recordType: 'account', recordId: accountId });
    return { accountId };
  });
  await deliverMail(ctx.deps.database.db, ctx.config);
  return result;
}

/**
 * The invited professional chooses a password from the link; the invitation is used up, and a
 * one-time enrolment link (24 hours) continues with the authenticator app.
 */
export async function acceptInvitation(ctx: RequestContext, input: z.infer<typeof AcceptInvitationInput>) {
  const hash = tokenHash(ctx.config.sessionSecret, input.token);
  const row = await ctx.deps.database.db
    .selectFrom('one_time_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.account_id', 't.expires_at', 't.used_at', 'a.active', 'a.organisation_id'])
    .where('t.token_hash', '=', hash)
    .where('t.purpose', '=', 'invitation')
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now() || !row.active) {
    throw new AppError('TOKEN_INVALID', 'This invitation link is unknown, used or expired.');
  }
  const passwordHash = await hashPassword(input.password);
  const enrolmentToken = randomToken();
  await ctx.transaction(async (tx) => {
    const used = await tx.db
      .updateTable('one_time_tokens')
      .set({ used_at: new Date() })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) {
      throw new AppError('TOKEN_INVALID', 'This invitation link is unknown, used or expired.');
    }
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ password_hash: passwordHash, version: eb('version', '+', 1) }))
      .where('id', '=', row.account_id)
      .execute();
    await tx.db
      .insertInto('one_time_tokens')
      .values({
        token_hash: tokenHash(ctx.config.sessionSecret, enrolmentToken),
        account_id: row.account_id,
        purpose: 'totp_enrolment',
        expires_at: new Date(Date.now() + ENROLMENT_HOURS * 3600_000),
      })
      .execute();
    await tx.audit(
      { action: 'account.invitation_accepted', recordType: 'account', recordId: row.account_id },
      { ...ctx.auditSource, accountId: row.account_id, organisationId: row.organisation_id },
    );
  });
  return { enrolmentToken };
}

/** Demo mode only: the mails Kring would have sent, so a visitor can follow an invitation link. */
export async function demoOutbox(ctx: RequestContext) {
  if (ctx.config.mode !== 'demo') throw new AppError('ROUTE_NOT_FOUND', 'No such route.');
  const mails = await ctx.deps.database.db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'body', 'created_at', 'status'])
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return {
    mails: mails.map((m) => ({
      id: m.id,
      to: m.to_address,
      subject: m.subject,
      body: m.body,
      createdAt: m.created_at.toISOString(),
      status: m.status,
    })),
  };
}

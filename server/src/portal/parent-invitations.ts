import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isParentLanguage, PARENT_LANGUAGES } from '../accounts/languages.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../accounts/password.ts';
import { tokenHash } from '../accounts/tokens.ts';
import { ADULT_ROLES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { deliverMail, queueMail } from '../mail/mailer.ts';

/**
 * A professional of the team invites a parent (or another adult of the family) to their own Kring:
 * a code to hand over on paper, and, with an address, the same code in an e-mail link. Two weeks,
 * once. The parent then chooses their e-mail address and password; the account belongs to that
 * one person of that one family. Both parents can each have their own.
 */

const INVITATION_DAYS = 14;
/** Capitals and digits without look-alikes (0/O, 1/I/L): easy to read from paper and type. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const ParentInvitationInput = z.strictObject({
  personId: z.uuid(),
  email: z.email().max(200).optional(),
  /** The language of the mail and of the parent's Kring at first; without it the family's language where Kring speaks it. */
  language: z.enum(PARENT_LANGUAGES).optional(),
});

export const AcceptParentInvitationInput = z.strictObject({
  code: z.string().trim().min(12, 'the code has twelve letters and digits').max(20),
  email: z.email().max(200),
  password: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH),
  /** The language the parent chose on the page (else the invitation's). */
  language: z.enum(PARENT_LANGUAGES).optional(),
});

/** A code as typed: case, spaces and dashes do not matter. */
const normalise = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export async function inviteParent(
  ctx: RequestContext,
  familyId: string,
  input: z.infer<typeof ParentInvitationInput>,
) {
  const access = ctx.access;
  const raw = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const result = await ctx.transaction(async (tx) => {
    const { family, persons } = await tx.families.open(familyId, 'family.write');
    const person = persons.find((p) => p.id === input.personId);
    if (!person || !(ADULT_ROLES as readonly string[]).includes(person.role)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid invitation.', {
        fields: [{ field: 'body.personId', message: 'not a parent or caregiver of this family' }],
      });
    }
    const linked = await tx.db
      .selectFrom('parent_links')
      .select('account_id')
      .where('person_id', '=', person.id)
      .executeTakeFirst();
    const language = input.language ?? (isParentLanguage(family.language) ? family.language : 'nl');
    if (linked) {
      throw new AppError('ALREADY_EXISTS', 'This person already has their own Kring.', {
        fields: [{ field: 'body.personId', message: 'already has an account' }],
      });
    }
    await tx.db
      .insertInto('parent_invitations')
      .values({
        code_hash: tokenHash(ctx.config.sessionSecret, normalise(code)),
        family_id: familyId,
        person_id: person.id,
        invited_by_account_id: access.actor.accountId,
        organisation_id: access.organisationId,
        expires_at: expiresAt,
        language,
      })
      .execute();
    if (input.email) {
      const organisation = await tx.db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', access.organisationId)
        .executeTakeFirstOrThrow();
      await queueMail(tx.db, ctx.config, {
        to: input.email,
        template: 'parent_invitation',
        language,
        params: {
          name: person.given_name ?? '',
          organisation: organisation.name,
          link: `${ctx.config.publicUrl}/ouder?taal=${language}#${normalise(code)}`,
        },
      });
    }
    await tx.audit({
      action: 'portal.invite',
      familyId,
      recordType: 'person',
      recordId: person.id,
      details: { byMail: Boolean(input.email) },
    });
    return { code, expiresAt };
  });
  if (input.email) void deliverMail(ctx.deps.database.db, ctx.config).catch(() => {});
  return result;
}

/** The parent takes up the invitation: their own account, for their own person of the family. */
export async function acceptParentInvitation(ctx: RequestContext, input: z.infer<typeof AcceptParentInvitationInput>) {
  const hash = tokenHash(ctx.config.sessionSecret, normalise(input.code));
  const email = input.email.trim().toLowerCase();
  const invalid = () =>
    new AppError('TOKEN_INVALID', 'This code is unknown, used or expired. Ask your care team for a new one.', {
      fields: [{ field: 'body.code', message: 'unknown, used or expired' }],
    });
  const invitation = await ctx.deps.database.db
    .selectFrom('parent_invitations')
    .selectAll()
    .where('code_hash', '=', hash)
    .executeTakeFirst();
  if (!invitation || invitation.used_at || invitation.expires_at.getTime() <= Date.now()) {
    await ctx.auditAlone({ action: 'portal.invitation_accepted', outcome: 'refused', details: { reason: 'code' } });
    throw invalid();
  }
  const passwordHash = await hashPassword(input.password);
  const accountId = randomUUID();
  await ctx.transaction(async (tx) => {
    const used = await tx.db
      .updateTable('parent_invitations')
      .set({ used_at: new Date() })
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n) throw invalid();
    const taken = await tx.db
      .selectFrom('accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst();
    if (taken) {
      throw new AppError('ALREADY_EXISTS', 'This e-mail address already has an account.', {
        fields: [{ field: 'body.email', message: 'already has an account' }],
      });
    }
    const linked = await tx.db
      .selectFrom('parent_links')
      .select('account_id')
      .where('person_id', '=', invitation.person_id)
      .executeTakeFirst();
    if (linked) throw invalid();
    const person = await tx.db
      .selectFrom('persons')
      .select(['given_name', 'family_name'])
      .where('id', '=', invitation.person_id)
      .executeTakeFirstOrThrow();
    await tx.db
      .insertInto('accounts')
      .values({
        id: accountId,
        email,
        display_name: [person.given_name, person.family_name].filter(Boolean).join(' ') || email,
        kind: 'parent',
        language: input.language ?? invitation.language,
        organisation_id: null,
        discipline: null,
        password_hash: passwordHash,
      })
      .execute();
    await tx.db
      .insertInto('parent_links')
      .values({ account_id: accountId, family_id: invitation.family_id, person_id: invitation.person_id })
      .execute();
    await tx.audit(
      {
        action: 'portal.invitation_accepted',
        familyId: invitation.family_id,
        recordType: 'account',
        recordId: accountId,
      },
      { ...ctx.auditSource, accountId, organisationId: null, role: 'parent' },
    );
  });
  return { ok: true as const };
}

import { z } from 'zod';
import { ACCOUNT_KINDS, ORGANISATION_TYPES } from '../database/schema.ts';
import { PARENT_LANGUAGES } from './languages.ts';
import { PASSWORD_MAX_LENGTH } from './password.ts';

export const Email = z.string().trim().toLowerCase().pipe(z.email('must be an e-mail address').max(254));

export const LoginInput = z.strictObject({
  email: z.string().min(1, 'required').max(254),
  password: z.string().min(1, 'required').max(PASSWORD_MAX_LENGTH),
});

export const SecondFactorInput = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'six digits'),
});

export const ActorResponse = z.object({
  accountId: z.uuid(),
  kind: z.enum(ACCOUNT_KINDS),
  displayName: z.string(),
  email: z.string(),
  organisationId: z.uuid().nullable(),
  organisationName: z.string().nullable(),
  organisationType: z.enum(ORGANISATION_TYPES).nullable(),
  discipline: z.string().nullable(),
  language: z.enum(PARENT_LANGUAGES),
  secondFactorEnabled: z.boolean(),
});

export const LoginResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('signed_in'),
    csrfToken: z.string(),
    actor: ActorResponse,
    /** Shown once, right after enrolling an authenticator app. */
    recoveryCodes: z.array(z.string()).optional(),
    /** After signing in with a recovery code: how many are left. */
    recoveryCodesLeft: z.number().int().optional(),
  }),
  z.object({ status: z.literal('second_factor_required'), csrfToken: z.string() }),
  z.object({ status: z.literal('second_factor_enrolment_required'), csrfToken: z.string() }),
]);
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ actor: ActorResponse, csrfToken: z.string() });

export const EnrolmentStartResponse = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrCodeDataUrl: z.string(),
});

export const EnrolmentTokenInput = z.strictObject({ token: z.string().min(20).max(100) });
export const EnrolmentTokenConfirmInput = z.strictObject({
  token: z.string().min(20).max(100),
  code: z.string().regex(/^\d{6}$/, 'six digits'),
});

export const LanguageInput = z.strictObject({ language: z.enum(PARENT_LANGUAGES) });

export const OkResponse = z.object({ ok: z.literal(true) });

export const RecoveryCodeInput = z.strictObject({
  code: z.string().trim().min(10, 'a recovery code has ten letters and digits').max(20),
});

export const EnrolmentDoneResponse = z.object({ ok: z.literal(true), recoveryCodes: z.array(z.string()) });
export const RecoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });
export const RecoveryCodesLeftResponse = z.object({ recoveryCodesLeft: z.number().int() });

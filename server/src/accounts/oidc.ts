import * as oidc from 'openid-client';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { createSession } from './sessions.ts';
import { randomToken, tokenHash } from './tokens.ts';

/**
 * OpenID Connect sign-in per organisation: an organisation connects its own identity provider
 * (as Dutch care organisations do with their directory), and its people sign in there. Kring is
 * the relying party: authorization code flow with PKCE, state bound to the browser by a cookie,
 * a nonce, and the ID token's issuer, audience, signature and nonce checked (openid-client). A
 * person is mapped to their account by the provider's subject; the first time by the e-mail
 * claim, among the active accounts of that organisation. Multi-factor authentication is then the
 * identity provider's task, as it is for the organisation's other systems.
 */

const LOGIN_MINUTES = 10;
const BROWSER_COOKIE = 'kring_oidc';
const CALLBACK_PATH = '/api/auth/oidc/callback';

export const IdentityProviderInput = z.strictObject({
  issuer: z.url().max(500),
  clientId: z.string().trim().min(1).max(200),
  clientSecret: z.string().min(8, 'at least 8 characters').max(500),
});

export const CallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  iss: z.string().max(500).optional(),
  session_state: z.string().max(500).optional(),
});

const discovered = new Map<string, { at: number; config: oidc.Configuration }>();

/** The provider's metadata (discovery), cached for ten minutes per issuer and client. */
async function providerConfig(
  config: Config,
  provider: { issuer: string; clientId: string; clientSecret: string },
): Promise<oidc.Configuration> {
  const key = `${provider.issuer}\n${provider.clientId}\n${provider.clientSecret}`;
  const cached = discovered.get(key);
  if (cached && Date.now() - cached.at < 600_000) return cached.config;
  // Plain http only for a provider on this machine outside production (tests, a local trial).
  const insecure = config.mode !== 'production' && new URL(provider.issuer).protocol === 'http:';
  const found = await oidc.discovery(
    new URL(provider.issuer),
    provider.clientId,
    undefined,
    oidc.ClientSecretBasic(provider.clientSecret),
    // The ID token's signature is checked too (the library would otherwise trust TLS alone).
    {
      execute: insecure
        ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
        : [oidc.enableNonRepudiationChecks],
      timeout: 10,
    },
  );
  discovered.set(key, { at: Date.now(), config: found });
  return found;
}

function organisationNotFound(organisationId: string) {
  return new AppError('NOT_FOUND', 'Not found.', {
    refusal: { action: 'organisation.identity_provider', recordType: 'organisation', recordId: organisationId },
  });
}

/** An administrator connects an organisation's identity provider; Kring checks that it answers. */
export async function setIdentityProvider(
  ctx: RequestContext,
  organisationId: string,
  input: z.infer<typeof IdentityProviderInput>,
) {
  ctx.access.requireRole('organisation.manage');
  if (ctx.config.mode === 'production' && !input.issuer.startsWith('https://')) {
    throw new AppError('VALIDATION_FAILED', 'Invalid identity provider.', {
      fields: [{ field: 'body.issuer', message: 'must be an https:// address' }],
    });
  }
  const organisation = await ctx.deps.database.db
    .selectFrom('organisations')
    .select(['id', 'oidc_issuer'])
    .where('id', '=', organisationId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!organisation) throw organisationNotFound(organisationId);
  try {
    await providerConfig(ctx.config, input);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'Invalid identity provider.', {
      fields: [{ field: 'body.issuer', message: 'no OpenID Connect provider answers at this address' }],
    });
  }
  return ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('organisations')
      .set((eb) => ({
        oidc_issuer: input.issuer,
        oidc_client_id: input.clientId,
        oidc_client_secret: input.clientSecret,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', organisationId)
      .execute();
    // Another provider has other subjects: people are matched by e-mail again.
    if (organisation.oidc_issuer !== input.issuer) {
      await tx.db
        .updateTable('accounts')
        .set({ oidc_subject: null })
        .where('organisation_id', '=', organisationId)
        .execute();
    }
    await tx.audit({
      action: 'organisation.identity_provider',
      recordType: 'organisation',
      recordId: organisationId,
      details: { issuer: input.issuer },
    });
    return { ok: true as const };
  });
}

/** Disconnect it: its people sign in with password and second factor again. */
export async function removeIdentityProvider(ctx: RequestContext, organisationId: string) {
  ctx.access.requireRole('organisation.manage');
  return ctx.transaction(async (tx) => {
    const updated = await tx.db
      .updateTable('organisations')
      .set((eb) => ({
        oidc_issuer: null,
        oidc_client_id: null,
        oidc_client_secret: null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw organisationNotFound(organisationId);
    await tx.db
      .updateTable('accounts')
      .set({ oidc_subject: null })
      .where('organisation_id', '=', organisationId)
      .execute();
    await tx.audit({
      action: 'organisation.identity_provider_removed',
      recordType: 'organisation',
      recordId: organisationId,
    });
    return { ok: true as const };
  });
}

/** Organisations whose people sign in with their own identity provider (for the sign-in page). */
export async function listIdentityProviders(ctx: RequestContext) {
  const rows = await ctx.deps.database.db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('oidc_issuer', 'is not', null)
    .where('active', '=', true)
    .orderBy('name')
    .execute();
  return { providers: rows.map((r) => ({ organisationId: r.id, name: r.name })) };
}

async function providerOf(ctx: RequestContext, organisationId: string) {
  const row = await ctx.deps.database.db
    .selectFrom('organisations')
    .select(['oidc_issuer', 'oidc_client_id', 'oidc_client_secret'])
    .where('id', '=', organisationId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row?.oidc_issuer || !row.oidc_client_id || !row.oidc_client_secret) return undefined;
  return { issuer: row.oidc_issuer, clientId: row.oidc_client_id, clientSecret: row.oidc_client_secret };
}

/** Send the browser to the organisation's identity provider. */
export async function startOidcLogin(ctx: RequestContext, organisationId: string) {
  const provider = await providerOf(ctx, organisationId);
  if (!provider) throw new AppError('NOT_FOUND', 'This organisation has no identity provider connected.');
  const configuration = await providerConfig(ctx.config, provider).catch(() => {
    throw new AppError('SERVICE_UNAVAILABLE', 'The identity provider does not answer. Try again later.');
  });
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const browser = randomToken();
  await ctx.deps.database.db
    .insertInto('oidc_logins')
    .values({
      state_hash: tokenHash(ctx.config.sessionSecret, state),
      organisation_id: organisationId,
      browser_hash: tokenHash(ctx.config.sessionSecret, browser),
      nonce,
      code_verifier: codeVerifier,
      expires_at: new Date(Date.now() + LOGIN_MINUTES * 60_000),
    })
    .execute();
  // Lax, not Strict: the browser must send it on the provider's redirect back to Kring.
  ctx.reply.setCookie(BROWSER_COOKIE, browser, {
    path: '/api/auth/oidc',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.cookieSecure,
    maxAge: LOGIN_MINUTES * 60,
  });
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: `${ctx.config.publicUrl}${CALLBACK_PATH}`,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  ctx.reply.status(302).header('location', url.href);
  return '';
}

/**
 * The provider sends the browser back with a code: exchange it, check the ID token, find the
 * account and start a session. Every failure ends on the sign-in page with a generic notice
 * (no detail in the URL) and an audit record naming the reason.
 */
export async function finishOidcLogin(ctx: RequestContext, query: z.infer<typeof CallbackQuery>) {
  const fail = async (reason: string, organisationId?: string) => {
    await ctx.auditAlone({
      action: 'auth.login',
      outcome: 'failed',
      details: { method: 'oidc', reason, ...(organisationId ? { organisationId } : {}) },
    });
    ctx.reply.clearCookie(BROWSER_COOKIE, { path: '/api/auth/oidc' });
    ctx.reply.status(302).header('location', '/?aanmelden=mislukt');
    return '';
  };
  if (!query.state || !query.code) return fail(query.error ? 'provider_error' : 'missing_code');
  const browser = ctx.reply.request.cookies[BROWSER_COOKIE];
  const { db } = ctx.deps.database;
  // Used once: taken out of the table whatever happens next.
  const login = await db
    .deleteFrom('oidc_logins')
    .where('state_hash', '=', tokenHash(ctx.config.sessionSecret, query.state))
    .returningAll()
    .executeTakeFirst();
  if (!login || login.expires_at.getTime() <= Date.now()) return fail('unknown_state');
  if (!browser || tokenHash(ctx.config.sessionSecret, browser) !== login.browser_hash) {
    return fail('other_browser', login.organisation_id);
  }
  const provider = await providerOf(ctx, login.organisation_id);
  if (!provider) return fail('provider_removed', login.organisation_id);

  let claims: { sub: string; email?: unknown; email_verified?: unknown } | undefined;
  try {
    const configuration = await providerConfig(ctx.config, provider);
    const callback = new URL(`${ctx.config.publicUrl}${CALLBACK_PATH}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) callback.searchParams.set(key, value);
    const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
      expectedState: query.state,
      expectedNonce: login.nonce,
      pkceCodeVerifier: login.code_verifier,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    // Many providers put the e-mail address only in the UserInfo answer (for the same subject).
    if (claims && claims.email === undefined) {
      claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub)), sub: claims.sub };
    }
  } catch {
    return fail('token_rejected', login.organisation_id);
  }
  if (!claims?.sub) return fail('token_rejected', login.organisation_id);

  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : undefined;
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'oidc_subject', 'discipline', 'kind'])
    .where('organisation_id', '=', login.organisation_id)
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb('oidc_subject', '=', claims.sub),
        ...(email && claims.email_verified !== false
          ? [eb.and([eb(eb.fn('lower', ['email']), '=', email), eb('oidc_subject', 'is', null)])]
          : []),
      ]),
    )
    .orderBy('oidc_subject')
    .executeTakeFirst();
  if (!account) return fail('no_account', login.organisation_id);

  const created = await ctx.transaction(async (tx) => {
    if (!account.oidc_subject) {
      await tx.db.updateTable('accounts').set({ oidc_subject: claims.sub }).where('id', '=', account.id).execute();
    }
    const session = await createSession(tx.db, ctx.config, account.id, 'active');
    await tx.audit(
      { action: 'auth.login', details: { method: 'oidc', firstTime: !account.oidc_subject } },
      {
        ...ctx.auditSource,
        accountId: account.id,
        organisationId: login.organisation_id,
        role: account.discipline ?? account.kind,
      },
    );
    return session;
  });
  ctx.setSessionCookie(created.token, ctx.config.sessionMaxHours * 3600);
  ctx.reply.clearCookie(BROWSER_COOKIE, { path: '/api/auth/oidc' });
  ctx.reply.status(302).header('location', '/');
  return '';
}

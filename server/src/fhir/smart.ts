import { createPublicKey, randomUUID, type webcrypto } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';

type JsonWebKey = webcrypto.JsonWebKey & { kid?: string };

import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor, SystemScopes } from '../access/access.ts';
import type { AuditSource } from '../audit/write-audit.ts';
import { writeAudit } from '../audit/write-audit.ts';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { AppDeps, RequestContext } from '../http/context.ts';
import { currentSigningKey, verificationKey } from './token-keys.ts';

/**
 * SMART Backend Services: an organisation's own system (its EHR) calls the FHIR API for that
 * organisation. An administrator registers the system with its public keys (a JWK Set); the
 * system asks for a token with a short JWT it signed itself (OAuth2 client credentials,
 * `private_key_jwt`), and calls /fhir with that token as Bearer. It then sees exactly what its
 * organisation may see — the families whose team the organisation is in, under the parents'
 * consent — through the same access decision point and audit trail as a person.
 */

export const TOKEN_PATH = '/fhir/auth/token';
/** How long an access token lives; the client asks for a new one with a new assertion. */
export const TOKEN_SECONDS = 300;
/** Leeway for clocks that differ a little between processes. */
const CLOCK_SKEW_SECONDS = 60;
/** The longest an assertion may live (the spec: at most five minutes). */
const ASSERTION_MAX_SECONDS = 300;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Signing algorithms accepted for assertions: those the SMART spec names, and their SHA-256 siblings. */
const ASSERTION_ALGORITHMS = ['RS384', 'ES384', 'RS256', 'ES256'];

/** A JWK Set of public keys, as an administrator registers it. */
export const PublicJwks = z.strictObject({
  keys: z
    .array(
      z
        .looseObject({ kty: z.enum(['RSA', 'EC']), kid: z.string().max(200).optional() })
        .refine((key) => !('d' in key), { message: 'a private key: register only the public key' })
        .refine(
          (key) => {
            try {
              createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
              return true;
            } catch {
              return false;
            }
          },
          { message: 'not a valid public key' },
        ),
    )
    .min(1)
    .max(5),
});

/**
 * `system/Observation.read system/*.cud …` → the types to read and to write. SMART v1 names
 * (read, write, *) and v2 letters (c, r, u, d, s) are both understood; anything else is refused.
 */
export function parseScopes(scope: string): SystemScopes | null {
  const read = new Set<string>();
  const write = new Set<string>();
  const parts = scope.split(/\s+/).filter(Boolean);
  if (parts.length === 0) return null;
  for (const part of parts) {
    const match = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|[cruds]+)$/.exec(part);
    if (!match) return null;
    const [, type, access] = match as unknown as [string, string, string];
    // v1 words first: "read" is not the v2 letters r, e(!), a, d.
    const v2 = access !== 'read' && access !== 'write' && access !== '*';
    const reads = access === 'read' || access === '*' || (v2 && /[rs]/.test(access));
    const writes = access === 'write' || access === '*' || (v2 && /[cud]/.test(access));
    if (reads) read.add(type);
    if (writes) write.add(type);
  }
  return {
    scope: parts.join(' '),
    read: read.has('*') ? '*' : read,
    write: write.has('*') ? '*' : write,
  };
}

export function scopeAllows(scopes: SystemScopes, type: string, mode: 'read' | 'write'): boolean {
  const allowed = scopes[mode];
  return allowed === '*' || allowed.has(type);
}

/** An OAuth error, answered as RFC 6749 says (not as an OperationOutcome). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
    this.name = 'OAuthError';
  }
}

/**
 * The assertion's claims, checked with jose: signed with one of the client's registered keys (an
 * algorithm the SMART spec allows), issued and about the client itself, for this token endpoint,
 * not expired. Null and the reason otherwise.
 */
async function verifiedAssertion(
  assertion: string,
  clientId: string,
  keys: JsonWebKey[],
  audience: string,
): Promise<{ claims: Record<string, unknown> } | { refused: string }> {
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet({ keys: keys as never }), {
      algorithms: ASSERTION_ALGORITHMS,
      issuer: clientId,
      subject: clientId,
      audience,
      requiredClaims: ['exp'],
    });
    return { claims: payload };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { refused: 'The assertion has expired.' };
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') return { refused: `aud must be ${audience}.` };
      if (error.claim === 'sub') return { refused: 'sub must equal iss (the client id).' };
      return { refused: `The assertion's ${error.claim} claim is not valid.` };
    }
    return { refused: 'The assertion is not signed with a key registered for this client.' };
  }
}

export const TokenRequest = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * The token endpoint: check the request, the client, the assertion's signature, audience, expiry
 * and that its jti was not used before; then issue a short-lived token bound to the client and
 * the scope granted. Every answer is audited on the client (refusals included).
 */
export async function issueToken(ctx: RequestContext, form: Record<string, string | string[]>) {
  const value = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
  const audience = `${ctx.config.publicUrl}${TOKEN_PATH}`;
  const source = (clientId: string | null, organisationId: string | null): AuditSource => ({
    accountId: clientId,
    organisationId,
    role: 'system',
    clientAddress: ctx.clientAddress,
    correlationId: ctx.correlationId,
  });
  // A refusal is audited on the client once the assertion names a registered one (a malformed
  // request from nobody in particular writes nothing).
  const refuse = async (
    status: number,
    error: string,
    description: string,
    client?: { id: string; organisationId: string | null },
  ): Promise<never> => {
    if (!client) throw new OAuthError(status, error, description);
    await ctx.deps.database.db.transaction().execute((tx) =>
      writeAudit(tx, source(client?.id ?? null, client?.organisationId ?? null), {
        action: 'fhir.token.issue',
        outcome: 'refused',
        details: { error },
      }),
    );
    throw new OAuthError(status, error, description);
  };

  if (value('grant_type') !== 'client_credentials') {
    return refuse(400, 'unsupported_grant_type', 'grant_type must be client_credentials.');
  }
  if (value('client_assertion_type') !== ASSERTION_TYPE) {
    return refuse(400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}.`);
  }
  const assertion = value('client_assertion');
  if (!assertion || assertion.length > 8000) return refuse(400, 'invalid_request', 'client_assertion is missing.');
  const scopes = parseScopes(value('scope') ?? '');
  if (!scopes)
    return refuse(400, 'invalid_scope', 'scope: system/[type].read|write (or SMART v2 letters), e.g. system/*.read.');
  // A scope for a type Kring does not serve grants nothing a client could rely on: refused.
  const { FHIR_TYPES } = await import('./fhir.routes.ts');
  const served = new Set(FHIR_TYPES.map((t) => t.type));
  const unknownTypes = [...(scopes.read === '*' ? [] : scopes.read), ...(scopes.write === '*' ? [] : scopes.write)];
  const unserved = unknownTypes.filter((type) => !served.has(type));
  if (unserved.length) return refuse(400, 'invalid_scope', `No such resource type here: ${unserved.join(', ')}.`);

  // The issuer names the client; only then can the signature be checked with its keys.
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(assertion);
  } catch {
    return refuse(401, 'invalid_client', 'The client assertion is not a JWT.');
  }
  const clientId = typeof unverified.iss === 'string' ? unverified.iss : '';
  const client = /^[0-9a-f-]{36}$/.test(clientId)
    ? await ctx.deps.database.db
        .selectFrom('fhir_clients as c')
        .innerJoin('accounts as a', 'a.id', 'c.account_id')
        .select(['c.account_id', 'c.jwks', 'a.active', 'a.organisation_id'])
        .where('c.account_id', '=', clientId)
        .executeTakeFirst()
    : undefined;
  if (!client?.active) return refuse(401, 'invalid_client', 'Unknown or inactive client.');
  const who = { id: client.account_id, organisationId: client.organisation_id };
  const verified = await verifiedAssertion(assertion, clientId, client.jwks.keys as JsonWebKey[], audience);
  if ('refused' in verified) return refuse(401, 'invalid_client', verified.refused, who);
  const claims = verified.claims;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp > now + ASSERTION_MAX_SECONDS + CLOCK_SKEW_SECONDS) {
    return refuse(401, 'invalid_client', 'The assertion lives longer than five minutes.', who);
  }
  if (typeof claims.jti !== 'string' || claims.jti.length === 0 || claims.jti.length > 200) {
    return refuse(401, 'invalid_client', 'The assertion needs a jti.', who);
  }
  const jti = claims.jti;
  const expires = claims.exp;
  const used = await ctx.deps.database.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('fhir_client_assertions').where('expires_at', '<', new Date()).execute();
    const inserted = await tx
      .insertInto('fhir_client_assertions')
      .values({ client_id: clientId, jti, expires_at: new Date(expires * 1000) })
      .onConflict((oc) => oc.doNothing())
      .returning('jti')
      .executeTakeFirst();
    if (!inserted) return true;
    await writeAudit(tx, source(who.id, who.organisationId), {
      action: 'fhir.token.issue',
      details: { scope: scopes.scope },
    });
    return false;
  });
  if (used) return refuse(401, 'invalid_client', 'This assertion was used before (jti).', who);
  const key = await currentSigningKey(ctx.deps.database.db);
  const accessToken = await new SignJWT({ scope: scopes.scope })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(tokenIssuer(ctx.config.publicUrl))
    .setAudience(tokenIssuer(ctx.config.publicUrl))
    .setSubject(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_SECONDS)
    .setJti(randomUUID())
    .sign(key.secret);
  return {
    access_token: accessToken,
    token_type: 'bearer' as const,
    expires_in: TOKEN_SECONDS,
    scope: scopes.scope,
  };
}

/** The system client behind a bearer token, as an actor, with the scopes its token grants. */
export async function systemActor(deps: AppDeps, token: string): Promise<{ actor: Actor; scopes: SystemScopes }> {
  const refuse = () => new AppError('UNAUTHENTICATED', 'The access token is not valid (any more); ask for a new one.');
  const issuer = tokenIssuer(deps.config.publicUrl);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? await verificationKey(deps.database.db, header.kid) : null;
        if (!key) throw refuse();
        return key;
      },
      {
        algorithms: ['HS256'],
        issuer,
        audience: issuer,
        requiredClaims: ['iat', 'exp', 'sub'],
        // The lifetime is capped where the token is checked, not only where it is made: issued
        // at most five minutes ago, not in the future (issue 22).
        maxTokenAge: TOKEN_SECONDS,
        clockTolerance: CLOCK_SKEW_SECONDS,
      },
    ));
  } catch {
    throw refuse();
  }
  if (Number(claims.exp) - Number(claims.iat) > TOKEN_SECONDS) throw refuse();
  if (typeof claims.sub !== 'string') throw refuse();
  const scopes = parseScopes(String(claims.scope ?? ''));
  if (!scopes) throw refuse();
  const row = await clientAccount(deps.database.db, claims.sub);
  if (!row) throw refuse();
  return {
    actor: {
      accountId: row.id,
      kind: 'system',
      displayName: row.display_name,
      email: row.email,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationType: row.organisation_type,
      discipline: null,
      language: 'nl',
      secondFactorEnabled: true,
    },
    scopes,
  };
}

/** Who issues Kring's access tokens and for whom they are: its FHIR base. */
const tokenIssuer = (publicUrl: string) => `${publicUrl}/fhir`;

function clientAccount(db: Kysely<DB>, clientId: string) {
  return db
    .selectFrom('accounts as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.display_name',
      'a.email',
      'a.organisation_id',
      'o.name as organisation_name',
      'o.type as organisation_type',
    ])
    .where('a.id', '=', clientId)
    .where('a.kind', '=', 'system')
    .where('a.active', '=', true)
    .executeTakeFirst();
}

// ------------------------------------------------------ registering clients (administrators)

export const RegisterClientInput = z.strictObject({
  organisationId: z.uuid(),
  name: z.string().trim().min(2).max(120),
  jwks: PublicJwks,
});

/** An administrator registers an organisation's system with its public keys; the client id is returned. */
export async function registerFhirClient(ctx: RequestContext, input: z.infer<typeof RegisterClientInput>) {
  return ctx.transaction(async (tx) => {
    const organisation = await tx.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', input.organisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!organisation) {
      throw new AppError('VALIDATION_FAILED', 'Unknown organisation.', {
        fields: [{ field: 'body.organisationId', message: 'not an active organisation' }],
      });
    }
    const clientId = randomUUID();
    await tx.db
      .insertInto('accounts')
      .values({
        id: clientId,
        email: `fhir-client-${clientId}@system.invalid`,
        display_name: input.name,
        kind: 'system',
        organisation_id: input.organisationId,
      })
      .execute();
    await tx.db
      .insertInto('fhir_clients')
      .values({
        account_id: clientId,
        jwks: JSON.stringify(input.jwks),
        created_by_account_id: ctx.access.actor.accountId,
      })
      .execute();
    await tx.audit({ action: 'fhir.client.register', recordType: 'account', recordId: clientId });
    return { clientId, tokenUrl: `${ctx.config.publicUrl}${TOKEN_PATH}` };
  });
}

export async function listFhirClients(ctx: RequestContext) {
  const rows = await ctx.deps.database.db
    .selectFrom('fhir_clients as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['c.account_id', 'a.display_name', 'a.active', 'o.name as organisation_name', 'c.created_at', 'c.jwks'])
    .orderBy('o.name')
    .orderBy('a.display_name')
    .execute();
  return {
    tokenUrl: `${ctx.config.publicUrl}${TOKEN_PATH}`,
    clients: rows.map((r) => ({
      clientId: r.account_id,
      name: r.display_name,
      organisation: r.organisation_name,
      active: r.active,
      keys: r.jwks.keys.length,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/** Stop a client: its tokens stop working at the next request, and it gets no new ones. */
export async function deactivateFhirClient(ctx: RequestContext, clientId: string) {
  return ctx.transaction(async (tx) => {
    const updated = await tx.db
      .updateTable('accounts')
      .set({ active: false })
      .where('id', '=', clientId)
      .where('kind', '=', 'system')
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'fhir.client.deactivate', recordType: 'account', recordId: clientId },
      });
    }
    await tx.audit({ action: 'fhir.client.deactivate', recordType: 'account', recordId: clientId });
    return { ok: true as const };
  });
}

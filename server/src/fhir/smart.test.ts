import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  professionalAt,
  registration,
  seedAccount,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';

/**
 * SMART Backend Services: an organisation's own system gets a token for a JWT it signed with a
 * key an administrator registered, and then sees through FHIR exactly what its organisation may
 * see — no more, and only what its scope grants.
 */

let t: TestApp;
let admin: Client;
let midwife: { client: Client; organisationId: string };
let familyId: string;
let motherId: string;
const key = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-384' });
let clientId: string;

const jwkOf = (publicKey: KeyObject, kid: string) => ({ ...publicKey.export({ format: 'jwk' }), kid });

/** A client assertion as the SMART spec describes it, signed ES384 (or RS384). */
function assertion(
  claims: Record<string, unknown>,
  privateKey: KeyObject = key.privateKey,
  alg: 'ES384' | 'RS384' = 'ES384',
) {
  const head = Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: alg === 'ES384' ? 'ec-1' : 'rsa-1' })).toString(
    'base64url',
  );
  const body = Buffer.from(
    JSON.stringify({
      iss: clientId,
      sub: clientId,
      aud: `${t.config.publicUrl}/fhir/auth/token`,
      exp: Math.floor(Date.now() / 1000) + 240,
      jti: randomUUID(),
      ...claims,
    }),
  ).toString('base64url');
  const signature = sign(
    'sha384',
    Buffer.from(`${head}.${body}`),
    alg === 'ES384' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey,
  ).toString('base64url');
  return `${head}.${body}.${signature}`;
}

const tokenRequest = (fields: Record<string, string>) =>
  t.anonymous().post(
    '/fhir/auth/token',
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      scope: 'system/*.read',
      ...fields,
    }).toString(),
    { 'content-type': 'application/x-www-form-urlencoded' },
  );

async function tokenFor(scope = 'system/*.read', signed = assertion({})) {
  const response = await tokenRequest({ client_assertion: signed, scope });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().access_token as string;
}

const withToken = (token: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  post: (url: string, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(body),
    }),
});

beforeAll(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  midwife = await professionalAt(t, 'verloskundigenpraktijk');
  familyId = (await midwife.client.post('/api/families', registration())).json().familyId;
  motherId = (await midwife.client.get(`/api/families/${familyId}`))
    .json()
    .persons.find((p: { role: string }) => p.role === 'pregnant_person').id;
  const registered = await admin.post('/api/admin/fhir-clients', {
    organisationId: midwife.organisationId,
    name: 'Praktijksysteem Verloskunde',
    jwks: { keys: [jwkOf(key.publicKey, 'ec-1'), jwkOf(rsa.publicKey, 'rsa-1')] },
  });
  expect(registered.statusCode, registered.body).toBe(201);
  clientId = registered.json().clientId;
});
afterAll(() => t.close());

describe('SMART backend services', () => {
  it('publishes how to get a token, and registers only public keys, by an administrator', async () => {
    const configuration = (await t.anonymous().get('/fhir/.well-known/smart-configuration')).json();
    expect(configuration).toMatchObject({
      token_endpoint: `${t.config.publicUrl}/fhir/auth/token`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    const privateKey = await admin.post('/api/admin/fhir-clients', {
      organisationId: midwife.organisationId,
      name: 'Lek',
      jwks: { keys: [key.privateKey.export({ format: 'jwk' })] },
    });
    expect(privateKey.statusCode).toBe(400);
    expect(privateKey.json().fields[0].field).toBe('body.jwks.keys.0');
    expect(
      (await midwife.client.post('/api/admin/fhir-clients', { organisationId: midwife.organisationId })).statusCode,
    ).toBe(403);
    const listed = (await admin.get('/api/admin/fhir-clients')).json();
    expect(listed.clients).toEqual([expect.objectContaining({ clientId, active: true, keys: 2 })]);
  });

  it('issues a token for a good assertion (ES384 or RS384) and lets the system see its organisation’s families', async () => {
    const token = await tokenFor();
    const groups = JSON.parse((await withToken(token).get('/fhir/Group')).body);
    expect(groups.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([familyId]);
    expect((await withToken(token).get(`/fhir/Patient/${motherId}`)).statusCode).toBe(200);
    const rsaToken = await tokenFor('system/Patient.read', assertion({}, rsa.privateKey, 'RS384'));
    expect((await withToken(rsaToken).get(`/fhir/Patient/${motherId}`)).statusCode).toBe(200);
    // What it read is audited on the family, in the system's own name.
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_account_id', 'actor_organisation_id', 'actor_role'])
      .where('action', '=', 'fhir.patient.read')
      .where('family_id', '=', familyId)
      .execute();
    expect(audit).toContainEqual({
      actor_account_id: clientId,
      actor_organisation_id: midwife.organisationId,
      actor_role: 'system',
    });
  });

  it('refuses a wrong key, an expired assertion, a replayed jti, a wrong audience, grant or scope — audited on a known client', async () => {
    const refusedBefore = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'fhir.token.issue')
      .where('outcome', '=', 'refused')
      .executeTakeFirst();
    const replayed = assertion({});
    expect((await tokenRequest({ client_assertion: replayed })).statusCode).toBe(200);
    const cases: [Record<string, string>, number, string][] = [
      [{ client_assertion: assertion({}, stranger.privateKey) }, 401, 'invalid_client'],
      [{ client_assertion: assertion({ exp: Math.floor(Date.now() / 1000) - 10 }) }, 401, 'invalid_client'],
      [{ client_assertion: assertion({ exp: Math.floor(Date.now() / 1000) + 3600 }) }, 401, 'invalid_client'],
      [{ client_assertion: replayed }, 401, 'invalid_client'],
      [{ client_assertion: assertion({ aud: 'https://elsewhere.example/token' }) }, 401, 'invalid_client'],
      [{ client_assertion: assertion({ iss: randomUUID() }) }, 401, 'invalid_client'],
      [{ client_assertion: 'not-a-jwt' }, 401, 'invalid_client'],
      [{ client_assertion: assertion({}), grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [{ client_assertion: assertion({}), scope: 'patient/*.read' }, 400, 'invalid_scope'],
      [{ client_assertion: assertion({}), scope: 'system/Spaceship.read system/Patient.read' }, 400, 'invalid_scope'],
    ];
    for (const [fields, status, error] of cases) {
      const response = await tokenRequest(fields);
      expect({ fields, status: response.statusCode, error: response.json().error }).toEqual({ fields, status, error });
      expect(response.json().access_token).toBeUndefined();
    }
    const refusedAfter = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'fhir.token.issue')
      .where('outcome', '=', 'refused')
      .executeTakeFirst();
    // The five refusals of an assertion that names this client are on its trail.
    expect(Number(refusedAfter?.n) - Number(refusedBefore?.n)).toBe(5);
  });

  it('holds the system to its scope, to FHIR, and to a token that is its own and still valid', async () => {
    const patientsOnly = await tokenFor('system/Patient.read');
    expect((await withToken(patientsOnly).get('/fhir/Patient')).statusCode).toBe(200);
    const observations = await withToken(patientsOnly).get('/fhir/Observation');
    expect(observations.statusCode).toBe(403);
    expect(JSON.parse(observations.body).resourceType).toBe('OperationOutcome');
    const signal = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'urn:kring:signal-code', code: 'supportive_network' }] },
      subject: { reference: `Patient/${motherId}` },
      method: { coding: [{ system: 'urn:kring:signal-source', code: 'told_by_parent' }] },
    };
    expect((await withToken(await tokenFor('system/*.read')).post('/fhir/Observation', signal)).statusCode).toBe(403);
    // With write scope it writes through the web app's command, in its own name.
    const created = await withToken(await tokenFor('system/*.read system/Observation.write')).post(
      '/fhir/Observation',
      signal,
    );
    expect(created.statusCode, created.body).toBe(201);
    const row = await t.db
      .selectFrom('signals')
      .select(['account_id', 'organisation_id'])
      .where('id', '=', JSON.parse(created.body).id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ account_id: clientId, organisation_id: midwife.organisationId });
    // A bearer token opens the FHIR API only; a forged or altered one nothing.
    const token = await tokenFor();
    expect((await withToken(token).get('/api/caseload')).statusCode).toBe(401);
    expect((await withToken(`${token}x`).get('/fhir/Group')).statusCode).toBe(401);
    // Tokens are JWTs signed with a key of their own, named by kid. One signed with any other
    // secret (the session secret, say) opens nothing; nor does one that claims to live longer than
    // Kring ever issues, or to be issued in the future (a forged token valid to 2100 once read
    // every patient).
    const kid = decodeProtectedHeader(token).kid as string;
    const { secret } = await t.db
      .selectFrom('token_signing_keys')
      .select('secret')
      .where('kid', '=', kid)
      .executeTakeFirstOrThrow();
    const now = Math.floor(Date.now() / 1000);
    const forge = (key: Uint8Array, claims: { iat?: number; exp?: number; kid?: string } = {}) =>
      new SignJWT({ scope: 'system/*.read' })
        .setProtectedHeader({ alg: 'HS256', kid: claims.kid ?? kid })
        .setIssuer(`${t.config.publicUrl}/fhir`)
        .setAudience(`${t.config.publicUrl}/fhir`)
        .setSubject(clientId)
        .setIssuedAt(claims.iat ?? now)
        .setExpirationTime(claims.exp ?? now + 200)
        .sign(key);
    expect((await withToken(await forge(new Uint8Array(secret))).get('/fhir/Group')).statusCode).toBe(200);
    for (const forged of [
      await forge(new TextEncoder().encode(t.config.sessionSecret)),
      await forge(new Uint8Array(32)),
      await forge(new Uint8Array(secret), { exp: 4102444800 }),
      await forge(new Uint8Array(secret), { iat: now + 3600, exp: now + 3800 }),
      await forge(new Uint8Array(secret), { iat: now - 600, exp: now + 200 }),
      await forge(new Uint8Array(secret), { kid: 'another-kid' }),
    ]) {
      expect((await withToken(forged).get('/fhir/Group')).statusCode).toBe(401);
    }
    // Rotation: a day later a new key signs, and tokens of the old one keep working until they expire.
    await t.db
      .updateTable('token_signing_keys')
      .set({ created_at: new Date(Date.now() - 24 * 3600_000 - 5 * 60_000) })
      .execute();
    const rotated = await tokenFor();
    expect(decodeProtectedHeader(rotated).kid).not.toBe(kid);
    expect((await withToken(rotated).get('/fhir/Group')).statusCode).toBe(200);
    expect((await withToken(token).get('/fhir/Group')).statusCode).toBe(200);
  });

  it("gives another organisation's system nothing of the family", async () => {
    const other = await professionalAt(t, 'jgz');
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const otherId = (
      await admin.post('/api/admin/fhir-clients', {
        organisationId: other.organisationId,
        name: 'JGZ-systeem',
        jwks: { keys: [jwkOf(otherKey.publicKey, 'ec-1')] },
      })
    ).json().clientId;
    const token = await tokenFor('system/*.read', assertion({ iss: otherId, sub: otherId }, otherKey.privateKey));
    for (const type of ['Group', 'Patient', 'Observation', 'Encounter', 'Consent', 'CareTeam']) {
      const bundle = JSON.parse((await withToken(token).get(`/fhir/${type}`)).body);
      expect({ type, total: bundle.total }).toEqual({ type, total: 0 });
    }
    expect((await withToken(token).get(`/fhir/Patient/${motherId}`)).statusCode).toBe(404);
    expect((await withToken(token).get(`/fhir/Group/${familyId}`)).statusCode).toBe(404);
    // Nor through a bulk export: of the family itself, or of everything it may see.
    const group = await t.app.inject({
      method: 'GET',
      url: `/fhir/Group/${familyId}/$export`,
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    expect(group.statusCode).toBe(404);
    const kickOff = await t.app.inject({
      method: 'GET',
      url: '/fhir/$export',
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    expect(kickOff.statusCode).toBe(202);
    const status = new URL(kickOff.headers['content-location'] as string).pathname;
    let manifest: { output: unknown[] } | undefined;
    for (let i = 0; i < 100 && !manifest; i++) {
      const polled = await withToken(token).get(status);
      if (polled.statusCode === 200) manifest = JSON.parse(polled.body);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(manifest?.output).toEqual([]);
    // The export is bound to its client: the midwife's system cannot follow it.
    const midwifeToken = await withToken(await tokenFor()).get(status);
    expect(midwifeToken.statusCode).toBe(404);
  });

  it('stops a deactivated client at once: its token and its assertions no longer work', async () => {
    const token = await tokenFor();
    expect((await admin.post(`/api/admin/fhir-clients/${clientId}/deactivate`)).statusCode).toBe(200);
    expect((await withToken(token).get('/fhir/Group')).statusCode).toBe(401);
    expect((await tokenRequest({ client_assertion: assertion({}) })).statusCode).toBe(401);
  });
});

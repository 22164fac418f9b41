import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedAccount, type TestApp, tableCounts } from '../../test/helpers.ts';
import { roleAllows } from '../access/access.ts';
import { apiRoutes, BODY_LIMIT_BYTES } from '../app.ts';

/**
 * Bad input on every route: malformed JSON, a body that is too large, the wrong content type,
 * unknown fields, wrong types, a path id that is not a UUID. Always a 4xx with the field at fault
 * where there is one, never a 5xx, and nothing written (refusals of a known actor are audited).
 */
let t: TestApp;
let admin: Client;
let professional: Client;
let parent: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
  professional = await t.signIn((await seedAccount(t.db, { kind: 'professional' })).email);
  parent = await t.signIn((await seedAccount(t.db, { kind: 'parent' })).email);
});

/** A client whose role may use the route, so the input itself is what is judged. */
const clientFor = (route: (typeof apiRoutes)[number]) =>
  !route.permission || roleAllows('admin', route.permission)
    ? admin
    : roleAllows('professional', route.permission)
      ? professional
      : parent;
afterAll(() => t.close());

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
/** Parameters that are not ids get a valid value of their own, so the body is what is at fault. */
const SAMPLE_PARAMS: Record<string, string> = {
  kind: 'knowledge',
  version: '1',
  type: 'Encounter',
  recordType: 'signal',
};
const urlOf = (pattern: string) =>
  pattern.replace(/:([a-zA-Z]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? SAMPLE_ID);

const writingRoutes = apiRoutes.filter((route) => route.method !== 'GET');

/**
 * The error's code and the fields at fault: Kring's own error body, or on /fhir the
 * OperationOutcome (its issue code, each field as an issue's expression).
 */
function errorOf(response: { json: () => Record<string, unknown> }) {
  const body = response.json() as {
    code?: string;
    fields?: { field: string }[];
    resourceType?: string;
    issue?: { code: string; expression?: string[] }[];
  };
  if (body.resourceType === 'OperationOutcome') {
    return {
      code: body.issue?.[0]?.code,
      fields: (body.issue ?? []).flatMap((i) => i.expression ?? []).map((field) => ({ field })),
    };
  }
  return { code: body.code, fields: body.fields ?? [] };
}
const isFhir = (route: (typeof apiRoutes)[number]) => route.url.startsWith('/fhir');

describe('bad input', () => {
  for (const route of writingRoutes) {
    const url = urlOf(route.url);
    const client = () => clientFor(route);

    it(`${route.method} ${route.url}: malformed JSON → 400 MALFORMED_JSON, nothing written`, async () => {
      const before = await tableCounts(t.db);
      const response = await client().request(route.method, url, '{"email": "x@y.z",', {
        'content-type': 'application/json',
      });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe(isFhir(route) ? 'invalid' : 'MALFORMED_JSON');
      expect(await tableCounts(t.db)).toEqual(before);
    });

    it(`${route.method} ${route.url}: oversized body → 413, nothing written`, async () => {
      const before = await tableCounts(t.db);
      const response = await client().request(route.method, url, { padding: 'x'.repeat(BODY_LIMIT_BYTES + 10) });
      expect(response.statusCode).toBe(413);
      expect(errorOf(response).code).toBe(isFhir(route) ? 'too-long' : 'PAYLOAD_TOO_LARGE');
      expect(await tableCounts(t.db)).toEqual(before);
    });

    it(`${route.method} ${route.url}: not JSON → 415, nothing written`, async () => {
      const before = await tableCounts(t.db);
      // A FHIR search also takes a form (POST [type]/_search); plain text is nobody's.
      const response = await client().request(route.method, url, 'email=a', {
        'content-type': isFhir(route) ? 'text/plain' : 'application/x-www-form-urlencoded',
      });
      expect(response.statusCode).toBe(415);
      expect(await tableCounts(t.db)).toEqual(before);
    });

    it(`${route.method} ${route.url}: unknown fields and wrong types → 4xx naming the field`, async () => {
      const before = await tableCounts(t.db);
      const unknown = await client().request(route.method, url, { unexpected: true, code: 12, email: 5, token: [] });
      expect(unknown.statusCode).toBeGreaterThanOrEqual(400);
      expect(unknown.statusCode).toBeLessThan(500);
      if (unknown.statusCode === 400) {
        const error = errorOf(unknown);
        expect(error.code).toBe(isFhir(route) ? 'invalid' : 'VALIDATION_FAILED');
        expect(error.fields.length).toBeGreaterThan(0);
        // On /fhir a resource's element is named as FHIR does (Encounter.type).
        expect(error.fields[0]?.field).toMatch(isFhir(route) ? /^(body|[A-Z][A-Za-z]+)(\.|$)/ : /^body/);
      }
      const after = await tableCounts(t.db);
      expect({ ...after, login_throttle: 0 }).toEqual({ ...before, login_throttle: 0 });
    });
  }

  it('refuses a NUL character anywhere in a body or a query with 400 naming the field, not a 5xx', async () => {
    const before = await tableCounts(t.db);
    for (const route of writingRoutes) {
      const response = await clientFor(route).request(route.method, urlOf(route.url), {
        email: 'a@b.nl',
        nested: [{ note: 'voor\u0000na' }],
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(400);
      const fields = errorOf(response).fields.map((f) => f.field);
      expect(fields, `${route.method} ${route.url}`).toEqual(['body.nested.0.note']);
    }
    const after = await tableCounts(t.db);
    expect({ ...after, login_throttle: 0 }).toEqual({ ...before, login_throttle: 0 });
    const search = await professional.get('/fhir/Patient?name=Jan%00sen');
    expect(search.statusCode).toBe(400);
    expect(errorOf(search).fields.map((f) => f.field)).toEqual(['query.name']);
    const key = await professional.get('/fhir/Patient?na%00me=x');
    expect(key.statusCode).toBe(400);
    expect(errorOf(key).fields.map((f) => f.field)).toEqual(['query.na\\u0000me']);
  });

  it('refuses a date that does not exist in a FHIR search with 400, not a 5xx', async () => {
    const response = await professional.get('/fhir/Patient?birthdate=2026-02-30');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).fields.map((f) => f.field)).toEqual(['query.birthdate']);
  });

  it('names each wrong field of the login body', async () => {
    const response = await t.anonymous().post('/api/auth/login', { email: 42, password: '', extra: 1 });
    expect(response.statusCode).toBe(400);
    const fields = response.json().fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body']));
  });

  it('refuses a path id that is not a UUID with 400, naming the parameter', async () => {
    const response = await admin.get('/api/accounts/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual([{ field: 'params.id', message: 'must be a UUID' }]);
  });

  it('refuses an unknown or wrongly typed query parameter', async () => {
    expect((await admin.get('/api/audit-events?limit=many')).statusCode).toBe(400);
    expect((await admin.get('/api/audit-events?surname=Jansen')).statusCode).toBe(400);
  });

  it('answers an unknown route with 404 and a known route with the wrong method with 405', async () => {
    expect((await admin.get('/api/nothing-here')).json().code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await admin.request('DELETE', '/api/organisations');
    expect(wrongMethod.statusCode).toBe(405);
  });

  it('sends security headers on every answer', async () => {
    const response = await t.anonymous().get('/api/health');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, TEST_PASSWORD, type TestApp } from '../../test/helpers.ts';
import { apiRoutes, buildApp } from '../app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the API contract', () => {
  it('describes every route in the OpenAPI document, with its schemas', async () => {
    const response = await t.anonymous().get('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const route of apiRoutes) {
      const path = route.url.replace(/:([a-zA-Z]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    const login = doc.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
  });

  it('answers health with the database engine', async () => {
    const response = await t.anonymous().get('/api/health');
    expect(response.json()).toEqual({ status: 'ok', database: t.database.kind });
  });
});

describe('logs', () => {
  it('never contain an e-mail address, a password, a query string or a session token', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = { ...t.config, logLevel: 'trace' as const };
    const app = await buildApp({ config, database: t.database }, { logStream: stream });
    const { email } = await seedAccount(t.db, { kind: 'admin' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    const cookie = login.cookies.find((c) => c.name === 'kring_session')?.value ?? '';
    await app.inject({
      method: 'GET',
      url: '/api/audit-events?action=auth.login',
      headers: { cookie: `kring_session=${cookie}` },
    });
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    // FHIR searches carry personal data in the query string, as the spec wants: never logged.
    await app.inject({
      method: 'GET',
      url: '/fhir/Patient?name=Geheimnaam&birthdate=1994-03-12',
      headers: { cookie: `kring_session=${cookie}` },
    });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/api/audit-events');
    expect(log).not.toContain(email);
    expect(log).not.toContain(TEST_PASSWORD);
    expect(log).not.toContain('action=auth.login');
    expect(log).toContain('/fhir/Patient');
    expect(log).not.toContain('Geheimnaam');
    expect(log).not.toContain('1994-03-12');
    expect(log).not.toContain(cookie);
  });
});

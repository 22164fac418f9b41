import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';

const TOKEN = 'metrics-token-for-the-test';
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ KRING_METRICS_TOKEN: TOKEN });
  await seedRegion(t.db);
});
afterEach(() => t.close());

describe('the metrics endpoint', () => {
  it('counts requests per route template and carries no personal data', async () => {
    const organisationId = await seedOrganisation(t.db, 'verloskundigenpraktijk');
    const account = await seedAccount(t.db, { kind: 'professional', organisationId });
    const midwife = await t.signIn(account.email);
    const familyId = (await midwife.post('/api/families', registration())).json().familyId;
    await midwife.get(`/api/families/${familyId}`);
    const unknown = randomUUID();
    await midwife.get(`/api/families/${unknown}`);
    await midwife.get('/api/families/search?name=Jansen');

    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const response = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    expect(text).toContain('kring_http_requests_total{method="GET",route="/api/families/:familyId",status="2xx"} 1');
    // The unknown family (404) and the GET with a query, which that template refuses (400): two.
    expect(text).toContain('kring_http_requests_total{method="GET",route="/api/families/:familyId",status="4xx"} 2');
    expect(text).toContain(
      'kring_http_request_duration_seconds_bucket{method="POST",route="/api/auth/login",status="2xx",le="+Inf"} 1',
    );
    expect(text).toMatch(/^kring_mail_queue 0$/m);
    for (const secret of [familyId, unknown, account.email, 'Jansen', account.id]) expect(text).not.toContain(secret);
  });
});

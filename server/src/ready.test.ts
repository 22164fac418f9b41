import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('readiness', () => {
  it('answers 503 while a migration of this release is not applied', async () => {
    expect((await t.anonymous().get('/api/ready')).json()).toEqual({ status: 'ready', pendingMigrations: 0 });
    await sql`DELETE FROM schema_migrations WHERE name = '013-password-reset.sql'`.execute(t.db);
    const response = await t.anonymous().get('/api/ready');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', pendingMigrations: 1 });
  });
});

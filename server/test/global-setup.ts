import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectPostgres, PGLITE_OPTIONS, wrapPGlite } from '../src/database/connect.ts';
import { migrate } from '../src/database/migrate.ts';

/**
 * Migrate one template database per run; every test copies it (PGlite: a data-dir dump; PostgreSQL:
 * CREATE DATABASE … TEMPLATE), so no test pays for initdb and migrations.
 */
export default async function setup(project: TestProject) {
  const engine = process.env.KRING_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite';
  const runId = `${Date.now().toString(36)}${process.pid}`;
  project.provide('engine', engine);
  project.provide('runId', runId);

  if (engine === 'pglite') {
    const pglite = await PGlite.create(PGLITE_OPTIONS);
    const database = wrapPGlite(pglite);
    await migrate(database);
    const dump = await pglite.dumpDataDir('none');
    const dir = path.resolve('.test-tmp');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `template-${runId}.tar`);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide('template', file);
    return () => fs.rmSync(file, { force: true });
  }

  const serverUrl = process.env.KRING_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('KRING_TEST_DB=postgresql needs KRING_TEST_DATABASE_URL');
  const template = `kring_test_${runId}_template`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const database = connectPostgres(withDatabase(serverUrl, template), 1);
  await migrate(database);
  await database.close();
  project.provide('template', template);
  return async () => {
    const rows = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `kring_test_${runId}_%`,
    ]);
    for (const { datname } of rows.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  };
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    engine: 'pglite' | 'postgresql';
    runId: string;
    template: string;
  }
}

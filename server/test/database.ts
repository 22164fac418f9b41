import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { connectPostgres, type Database, PGLITE_OPTIONS, wrapPGlite } from '../src/database/connect.ts';
import { withDatabase } from './global-setup.ts';

let counter = 0;

/** A fresh, migrated database copied from the run's template, on the engine under test. */
export async function freshDatabase(): Promise<Database> {
  const template = inject('template');
  if (inject('engine') === 'pglite') {
    const blob = new Blob([fs.readFileSync(template)]);
    const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: blob });
    return wrapPGlite(pglite);
  }
  const serverUrl = process.env.KRING_TEST_DATABASE_URL as string;
  const name = `kring_test_${inject('runId')}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Another worker's copy, or the template's closing migration connection, can hold the template
    // for a moment (55006 "being accessed by other users"): wait and try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      }
    }
  } finally {
    await admin.end();
  }
  const database = connectPostgres(withDatabase(serverUrl, name), 5);
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './connect.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files in order: NNN-name.sql. */
export function listMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{3}-[a-z0-9-]+\.sql$/.test(name))
    .sort();
}

/**
 * Apply the plain SQL migrations that have not run yet, each in its own transaction. A session
 * advisory lock keeps two Kring processes starting together on one PostgreSQL from racing.
 * Returns the names applied.
 */
export async function migrate(database: Database): Promise<string[]> {
  return database.withScriptRunner(async (run) => {
    const applied: string[] = [];
    await run('SELECT pg_advisory_lock(20011001)');
    try {
      await run(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await run('SELECT name FROM schema_migrations');
      const doneNames = new Set(done.map((row) => String(row.name)));
      for (const name of listMigrations()) {
        if (doneNames.has(name)) continue;
        const text = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
        await run(`BEGIN;\n${text}\n;INSERT INTO schema_migrations (name) VALUES ('${name}');\nCOMMIT;`);
        applied.push(name);
      }
    } catch (error) {
      await run('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await run('SELECT pg_advisory_unlock(20011001)');
    }
    return applied;
  });
}

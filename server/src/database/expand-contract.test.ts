import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../test/database.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { Database } from './connect.ts';
import { listMigrations } from './migrate.ts';
import { readReleasedQueries } from './release-queries.ts';
import type { DB } from './schema.ts';

/**
 * Upgrades without downtime (ARCHITECTURE.md, "Migrations: expand → migrate → contract"): while
 * processes of the previous release still run, the schema the next release migrated must accept
 * every statement the previous release runs. `released-queries.json` holds those statements
 * (recorded with `npm run queries:record` at each release); here they run against this release's
 * schema, each in a transaction that is rolled back.
 */

/** Errors that mean the schema no longer fits a statement (not that the data differs). */
const SCHEMA_ERRORS: Record<string, string> = {
  '42703': 'a column is gone or renamed',
  '42P01': 'a table is gone or renamed',
  '42883': 'a function or operator no longer fits the types',
  '42804': 'a column changed type',
  '22P02': 'a column changed type',
  '42846': 'a column changed type',
  '23502': 'a new NOT NULL column without a default',
  '23514': 'a new check refuses what the previous release writes',
};

class RolledBack extends Error {}

async function replay(db: Kysely<DB>) {
  const broken: { sql: string; why: string }[] = [];
  for (const query of readReleasedQueries()) {
    try {
      await db.transaction().execute(async (tx) => {
        await tx.executeQuery(CompiledQuery.raw(query.sql, query.parameters));
        throw new RolledBack();
      });
    } catch (error) {
      const why = SCHEMA_ERRORS[(error as { code?: string }).code ?? ''];
      if (why) broken.push({ sql: query.sql.slice(0, 120), why });
    }
  }
  return broken;
}

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
});
afterEach(() => database.close());

describe('upgrades without downtime: expand → migrate → contract', () => {
  it("runs every statement of the previous release against this release's schema", async () => {
    const released = readReleasedQueries();
    expect(released.length).toBeGreaterThan(80);
    expect(released.some((q) => q.sql.startsWith('insert into "contacts"'))).toBe(true);
    expect(await replay(database.db)).toEqual([]);
  });

  it('catches a contract step taken while the previous release still uses the column', async () => {
    await database.db.executeQuery(CompiledQuery.raw('ALTER TABLE contacts RENAME COLUMN occurred_on TO happened_on'));
    await database.db.executeQuery(
      CompiledQuery.raw('ALTER TABLE signals ADD COLUMN weight integer NOT NULL DEFAULT 1'),
    );
    await database.db.executeQuery(CompiledQuery.raw('ALTER TABLE signals ALTER COLUMN weight DROP DEFAULT'));
    const broken = await replay(database.db);
    expect(broken.map((b) => b.why)).toContain('a column is gone or renamed');
    expect(broken.map((b) => b.why)).toContain('a new NOT NULL column without a default');
  });

  it('keeps prepared statements working when a newer release adds a column to a table read with *', async () => {
    const familyId = '00000000-0000-4000-8000-000000000000';
    const readAll = () =>
      Promise.all(
        Array.from({ length: 5 }, () =>
          database.db.selectFrom('signals').selectAll().where('family_id', '=', familyId).execute(),
        ),
      );
    await readAll(); // prepared on each of the pool's five connections (PostgreSQL)
    await database.db.executeQuery(CompiledQuery.raw('ALTER TABLE signals ADD COLUMN weight integer'));
    // Outside a transaction the statement is prepared afresh at once: nothing fails.
    expect(await readAll()).toEqual(Array.from({ length: 5 }, () => []));
    await readAll(); // prepared again under new names
    await database.db.executeQuery(CompiledQuery.raw('ALTER TABLE signals ADD COLUMN colour text'));
    const inTransactions = () =>
      Promise.allSettled(
        Array.from({ length: 5 }, () =>
          database.db
            .transaction()
            .execute((tx) => tx.selectFrom('signals').selectAll().where('family_id', '=', familyId).execute()),
        ),
      );
    // Inside a transaction the error has aborted it: that one attempt fails, the next ones work.
    const first = await inTransactions();
    if (inject('engine') === 'postgresql') {
      expect(first.map((r) => r.status)).toEqual(Array.from({ length: 5 }, () => 'rejected'));
    }
    expect((await inTransactions()).map((r) => r.status)).toEqual(Array.from({ length: 5 }, () => 'fulfilled'));
  });

  it('keeps contract steps out of ordinary migrations', () => {
    const dir = path.join(import.meta.dirname, 'migrations');
    const contract =
      /\b(DROP\s+COLUMN|DROP\s+TABLE|RENAME\s+(COLUMN|TO)|ALTER\s+COLUMN\s+\S+\s+(TYPE|SET\s+NOT\s+NULL))\b/i;
    const notNullWithoutDefault = /ADD\s+COLUMN\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)/i;
    for (const name of listMigrations()) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8').replace(/--.*$/gm, '');
      if (!/^\d{3}-contract-/.test(name)) expect(contract.test(text), name).toBe(false);
      expect(notNullWithoutDefault.test(text), name).toBe(false);
    }
  });
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../test/database.ts';
import type { Database } from './connect.ts';

// Prepared statements are PostgreSQL's (PGlite runs each statement as it comes).
describe.runIf(inject('engine') === 'postgresql')('prepared statements on a connection', () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it('keeps the 1,000 used most recently, so a connection that saw many statements still prepares new ones', async () => {
    // One transaction holds one connection; each k makes a statement text of its own.
    const result = await database.db.transaction().execute(async (tx) => {
      const run = (k: number) => sql<{ n: number }>`SELECT ${k}::int + ${sql.lit(k)} AS n`.execute(tx);
      for (let k = 0; k < 1100; k++) await run(k);
      // The hot statement, seen after the connection filled up, is prepared all the same.
      const hot = sql<{ n: number }>`SELECT ${1}::int AS n, 'hot' AS kind`;
      await hot.execute(tx);
      const prepared = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(tx);
      // The first ones were let go to make room, and still run (prepared again).
      const first = await run(0);
      return { prepared: prepared.rows.map((r) => r.statement), first: first.rows[0]?.n };
    });
    expect(result.prepared.length).toBeLessThanOrEqual(1000);
    expect(result.prepared.some((s) => s.includes("'hot'"))).toBe(true);
    expect(result.prepared.some((s) => s.includes('+ 1099'))).toBe(true);
    expect(result.prepared.some((s) => s.includes('+ 0 '))).toBe(false);
    expect(result.first).toBe(0);
  });

  it('never lets go of a statement that failed on its first use (it may not exist: the transaction would fail)', async () => {
    const n = await database.db.transaction().execute(async (tx) => {
      await sql`SAVEPOINT before`.execute(tx);
      await expect(sql`SELECT no_such_column FROM families`.execute(tx)).rejects.toThrow(/no_such_column/);
      await sql`ROLLBACK TO SAVEPOINT before`.execute(tx);
      for (let k = 0; k < 1100; k++) await sql`SELECT ${k}::int + ${sql.lit(k)}`.execute(tx);
      return (await sql<{ n: number }>`SELECT ${2}::int AS n`.execute(tx)).rows[0]?.n;
    });
    expect(n).toBe(2);
  });
});

import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/database.ts';
import { createTestApp, seedAccount, type TestApp } from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { BackupError, restoreBackup, writeBackup } from './backup.ts';
import type { Database } from './connect.ts';
import { listMigrations } from './migrate.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function backupOf(database: Database): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeBackup(database, out);
  return Buffer.concat(chunks);
}

/** Every row of every table (and the migrations), as sorted JSON text: what "the same data" means. */
async function everything(database: Database): Promise<Record<string, string[]>> {
  return database.withScriptRunner(async (run) => {
    const tables = await run("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const all: Record<string, string[]> = {};
    for (const { tablename } of tables) {
      if (tablename === 'schema_migrations') {
        all[tablename] = (await run('SELECT name FROM schema_migrations ORDER BY name')).map((r) => String(r.name));
        continue;
      }
      const rows = await run(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      all[String(tablename)] = rows.map((r) => String(r.row)).sort();
    }
    return all;
  });
}

describe('backup and restore', () => {
  it('backs up, wipes, restores and compares everything, the audit chains included', async () => {
    await seedDemo(t.db);
    // Audit chains of real use on top of the demo.
    const jgz = await t.signIn('jgz@duinstad.demo', 'kring-demo');
    for (const family of (await jgz.get('/api/caseload')).json().families.slice(0, 3)) {
      await jgz.get(`/api/families/${family.familyId}`);
    }
    const before = await everything(t.database);
    expect(before.audit_events?.length).toBeGreaterThan(3);
    expect(before.guide_answers?.length).toBeGreaterThan(0);
    const backup = await backupOf(t.database);

    // An existing Kring database is not overwritten by accident.
    await expect(restoreBackup(t.database, Readable.from(backup))).rejects.toThrow(/--replace/);
    // Wipe and restore into the same database.
    const result = await restoreBackup(t.database, Readable.from(backup), { replace: true });
    expect(result.applied).toEqual([]);
    expect(await everything(t.database)).toEqual(before);
    const audit = await verifyAudit(t.db);
    expect(audit.broken).toEqual([]);
    expect(audit.events).toBe(before.audit_events?.length);

    // And into another, empty database, which then works as the original did.
    const other = await freshDatabase();
    try {
      await other.withScriptRunner(async (run) => {
        await run('DROP SCHEMA public CASCADE');
        await run('CREATE SCHEMA public');
      });
      await restoreBackup(other, Readable.from(backup));
      expect(await everything(other)).toEqual(before);
    } finally {
      await other.close();
    }
  });

  it('refuses a file that is not a Kring backup, or a damaged one, and changes nothing', async () => {
    await seedAccount(t.db, { kind: 'admin' });
    const before = await everything(t.database);
    const backup = await backupOf(t.database);
    const attempts: [Buffer, RegExp][] = [
      [Buffer.from('name,email\nx,y\n'), /not a Kring backup/],
      [gzipSync('{"hello":"world"}\n'), /not a Kring backup/],
      // Cut short: the gzip trailer (checksum and length) and the last bytes are missing.
      [backup.subarray(0, backup.length - 12), /incomplete \(the file is cut short\)/],
      [
        gzipSync(
          `${JSON.stringify({ format: 'kring-backup', formatVersion: 1, createdAt: '', migrations: [...listMigrations(), '999-future.sql'], tables: {} })}\n`,
        ),
        /newer or different release/,
      ],
      [
        gzipSync(
          `${JSON.stringify({ format: 'kring-backup', formatVersion: 1, createdAt: '', migrations: listMigrations(), tables: { accounts: 2 } })}\n{"table":"accounts"}\n{"end":true}\n`,
        ),
        /accounts should have 2 rows/,
      ],
      [
        gzipSync(
          `${JSON.stringify({ format: 'kring-backup', formatVersion: 1, createdAt: '', migrations: listMigrations(), tables: {} })}\n{"table":"accounts"}\n{"id":"not a uuid"}\n{"end":true}\n`,
        ),
        /database error 22P02\); nothing was changed/,
      ],
    ];
    for (const [file, message] of attempts) {
      const attempt = restoreBackup(t.database, Readable.from(file), { replace: true });
      await expect(attempt).rejects.toThrow(BackupError);
      await expect(restoreBackup(t.database, Readable.from(file), { replace: true })).rejects.toThrow(message);
      expect(await everything(t.database)).toEqual(before);
    }
  });
});

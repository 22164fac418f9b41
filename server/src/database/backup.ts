import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import type { Database } from './connect.ts';
import { listMigrations, migrate } from './migrate.ts';
import { kringTables, loadOrder, quote } from './table-order.ts';

/**
 * Kring's own backup format, the same for the embedded database and PostgreSQL: gzip-compressed
 * JSON lines. First a header (format, the migrations the data belongs to, every table with its row
 * count), then per table a line naming it and one line per row (PostgreSQL's own `row_to_json`, so
 * every type survives exactly), then an end line. Read in one repeatable-read snapshot: consistent.
 */
export const BACKUP_FORMAT = 'kring-backup';
const FORMAT_VERSION = 1;
const FETCH_ROWS = 1000;
const INSERT_ROWS = 500;
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
}

/** A restore refused before anything changed: the message says why, for one line on a terminal. */
export class BackupError extends Error {}

/** The rows of one table as JSON text; a self-referring table's rows after the rows they refer to. */
function rowsQuery(table: string, selfKey: { column: string; parentColumn: string } | undefined): string {
  if (!selfKey) return `SELECT row_to_json(t)::text AS row FROM ${quote(table)} t`;
  const column = quote(selfKey.column);
  const parent = quote(selfKey.parentColumn);
  return `WITH RECURSIVE depth AS (
      SELECT ${parent} AS key, 0 AS level FROM ${quote(table)} WHERE ${column} IS NULL
      UNION ALL
      SELECT t.${parent}, d.level + 1 FROM ${quote(table)} t JOIN depth d ON t.${column} = d.key)
    SELECT row_to_json(t)::text AS row FROM ${quote(table)} t JOIN depth d ON d.key = t.${parent} ORDER BY d.level`;
}

/** Write a consistent, compressed backup of the whole database to a stream. */
export async function writeBackup(database: Database, out: Writable): Promise<BackupHeader> {
  const gzip = createGzip();
  const done = pipeline(gzip, out);
  const header = await database.withScriptRunner(async (run) => {
    await run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const migrations = (await run('SELECT name FROM schema_migrations ORDER BY name')).map((r) => String(r.name));
      const tables = await kringTables(run);
      const { ordered, selfKeys } = await loadOrder(run, tables);
      const counts: Record<string, number> = {};
      for (const table of ordered) {
        counts[table] = Number((await run(`SELECT count(*) AS n FROM ${quote(table)}`))[0]?.n);
      }
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        formatVersion: FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        migrations,
        tables: counts,
      };
      await write(gzip, `${JSON.stringify(header)}\n`);
      for (const table of ordered) {
        await write(gzip, `${JSON.stringify({ table })}\n`);
        await run(`DECLARE backup_rows NO SCROLL CURSOR FOR ${rowsQuery(table, selfKeys.get(table))}`);
        for (;;) {
          const rows = await run(`FETCH ${FETCH_ROWS} FROM backup_rows`);
          if (rows.length === 0) break;
          await write(gzip, `${rows.map((r) => r.row).join('\n')}\n`);
        }
        await run('CLOSE backup_rows');
      }
      await write(gzip, `${JSON.stringify({ end: true })}\n`);
      return header;
    } finally {
      await run('ROLLBACK');
    }
  });
  gzip.end();
  await done;
  return header;
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(text)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });
}

/** The lines of a gzip stream; a stream that is not gzip, or is cut short, ends in a BackupError. */
async function* lines(input: Readable): AsyncGenerator<string> {
  const text = new PassThrough();
  let failure: BackupError | undefined;
  const piped = pipeline(input, createGunzip(), text).catch((error: { code?: string }) => {
    failure = new BackupError(
      error.code === 'Z_BUF_ERROR'
        ? 'This backup is incomplete (the file is cut short); nothing was restored.'
        : 'This file is not a Kring backup.',
    );
  });
  try {
    yield* readline.createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });
  } catch {
    // The pipeline destroyed the text stream with the gzip error; its own handler names it.
  }
  await piped;
  if (failure) throw failure;
}

function parseHeader(line: string | undefined): BackupHeader {
  let header: Partial<BackupHeader> | undefined;
  try {
    header = line ? JSON.parse(line) : undefined;
  } catch {
    header = undefined;
  }
  if (header?.format !== BACKUP_FORMAT || !Array.isArray(header.migrations) || typeof header.tables !== 'object') {
    throw new BackupError('This file is not a Kring backup.');
  }
  if (header.formatVersion !== FORMAT_VERSION) {
    throw new BackupError(
      `This backup has format version ${header.formatVersion}; this release reads ${FORMAT_VERSION}.`,
    );
  }
  const release = listMigrations();
  const known = header.migrations.every((name, i) => release[i] === name);
  if (!known) {
    throw new BackupError(
      'This backup was made by a newer or different release of Kring; restore it with that release.',
    );
  }
  return header as BackupHeader;
}

/**
 * Restore a backup into the database, in one transaction: either everything is restored, or
 * nothing changed. The schema is rebuilt at the backup's migration level (an existing Kring schema
 * only with `replace`: it is dropped), the rows are loaded and counted against the header, and
 * the migrations this release adds are applied afterwards.
 */
export async function restoreBackup(database: Database, input: Readable, options: { replace?: boolean } = {}) {
  const iterator = lines(input)[Symbol.asyncIterator]();
  const next = async () => {
    const result = await iterator.next();
    return result.done ? undefined : result.value;
  };
  const header = parseHeader(await next());
  const restored: Record<string, number> = {};
  await database.withScriptRunner(async (run) => {
    const existing = await kringTables(run);
    if (existing.length > 0 && !options.replace) {
      throw new BackupError(
        'This database already holds Kring tables. Restore into an empty database, or add --replace to drop them.',
      );
    }
    await run('BEGIN');
    try {
      for (const table of existing) await run(`DROP TABLE IF EXISTS ${quote(table)} CASCADE`);
      await run('DROP TABLE IF EXISTS schema_migrations');
      await run(
        'CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const name of header.migrations) {
        await run(fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
        await run(`INSERT INTO schema_migrations (name) VALUES ('${name}')`);
      }
      const tables = new Set(await kringTables(run));
      let table: string | undefined;
      let batch: string[] = [];
      const flush = async () => {
        if (!table || batch.length === 0) return;
        const tag = `kring_${randomBytes(8).toString('hex')}`;
        const json = `[${batch.join(',')}]`;
        if (json.includes(`$${tag}$`)) throw new BackupError('This backup is damaged.');
        await run(
          `INSERT INTO ${quote(table)} SELECT * FROM json_populate_recordset(NULL::${quote(table)}, $${tag}$${json}$${tag}$::json)`,
        );
        restored[table] = (restored[table] ?? 0) + batch.length;
        batch = [];
      };
      let ended = false;
      for (let line = await next(); line !== undefined; line = await next()) {
        if (ended) throw new BackupError('This backup has data after its end.');
        if (line.startsWith('{"table":')) {
          await flush();
          table = (JSON.parse(line) as { table: string }).table;
          if (!tables.has(table)) throw new BackupError(`This backup names an unknown table (${table}).`);
        } else if (line === '{"end":true}') {
          await flush();
          ended = true;
        } else {
          if (!table) throw new BackupError('This backup is damaged: a row before any table.');
          batch.push(line);
          if (batch.length >= INSERT_ROWS) await flush();
        }
      }
      if (!ended) throw new BackupError('This backup is incomplete (it has no end); nothing was restored.');
      for (const [name, count] of Object.entries(header.tables)) {
        if ((restored[name] ?? 0) !== count) {
          throw new BackupError(
            `This backup is damaged: ${name} should have ${count} rows, it has ${restored[name] ?? 0}.`,
          );
        }
      }
      await run('COMMIT');
    } catch (error) {
      await run('ROLLBACK').catch(() => {});
      if (error instanceof BackupError) throw error;
      // The database's own message may quote a value from the file: only its code is shown.
      const code = (error as { code?: string }).code ?? 'unknown';
      throw new BackupError(`This backup could not be restored (database error ${code}); nothing was changed.`);
    }
  });
  const applied = await migrate(database);
  return { header, restored, applied };
}

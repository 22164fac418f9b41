import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgresql';

export type ScriptRunner = (script: string) => Promise<Record<string, unknown>[]>;

/** An open database: the typed query builder, which engine it is, and how to close it. */
export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /**
   * Run scripts of several SQL statements (migrations) on one connection, with no parameters;
   * each run answers the rows of its last statement.
   */
  withScriptRunner<T>(fn: (run: ScriptRunner) => Promise<T>): Promise<T>;
  /** The embedded engine, when it is one (tests dump and clone it). */
  pglite?: PGlite;
}

// int8 (count(*), sums) as a number on pg, as PGlite already does, so both engines agree; and
// date as its ISO text ('2026-06-01') on both, never a Date shifted by the server's time zone.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1082, (value) => value);
const DATE_OID = 1082;

/** Options for every PGlite instance Kring creates (tests and benchmarks included). */
export const PGLITE_OPTIONS = { parsers: { [DATE_OID]: (value: string) => value } };

/** Connect to PostgreSQL when a URL is given, otherwise open the embedded database in dataDir. */
export async function connectDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl);
  if (!options.dataDir) throw new Error('connectDatabase needs a databaseUrl or a dataDir');
  return openPGlite(options.dataDir);
}

export function connectPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, Client: PreparingClient });
  // An idle connection dropped by the server (restart, failover, a terminated backend) must not
  // crash the process: the pool replaces it at the next query.
  pool.on('error', (error) => {
    console.error(
      `PostgreSQL connection lost (${(error as { code?: string }).code ?? 'no code'}); reconnecting on demand.`,
    );
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgresql',
    close: () => db.destroy(),
    withScriptRunner: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn(async (script) => {
          const result = (await client.query(script)) as pg.QueryResult | pg.QueryResult[];
          return (Array.isArray(result) ? result.at(-1)?.rows : result.rows) ?? [];
        });
      } finally {
        client.release();
      }
    },
  };
}

/**
 * A connection that prepares each distinct statement once (a named statement per SQL text): the
 * server then skips parsing and, for statements run often, can reuse a generic plan — planning
 * the family record cost more than running it. It keeps the 1,000 statements used most recently:
 * the least recently used one is deallocated to make room, so statements seen once (a seed, a list
 * of a new length) never crowd out the ones the app runs all day. (Without that, a connection that
 * had seen 1,000 texts prepared nothing new: after the benchmark's seeding every operation ran
 * 10–25 % slower on the seeding's connections.)
 *
 * When a newer release's migration adds a column to a table read with `*`, PostgreSQL refuses the
 * prepared statement ("cached plan must not change result type", 0A000): the statement is then
 * prepared afresh under a new name — at once outside a transaction; inside one, which the error
 * has aborted, from the next use on.
 */
class PreparingClient extends pg.Client {
  /** SQL text → statement name, least recently used first. */
  #names = new Map<string, string>();
  #prepared = 0;

  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && !callback && config.length <= MAX_PREPARED_TEXT) {
      const known = this.#names.get(config);
      const name = known ?? `k${this.#prepared++}`;
      if (known) this.#names.delete(config);
      else if (this.#names.size >= MAX_PREPARED_PER_CONNECTION) this.#deallocateLeastRecent();
      this.#names.set(config, name);
      return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch((error: unknown) => {
        // A statement that failed on its first use may not exist on the server: never deallocate it.
        if (!known || isStalePlan(error)) this.#names.delete(config);
        if (!isStalePlan(error) || this.getTransactionStatus() !== 'I') throw error;
        return super.query(config, values);
      });
    }
    return super.query(config, values, callback);
  }

  #deallocateLeastRecent(): void {
    const [text, name] = this.#names.entries().next().value as [string, string];
    this.#names.delete(text);
    // pg remembers each name it has parsed; names are never used again, so forget it there too.
    const parsed = (this as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection
      ?.parsedStatements;
    if (parsed) delete parsed[name];
    // Queued before the next statement. In a transaction that already failed it fails too, and the
    // statement stays on the server until the connection closes.
    (super.query(`DEALLOCATE ${name}`) as Promise<unknown>).catch(() => {});
  }
}

/** PostgreSQL's refusal of a prepared statement whose table gained or lost a column since. */
const isStalePlan = (error: unknown) =>
  (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(error));

const MAX_PREPARED_PER_CONNECTION = 1000;
const MAX_PREPARED_TEXT = 32_768;

/** Open (or create) the embedded database in a folder, holding a lock file so a second process refuses. */
export async function openPGlite(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(dataDir);
  try {
    const pglite = await PGlite.create(path.join(dataDir, 'pgdata'), PGLITE_OPTIONS);
    return wrapPGlite(pglite, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Use an already created PGlite instance (in memory, or loaded from a dump in tests). */
export function wrapPGlite(
  pglite: PGlite,
  onClose: () => void = () => {},
  /** Called with every statement run (the expand/contract check records a release's queries). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void,
): Database {
  const db = new Kysely<DB>({
    dialect: new SerialPGliteDialect({ pglite }),
    ...(onQuery && {
      log: (event) => {
        if (event.level === 'query') onQuery(event.query.sql, event.query.parameters);
      },
    }),
  });
  return {
    db,
    kind: 'pglite',
    pglite,
    // Scripts run before the app serves requests, so nothing else uses the connection meanwhile.
    withScriptRunner: (fn) =>
      fn(async (script) => {
        const results = await pglite.exec(script);
        return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
      }),
    close: async () => {
      await db.destroy();
      onClose();
    },
  };
}

/** Thrown when another process holds the embedded database folder. */
export class DataDirBusyError extends Error {}

const LOCK_FILE = 'kring.lock';

/** PGlite allows one process per folder: a lock file with our pid keeps a second one out. */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const holder = readLockHolder(dataDir);
  if (holder !== undefined && holder !== process.pid) {
    throw new DataDirBusyError(
      `The embedded database in ${dataDir} is in use by a running Kring (process ${holder}); stop it first.`,
    );
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    if (readLockHolder(dataDir) === process.pid) fs.rmSync(lockPath, { force: true });
  };
}

/** The pid of a live process holding the folder, if any (a stale lock from a crash is ignored). */
export function readLockHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Kysely's PGlite driver shares one connection between concurrent callers, so a query could run
 * inside another request's open transaction. This driver hands the connection to one caller at a
 * time (a query, or a whole transaction), which is what a single-connection engine needs.
 */
class SerialPGliteDialect extends PGliteDialect {
  override createDriver(): Driver {
    return new SerialDriver(super.createDriver());
  }
}

class SerialDriver implements Driver {
  #inner: Driver;
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(connection);
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

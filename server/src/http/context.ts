import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SelectQueryBuilder, Transaction } from 'kysely';
import { Access, type Actor, type SystemScopes } from '../access/access.ts';
import { FamilyStore } from '../access/family-store.ts';
import {
  type AuditEntry,
  type AuditSource,
  auditedSelect,
  type ReadAudit,
  writeAudit,
  writeAudits,
} from '../audit/write-audit.ts';
import type { Config } from '../config.ts';
import type { Database } from '../database/connect.ts';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';

/** What the app is built from. */
export interface AppDeps {
  config: Config;
  database: Database;
}

/** A session as loaded for a request. */
export interface Session {
  id: string;
  accountId: string;
  stage: 'active' | 'second_factor';
  csrfToken: string;
}

/** A transaction with its audit writer: the audit record commits or rolls back with the work. */
export interface Tx {
  db: Transaction<DB>;
  /** Append to the audit trail in this transaction; source defaults to the request's actor. */
  audit(entry: AuditEntry, source?: AuditSource): Promise<void>;
  /** Append several events (each family on its own chain) in one statement of this transaction. */
  auditAll(entries: AuditEntry[]): Promise<void>;
  /** The one door to family data, for this request's reader, inside this transaction. */
  readonly families: FamilyStore;
}

export const SESSION_COOKIE = 'kring_session';

/** One request: who asks, from where, and the way to the database. Commands take this. */
export class RequestContext {
  readonly deps: AppDeps;
  readonly actor: Actor | null;
  readonly session: Session | null;
  readonly clientAddress: string;
  readonly correlationId: string;
  readonly reply: FastifyReply;
  /** For a system client on /fhir (a bearer token, no session): what its token's scope allows. */
  readonly scopes: SystemScopes | null;

  constructor(
    deps: AppDeps,
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor | null,
    session: Session | null,
    scopes: SystemScopes | null = null,
  ) {
    this.deps = deps;
    this.actor = actor;
    this.session = session;
    this.scopes = scopes;
    this.clientAddress = request.ip;
    this.correlationId = request.id;
    this.reply = reply;
  }

  get config(): Config {
    return this.deps.config;
  }

  /** The access decision point for this actor; 401 if nobody is signed in. */
  get access(): Access {
    if (!this.actor) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    return new Access(this.actor);
  }

  get auditSource(): AuditSource {
    return auditSourceFor(this.actor, this.clientAddress, this.correlationId);
  }

  /** The one door to family data for this request's reader (401 if nobody is signed in). */
  get families(): FamilyStore {
    return new FamilyStore(this.deps.database.db, this.access);
  }

  /** Run work in one transaction; everything it audits commits with it. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const context = this;
    return this.deps.database.db.transaction().execute((db) =>
      work({
        db,
        audit: (entry, source) => writeAudit(db, source ?? this.auditSource, entry),
        auditAll: (entries) => writeAudits(db, this.auditSource, entries),
        get families() {
          return new FamilyStore(db, context.access);
        },
      }),
    );
  }

  /**
   * A read and its audit event in one statement (one round trip instead of a transaction's four;
   * one statement is one transaction). `onlyIfFound` writes the event only when the read found a
   * row (a record outside reach is refused and audited as such instead); `countAs` records the
   * number of rows read.
   */
  auditedRead<Row>(
    // biome-ignore lint/suspicious/noExplicitAny: any query over the schema
    query: SelectQueryBuilder<DB, any, Row>,
    entry: AuditEntry,
    read: ReadAudit,
  ): Promise<Row[]> {
    return auditedSelect(this.deps.database.db, this.auditSource, query, entry, read);
  }

  /**
   * Audit in a statement of its own, which is its own transaction: refusals and failed logins (the
   * work's transaction rolled back), and reads whose visibility the process decides after the read
   * (FHIR: consent per entry) — the answer leaves only after the event has committed, so nothing
   * is shown unaudited, without BEGIN/COMMIT round trips around a read that changes nothing.
   */
  auditAlone(entry: AuditEntry, source: AuditSource = this.auditSource): Promise<void> {
    return writeAudit(this.deps.database.db, source, entry);
  }

  /** Several events (each family on its own chain) in one statement of their own, as auditAlone. */
  auditAllAlone(entries: AuditEntry[]): Promise<void> {
    return writeAudits(this.deps.database.db, this.auditSource, entries);
  }

  setSessionCookie(token: string, maxAgeSeconds: number): void {
    this.reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
      maxAge: maxAgeSeconds,
    });
  }

  clearSessionCookie(): void {
    this.reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

export function auditSourceFor(actor: Actor | null, clientAddress: string, correlationId: string): AuditSource {
  return {
    accountId: actor?.accountId ?? null,
    organisationId: actor?.organisationId ?? null,
    role: actor ? (actor.discipline ?? actor.kind) : null,
    clientAddress,
    correlationId,
  };
}

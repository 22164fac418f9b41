import { type Kysely, sql } from 'kysely';
import { writeAudit } from '../audit/write-audit.ts';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import { CONSENT_CATEGORIES } from '../database/schema.ts';
import { kringTables, loadOrder, quote } from '../database/table-order.ts';

const SYSTEM = { accountId: null, organisationId: null, role: 'system', clientAddress: null, correlationId: null };

/** Work the system does about a family, not entries in its record: they do not extend retention. */
const NOT_ENTRIES = new Set(['audit_events', 'tasks', 'notifications']);
/** Entries that carry a consent category, and so their own retention period. */
const CATEGORISED = ['signal_versions', 'signals', 'contacts'] as const;

function yearsBefore(now: Date, years: number): Date {
  const cut = new Date(now);
  cut.setUTCFullYear(cut.getUTCFullYear() - years);
  return cut;
}

/** The family tables in an order in which rows can be deleted (children first), from the schema itself. */
async function familyTablesChildrenFirst(db: Kysely<DB>) {
  const run = async (script: string) => (await sql.raw<Record<string, unknown>>(script).execute(db)).rows;
  const { ordered } = await loadOrder(run, await kringTables(run));
  const columns = await run(`SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name IN ('family_id', 'created_at', 'updated_at', 'recorded_at')`);
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) {
    const set = byTable.get(String(c.table_name)) ?? new Set<string>();
    set.add(String(c.column_name));
    byTable.set(String(c.table_name), set);
  }
  const familyTables = ordered.filter((t) => byTable.get(t)?.has('family_id')).reverse();
  const stamped = familyTables
    .filter((t) => !NOT_ENTRIES.has(t))
    .flatMap((t) =>
      ['created_at', 'updated_at', 'recorded_at'].filter((c) => byTable.get(t)?.has(c)).map((c) => ({ t, c })),
    );
  return { familyTables, stamped };
}

/**
 * The retention job (daily, and `npm run retention`): a closed family record — its 1001 days are
 * over — is kept for the legal period after its last entry (WGBO: 20 years; configurable per
 * consent category with KRING_RETENTION_YEARS). Then, entries of a category with a shorter period
 * go first; when the longest period has passed, the whole record goes, its audit chain with it
 * (the audit trail is kept as long as the record it concerns). What was deleted is written to the
 * audit trail as ids and counts, never content.
 */
export async function applyRetention(db: Kysely<DB>, config: Pick<Config, 'retentionYears'>, now = new Date()) {
  const { familyTables, stamped } = await familyTablesChildrenFirst(db);
  const lastEntry = sql.join(
    [
      sql`f.closed_at`,
      sql`f.created_at`,
      ...stamped.map(
        ({ t, c }) => sql`(SELECT max(${sql.ref(`x.${c}`)}) FROM ${sql.table(t)} x WHERE x.family_id = f.id)`,
      ),
    ],
    sql`, `,
  );
  const closed = await sql<{ id: string; last_entry: Date }>`
    SELECT f.id, GREATEST(${lastEntry}) AS last_entry FROM families f WHERE f.status = 'closed'`.execute(db);

  const longest = Math.max(...Object.values(config.retentionYears));
  const result = { familiesDeleted: 0, entriesDeleted: 0 };
  for (const family of closed.rows) {
    const last = new Date(family.last_entry);
    if (last <= yearsBefore(now, longest)) {
      await deleteFamily(db, familyTables, family.id);
      result.familiesDeleted++;
      continue;
    }
    for (const category of CONSENT_CATEGORIES) {
      if (last > yearsBefore(now, config.retentionYears[category])) continue;
      result.entriesDeleted += await deleteCategory(db, family.id, category);
    }
  }
  return result;
}

async function deleteFamily(db: Kysely<DB>, familyTables: string[], familyId: string) {
  await db.transaction().execute(async (tx) => {
    const counts: Record<string, number> = {};
    // The parents' own accounts belong to this family only: they end with it.
    const parents = await tx
      .selectFrom('parent_links')
      .select('account_id')
      .where('family_id', '=', familyId)
      .execute();
    const parentIds = parents.map((p) => p.account_id);
    if (parentIds.length) {
      await tx.deleteFrom('sessions').where('account_id', 'in', parentIds).execute();
      await tx.updateTable('accounts').set({ active: false }).where('id', 'in', parentIds).execute();
      counts.parentAccountsDeactivated = parentIds.length;
    }
    for (const table of familyTables) {
      const deleted = await sql`DELETE FROM ${sql.raw(quote(table))} WHERE family_id = ${familyId}`.execute(tx);
      if (deleted.numAffectedRows) counts[table] = Number(deleted.numAffectedRows);
    }
    await tx.deleteFrom('audit_chain_heads').where('chain_key', '=', `family:${familyId}`).execute();
    const family = await tx.deleteFrom('families').where('id', '=', familyId).executeTakeFirst();
    counts.families = Number(family.numDeletedRows);
    await writeAudit(tx, SYSTEM, {
      action: 'retention.family_deleted',
      recordType: 'family',
      recordId: familyId,
      details: counts,
    });
  });
}

async function deleteCategory(db: Kysely<DB>, familyId: string, category: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const counts: Record<string, number> = {};
    for (const table of CATEGORISED) {
      const deleted =
        table === 'signal_versions'
          ? await sql`DELETE FROM signal_versions v USING signals s
              WHERE v.signal_id = s.id AND s.family_id = ${familyId} AND s.category = ${category}`.execute(tx)
          : await sql`DELETE FROM ${sql.table(table)} WHERE family_id = ${familyId} AND category = ${category}`.execute(
              tx,
            );
      if (deleted.numAffectedRows) counts[table] = Number(deleted.numAffectedRows);
    }
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (total > 0) {
      await writeAudit(tx, SYSTEM, {
        action: 'retention.entries_deleted',
        familyId,
        recordType: 'family',
        recordId: familyId,
        details: { category, ...counts },
      });
    }
    return total;
  });
}

import type { ScriptRunner } from './connect.ts';

/** Kring's tables and the order their foreign keys impose: for backup, restore and retention. */

export const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Kring's tables (everything in the public schema but the migration bookkeeping). */
export async function kringTables(run: ScriptRunner): Promise<string[]> {
  const rows = await run(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  return rows.map((row) => String(row.tablename));
}

/**
 * The tables in an order that satisfies every foreign key (parents first), and for a table that
 * refers to itself, the column to order its rows by depth.
 */
export async function loadOrder(run: ScriptRunner, tables: string[]) {
  const keys = await run(`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
           a.attname AS column, af.attname AS parent_column, cardinality(c.conkey) AS width
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`);
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  const selfKeys = new Map<string, { column: string; parentColumn: string }>();
  for (const key of keys) {
    const child = String(key.child);
    const parent = String(key.parent);
    if (child === parent) {
      if (Number(key.width) !== 1 || selfKeys.has(child)) throw new Error(`unsupported self-reference in ${child}`);
      selfKeys.set(child, { column: String(key.column), parentColumn: String(key.parent_column) });
    } else {
      parents.get(child)?.add(parent);
    }
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error('the foreign keys between tables form a cycle');
    for (const table of ready) {
      ordered.push(table);
      placed.add(table);
    }
  }
  return { ordered, selfKeys };
}

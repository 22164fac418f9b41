import { type RawBuilder, sql } from 'kysely';
import type { FamilyStore } from '../access/family-store.ts';
import type { Column, ParsedSearch } from './family-resources.ts';
import { invalidSearch, one } from './fhir.ts';

/** Small parts the family resources share: references, meta, and the subject of a search. */

export const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });

export const meta = (version: number | string, lastUpdated: Date | string) => ({
  versionId: String(version),
  lastUpdated: new Date(lastUpdated).toISOString(),
});

/** Who an entry concerns: a person as Patient, or the family as a whole as its Group. */
export const subjectOf = (row: { concerns_person_id: string | null; family_id: string }) =>
  row.concerns_person_id ? ref('Patient', row.concerns_person_id) : ref('Group', row.family_id);

/** The consent category an entry is shared under, as a security label. */
export const CONSENT_CATEGORY_SYSTEM = 'urn:kring:consent-category';
export const securityOf = (category: string) => [{ system: CONSENT_CATEGORY_SYSTEM, code: category }];

/**
 * The search's subject as a condition: `Patient/x` is the entries about that person (or, for a
 * type about the family as a whole, about that person's family); `Group/x` those about the family
 * as a whole.
 */
export function subjectCondition(
  search: ParsedSearch,
  columns: { family: string; person?: string },
): RawBuilder<boolean> | undefined {
  const subject = search.subject;
  if (!subject) return undefined;
  const family = sql.ref(columns.family);
  if (subject.type === 'Group') {
    return columns.person
      ? sql<boolean>`(${family} = ${subject.id} AND ${sql.ref(columns.person)} IS NULL)`
      : sql<boolean>`${family} = ${subject.id}`;
  }
  return columns.person
    ? sql<boolean>`${sql.ref(columns.person)} = ${subject.id}`
    : sql<boolean>`${family} = (SELECT sp.family_id FROM persons sp WHERE sp.id = ${subject.id})`;
}

/**
 * A token parameter's values (comma-separated: any of them) mapped to Kring's, by the FHIR token
 * rules: `code` in any of the systems, `system|code`, `system|` (every code of that system) and
 * `|code` (a code without a system — Kring's codes always have one, so nothing). A system Kring
 * does not use matches nothing: never everything. An unknown code of a known system is refused,
 * naming the codes there are. An empty answer means "nothing matches" (see `among`).
 */
export function tokenValues<T extends string>(
  search: ParsedSearch,
  name: string,
  system: string,
  codes: Record<string, readonly T[]>,
  also: { system: string; codes: Record<string, readonly T[]> }[] = [],
): T[] | undefined {
  const value = one(search.raw, name);
  if (value === undefined) return undefined;
  const systems = [{ system, codes }, ...also];
  return value.split(',').flatMap((part) => {
    const [given, code] = part.includes('|') ? (part.split('|', 2) as [string, string]) : [undefined, part];
    if (given === '') return [];
    const known = given === undefined ? systems : systems.filter((s) => s.system === given);
    if (code === '') return known.flatMap((s) => Object.values(s.codes).flat());
    if (known.length === 0) return [];
    const mapped = known.flatMap((s) => s.codes[code] ?? []);
    if (mapped.length === 0) throw invalidSearch(name, `One of ${Object.keys(codes).join(', ')} (system ${system}).`);
    return mapped;
  });
}

/** `expression IN (values)`, and false for no values (a token that matches nothing). */
export function among(expression: RawBuilder<unknown>, values: readonly string[]): RawBuilder<boolean> {
  return values.length ? sql<boolean>`${expression} IN (${sql.join(values)})` : sql<boolean>`false`;
}

/** Every condition that holds, for a `where`. */
export function allOf(conditions: (RawBuilder<boolean> | undefined)[]): RawBuilder<boolean> {
  const present = conditions.filter((c): c is RawBuilder<boolean> => c !== undefined);
  return present.length ? sql<boolean>`(${sql.join(present, sql` AND `)})` : sql<boolean>`true`;
}

/**
 * The access rule on a source's family column, in the form the planner serves best: a search
 * narrowed to one entry or one subject checks each row's family (EXISTS, a few index lookups); a
 * wider one, and an export's batch of families, starts from the set of families the actor may read.
 */
export function readableFamily(families: FamilyStore, search: ParsedSearch, column: string): RawBuilder<boolean> {
  return search.id || search.subject
    ? families.readable(column)
    : sql<boolean>`${sql.ref(column)} IN ${families.readableIds()}`;
}

/** The search's conditions every source applies the same way, on its own columns. */
export function commonConditions(
  search: ParsedSearch,
  columns: { id: Column; family: string; lastUpdated: Column; date?: Column },
): RawBuilder<boolean>[] {
  const id = typeof columns.id === 'string' ? sql.ref(columns.id) : columns.id;
  const conditions = [
    ...(search.id ? [sql<boolean>`${id} = ${search.id}`] : []),
    ...(search.families ? [sql<boolean>`${sql.ref(columns.family)} = ANY(${search.families}::uuid[])`] : []),
    ...search.lastUpdated.map((c) => c(columns.lastUpdated)),
  ];
  const date = columns.date;
  if (date) conditions.push(...search.date.map((c) => c(date)));
  return conditions;
}

import type { Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { FamilyStore } from '../access/family-store.ts';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import {
  dateCondition,
  type FhirResource,
  invalidSearch,
  isId,
  one,
  parseReference,
  parseSearch,
  type Search,
  type SearchParameter,
  searchset,
} from './fhir.ts';

/**
 * The engine behind every FHIR resource made from a family's record (Observation, Encounter,
 * CarePlan, ServiceRequest, …). A resource type names its sources — Kring tables, each with a
 * query and a mapping — and the engine does the rest the same way for all of them:
 * - only the families the actor may read (through the reader's family store, the one door:
 *   `readableFamily`), narrowed by the search in SQL;
 * - the parents' consent, per entry, exactly as the web app decides it (`consentOf`), before
 *   anything is counted — so `Bundle.total` never counts what the actor may not see;
 * - sorted and paged, with a `next` link bound to the actor;
 * - audited in the same transaction: a read as `fhir.<type>.read` on the family, a search as
 *   `fhir.<type>.search` on each family whose entries it returned (so parents see who looked).
 */

/** The columns every source row has beside its own. */
export interface FamilyRow {
  id: string;
  family_id: string;
  last_updated: Date | string;
  /** The clinical date the `date` search and sort use, where the type has one. */
  sort_date?: Date | string | null;
}

export type FamilyConsent = ReturnType<FamilyStore['consent']>;

export interface MapOptions {
  baseUrl: string;
  consent: FamilyConsent;
}

export interface FamilySource<Row extends FamilyRow> {
  /**
   * This source's rows that may match, within the families the reader may read (`readableFamily`
   * with the reader's family store), narrowed by the search; null when the search cannot match
   * this source at all.
   */
  // biome-ignore lint/suspicious/noExplicitAny: a query over any of the schema's tables
  query(families: FamilyStore, search: ParsedSearch): SelectQueryBuilder<DB, any, Row> | null;
  /** May the actor's organisation see this entry (the parents' consent)? Everything, when absent. */
  visible?(row: Row, consent: FamilyConsent): boolean;
  toResource(row: Row, options: MapOptions): FhirResource;
  /** The entry as it was at an earlier version (vread), where Kring keeps its history; null if none. */
  atVersion?(db: Kysely<DB>, row: Row, version: number): Promise<Row | null>;
}

export interface FamilyResourceType {
  type: string;
  /** What an audit event calls the record (`signal`, `contact`, …). */
  recordType: string;
  searchParams: readonly SearchParameter[];
  /** The `_sort` keys this type knows beside `_lastUpdated`. */
  sortByDate: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: sources of different row types
  sources: readonly FamilySource<any>[];
}

/** The parameters every family type takes. */
export const COMMON_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The resource id.' },
  {
    name: '_lastUpdated',
    type: 'date',
    documentation: 'When Kring last changed it (prefixes eq, ne, gt, lt, ge, le).',
  },
];

/** A column by name (`c.created_at`) or as an expression. */
export type Column = string | RawBuilder<unknown>;

/** A search, parsed once: the values every source may use, checked before any query runs. */
export interface ParsedSearch {
  raw: Search;
  id?: string;
  /** Conditions on a column: (column) => SQL, one per given value (they all hold). */
  lastUpdated: ((column: Column) => RawBuilder<boolean>)[];
  date: ((column: Column) => RawBuilder<boolean>)[];
  /** Only these families (a bulk export's batch). */
  families?: string[];
  /** `patient` / `subject` / `entity`: a person, or the family as a whole (Group). */
  subject?: { type: string; id: string };
}

/** The parameters that name whom the entries are about. */
const SUBJECT_PARAMETERS = ['patient', 'subject', 'entity'];

/** The most entries a search looks at before it asks to be narrowed (paging is done after consent). */
const MAX_MATCHES = 5000;

function parseCommon(search: Search, parameters: readonly SearchParameter[]): ParsedSearch {
  const subjectParameters = parameters.filter((p) => SUBJECT_PARAMETERS.includes(p.name)).map((p) => p.name);
  const dateParameter = parameters.find((p) => p.type === 'date' && p.name !== '_lastUpdated')?.name;
  const id = one(search, '_id');
  if (id !== undefined && !isId(id)) throw invalidSearch('_id', 'Not an id of Kring.');
  const dates = (name: string) =>
    (search[name] ?? []).map((value) => {
      dateCondition('x', value, name); // refuse a bad value now, not inside a source
      return (column: Column) => dateCondition(column, value, name);
    });
  let subject: ParsedSearch['subject'];
  for (const name of subjectParameters) {
    const value = one(search, name);
    if (value === undefined) continue;
    const parsed = parseReference(value, name, name === 'patient' ? ['Patient'] : ['Patient', 'Group']);
    if (subject && (subject.type !== parsed.type || subject.id !== parsed.id)) {
      throw invalidSearch(name, 'Patient and subject name different persons.');
    }
    subject = parsed;
  }
  return {
    raw: search,
    ...(id ? { id } : {}),
    lastUpdated: dates('_lastUpdated'),
    date: dateParameter ? dates(dateParameter) : [],
    ...(subject ? { subject } : {}),
  };
}

/** The sort keys: `_lastUpdated` or (where the type has one) `date`, `-` for descending; newest first by default. */
function sortOrder(search: Search, sortByDate: boolean): { key: 'last_updated' | 'sort_date'; descending: boolean } {
  const value = one(search, '_sort') ?? '-_lastUpdated';
  const descending = value.startsWith('-');
  const name = value.replace(/^-/, '');
  if (name === '_lastUpdated') return { key: 'last_updated', descending };
  if (name === 'date' && sortByDate) return { key: 'sort_date', descending };
  throw invalidSearch(
    '_sort',
    sortByDate ? 'One of _lastUpdated, date (- for descending).' : '_lastUpdated or -_lastUpdated.',
  );
}

const time = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : 0);

interface Found {
  row: FamilyRow;
  source: FamilySource<FamilyRow>;
  consent: FamilyConsent;
}

/**
 * Every entry of the type the actor may see that matches the search, unsorted. A bulk export
 * passes its batch's consents (read once for all types) and looks at every match.
 */
export async function findVisible(
  families: FamilyStore,
  type: FamilyResourceType,
  search: ParsedSearch,
  batch?: { consents: Map<string, FamilyConsent> },
) {
  const found: { row: FamilyRow; source: FamilySource<FamilyRow> }[] = [];
  for (const source of type.sources) {
    const query = source.query(families, search);
    if (!query) continue;
    const rows = await (batch ? query : query.limit(MAX_MATCHES + 1)).execute();
    found.push(...rows.map((row) => ({ row, source })));
    if (!batch && found.length > MAX_MATCHES) {
      throw new AppError('VALIDATION_FAILED', 'Too many matches to page through; narrow the search.', {
        fields: [{ field: 'query', message: `more than ${MAX_MATCHES} matches: add patient, date or _lastUpdated` }],
      });
    }
  }
  const consents = batch?.consents ?? (await families.consents([...new Set(found.map((f) => f.row.family_id))]));
  const visible: Found[] = [];
  for (const f of found) {
    const consent = consents.get(f.row.family_id);
    if (consent && (f.source.visible?.(f.row, consent) ?? true)) visible.push({ ...f, consent });
  }
  return visible;
}

const auditName = (type: FamilyResourceType) => type.type.toLowerCase();

/** An entry outside reach or consent does not exist for the actor: 404, the attempt audited. */
function entryNotFound(type: FamilyResourceType, id: string): AppError {
  return new AppError('NOT_FOUND', 'Not found.', {
    refusal: { action: 'family.read', recordType: type.recordType, ...(isId(id) ? { recordId: id } : {}) },
  });
}

/** The entry with this id, if the actor may see it (team and consent). */
async function findEntry(ctx: RequestContext, type: FamilyResourceType, id: string): Promise<Found> {
  const [found] = await findVisible(ctx.families, type, { raw: {}, id, lastUpdated: [], date: [] });
  if (!found) throw entryNotFound(type, id);
  return found;
}

/** GET /fhir/[type]/[id]: one entry, or 404 (audited) when it is outside reach or consent. */
export async function readFamilyResource(
  ctx: RequestContext,
  type: FamilyResourceType,
  id: string,
  options: { baseUrl: string },
): Promise<FhirResource> {
  if (!isId(id)) throw entryNotFound(type, id);
  // Consent is decided here, after the read, so the event follows in a statement of its own.
  const found = await findEntry(ctx, type, id);
  await ctx.auditAlone({
    action: `fhir.${auditName(type)}.read`,
    familyId: found.row.family_id,
    recordType: type.recordType,
    recordId: id,
  });
  return found.source.toResource(found.row, { baseUrl: options.baseUrl, consent: found.consent });
}

/**
 * GET /fhir/[type]/[id]/_history/[vid]: the entry as it was at that version — only where its
 * source keeps history, and only if the actor may see it now and could see it then (consent is
 * checked on both).
 */
export async function vreadFamilyResource(
  ctx: RequestContext,
  type: FamilyResourceType,
  id: string,
  versionId: string,
  options: { baseUrl: string },
): Promise<FhirResource> {
  if (!isId(id) || !/^\d{1,9}$/.test(versionId)) throw entryNotFound(type, id);
  const found = await findEntry(ctx, type, id);
  const wanted = Number(versionId);
  const current = (found.row as FamilyRow & { version?: number }).version;
  const row =
    wanted === current
      ? found.row
      : found.source.atVersion
        ? await found.source.atVersion(ctx.deps.database.db, found.row, wanted)
        : null;
  if (!row || !(found.source.visible?.(row, found.consent) ?? true)) throw entryNotFound(type, id);
  await ctx.auditAlone({
    action: `fhir.${auditName(type)}.vread`,
    familyId: found.row.family_id,
    recordType: type.recordType,
    recordId: id,
    details: { version: wanted },
  });
  return found.source.toResource(row, { baseUrl: options.baseUrl, consent: found.consent });
}

/** GET /fhir/[type]?…: the visible matches, sorted and paged; each family shown is audited. */
export async function searchFamilyResources(
  ctx: RequestContext,
  type: FamilyResourceType,
  query: Record<string, string | string[]>,
  options: { strict: boolean; baseUrl: string },
) {
  const access = ctx.access;
  const sealing = { secret: ctx.config.sessionSecret, accountId: access.actor.accountId };
  const page = parseSearch(query, type.searchParams, { ...options, ...sealing, resource: type.type });
  const search = parseCommon(page.search, type.searchParams);
  const order = sortOrder(page.search, type.sortByDate);
  const direction = order.descending ? -1 : 1;
  const compare = (a: [number, string], b: [number, string]) =>
    direction * (a[0] - b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  const keyOf = (f: Found): [number, string] => [time(f.row[order.key]), f.row.id];
  // A later page: what changed after the first page is left out (the walk's own audit events
  // too), and the page starts after the last entry shown (keyset), so no entry shows twice.
  const { at, after } = page.position;
  const found = await findVisible(ctx.families, type, search);
  const visible = at ? found.filter((f) => time(f.row.last_updated) <= new Date(at).getTime()) : found;
  visible.sort((a, b) => compare(keyOf(a), keyOf(b)));
  const start = after ? visible.findIndex((f) => compare(keyOf(f), after) > 0) : page.offset;
  const shown = start < 0 ? [] : visible.slice(start, start + page.count);
  const perFamily = new Map<string, number>();
  for (const f of shown) perFamily.set(f.row.family_id, (perFamily.get(f.row.family_id) ?? 0) + 1);
  const action = `fhir.${auditName(type)}.search`;
  await ctx.auditAllAlone(
    perFamily.size === 0
      ? [{ action, details: { results: 0 } }]
      : [...perFamily].map(([familyId, results]) => ({
          action,
          familyId,
          recordType: 'family',
          recordId: familyId,
          details: { results },
        })),
  );
  const resources = shown.map((f) => f.source.toResource(f.row, { baseUrl: options.baseUrl, consent: f.consent }));
  const last = shown.at(-1);
  return searchset(
    type.type,
    page,
    { total: visible.length, resources, ...(last ? { last: keyOf(last) } : {}) },
    { ...options, ...sealing },
  );
}

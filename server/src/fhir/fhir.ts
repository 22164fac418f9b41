import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { PERSON_SEXES, type PersonSex } from '../database/schema.ts';
import { AppError } from '../errors.ts';

/**
 * HL7 FHIR R4 at /fhir: the shapes Kring emits, errors as OperationOutcome, and paging cursors.
 * FHIR is a view of Kring's own tables and a second door into the same house: every route goes
 * through the same session, access decision point and audit trail as the web app.
 */

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';
export const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';

/** Kring's ids are UUIDs; anything else is no resource of ours (404, not a database error). */
export const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);

/** A person of a family as a FHIR Patient (parents, the pregnant person, children — expected ones too). */
export const Patient = z.object({
  resourceType: z.literal('Patient'),
  id: z.string(),
  meta: z.object({ versionId: z.string() }),
  identifier: z.array(z.object({ system: z.string(), value: z.string() })).optional(),
  name: z
    .array(
      z.object({ use: z.literal('official'), family: z.string().optional(), given: z.array(z.string()).optional() }),
    )
    .optional(),
  gender: z.enum(PERSON_SEXES).optional(),
  birthDate: z.string().optional(),
});
export type Patient = z.infer<typeof Patient>;

export function toPatient(person: {
  id: string;
  version: number;
  bsn: string | null;
  given_name: string | null;
  family_name: string | null;
  birth_date: string | null;
  sex: PersonSex | null;
}): Patient {
  const name = {
    use: 'official' as const,
    ...(person.family_name ? { family: person.family_name } : {}),
    ...(person.given_name ? { given: [person.given_name] } : {}),
  };
  return {
    resourceType: 'Patient',
    id: person.id,
    meta: { versionId: String(person.version) },
    ...(person.bsn ? { identifier: [{ system: BSN_SYSTEM, value: person.bsn }] } : {}),
    ...(person.family_name || person.given_name ? { name: [name] } : {}),
    // Kring's sex codes are FHIR's administrative-gender codes; absent when not recorded.
    ...(person.sex ? { gender: person.sex } : {}),
    ...(person.birth_date ? { birthDate: person.birth_date } : {}),
  };
}

/** A region's organisation (no personal data). */
export const Organization = z.object({
  resourceType: z.literal('Organization'),
  id: z.string(),
  meta: z.object({ versionId: z.string() }),
  active: z.boolean(),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string() })).optional(),
  type: z.array(z.object({ coding: z.array(z.object({ system: z.string(), code: z.string() })) })),
  name: z.string(),
});
export type Organization = z.infer<typeof Organization>;

export const ORGANISATION_TYPE_SYSTEM = 'urn:kring:organisation-type';
export const AGB_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/agb-z';

export function toOrganization(organisation: {
  id: string;
  version: number;
  active: boolean;
  name: string;
  type: string;
  identifier: string | null;
}): Organization {
  const agb = organisation.identifier ? /^AGB\s*(\d{8})$/i.exec(organisation.identifier.trim()) : null;
  return {
    resourceType: 'Organization',
    id: organisation.id,
    meta: { versionId: String(organisation.version) },
    active: organisation.active,
    ...(organisation.identifier
      ? { identifier: [agb ? { system: AGB_SYSTEM, value: agb[1] as string } : { value: organisation.identifier }] }
      : {}),
    type: [{ coding: [{ system: ORGANISATION_TYPE_SYSTEM, code: organisation.type }] }],
    name: organisation.name,
  };
}

export interface SearchParameter {
  name: string;
  type: 'token' | 'string' | 'date' | 'reference';
  documentation: string;
}

export const invalidSearch = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { fields: [{ field: `query.${field}`, message }] });

/** A search's parameters by name; a parameter may be given more than once (date=ge…&date=lt…). */
export type Search = Record<string, string[]>;

/** The parameters every search takes beside its own: how many, in which order, in which format. */
const RESULT_PARAMETERS = new Set(['_count', '_sort', '_format']);

const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

/**
 * Why a client cannot have Kring's answer, if it cannot: Kring answers FHIR R4 in JSON only.
 * `_format` wins over `Accept` (R4 http.html#mime-type); in `Accept`, any JSON range (or a
 * wildcard) will do, unless it names a `fhirVersion` other than 4.0.
 */
export function notAcceptable(accept: string | undefined, format: string | undefined): string | undefined {
  if (format !== undefined) {
    return JSON_FORMATS.has(format.split(';')[0]?.trim().toLowerCase() ?? '')
      ? undefined
      : `Kring answers in FHIR JSON only (_format=${format.slice(0, 40)} is not offered).`;
  }
  if (!accept) return undefined;
  const fits = accept.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const param = (name: string) => parameters.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    if (param('q') !== undefined && Number(param('q')) === 0) return false;
    const version = param('fhirversion');
    if (version !== undefined && !/^4\.0(\.\d+)?$/.test(version.replaceAll('"', ''))) return false;
    return ['*/*', 'application/*', 'application/json', 'application/fhir+json'].includes(type);
  });
  return fits ? undefined : 'Kring answers in FHIR R4 JSON only (application/fhir+json; fhirVersion=4.0).';
}

/** One value of a parameter given at most once. */
export function one(search: Search, name: string): string | undefined {
  const values = search[name];
  if (values === undefined) return undefined;
  if (values.length !== 1) throw invalidSearch(name, 'Give this parameter once.');
  return values[0];
}

/**
 * A search's parameters: from the query (unsupported ones ignored, or refused when strict), or
 * from a paging cursor; with _count (0–100, default 20) and the offset of the page.
 */
export function parseSearch(
  query: Record<string, string | string[]>,
  supported: readonly SearchParameter[],
  options: { strict: boolean; secret: string; accountId: string; resource: string },
): { search: Search; offset: number; count: number; position: PagePosition; cursor?: string } {
  let search: Search = {};
  let position: PagePosition = { offset: 0 };
  const cursor = typeof query._cursor === 'string' ? query._cursor : undefined;
  if (cursor) {
    ({ search, position } = openCursor(options.secret, options.accountId, cursor));
  } else {
    for (const [key, value] of Object.entries(query)) {
      const [name, modifier] = key.split(':', 2) as [string, string | undefined];
      const parameter = supported.find((p) => p.name === name);
      let values = Array.isArray(value) ? value : [value];
      if (values.some((v) => v.length > 200)) throw invalidSearch(key, 'At most 200 characters.');
      if (modifier !== undefined) {
        // A modifier changes what a parameter means: one Kring does not support is refused, whatever
        // the Prefer header says — ignoring it would silently widen the result. A reference's type
        // modifier (`subject:Patient=id`) is the same as `subject=Patient/id`.
        if (parameter?.type !== 'reference' || !/^[A-Z][A-Za-z]+$/.test(modifier)) {
          throw invalidSearch(key, `The modifier ":${modifier}" is not supported on "${name}".`);
        }
        values = values.map((v) => (v.includes('/') ? v : `${modifier}/${v}`));
      }
      if (!parameter && !RESULT_PARAMETERS.has(name)) {
        if (options.strict) throw invalidSearch(name, `${options.resource} has no search parameter "${name}".`);
        continue;
      }
      search[name] = [...(search[name] ?? []), ...values];
    }
  }
  const counted = one(search, '_count');
  const count = counted === undefined ? 20 : Number(counted);
  if (!Number.isInteger(count) || count < 0 || count > 100) throw invalidSearch('_count', 'A number from 0 to 100.');
  return { search, offset: position.offset, count, position, ...(cursor ? { cursor } : {}) };
}

/**
 * The searchset: the self link (the parameters used; on a later page its own cursor, which gives
 * the same page again), and a next link holding a sealed cursor. The total is the first page's,
 * carried by the cursor: a walk through the pages sees one number.
 */
export function searchset<R>(
  resource: string,
  page: { search: Search; offset: number; count: number; position?: PagePosition; cursor?: string },
  found: { total: number; resources: (R & { id: string })[]; last?: [number, string] },
  options: { baseUrl: string; secret: string; accountId: string },
) {
  const total = page.position?.total ?? found.total;
  const self = page.cursor
    ? `_cursor=${page.cursor}`
    : new URLSearchParams(
        Object.entries(page.search).flatMap(([name, values]) => values.map((v) => [name, v])),
      ).toString();
  const link = [{ relation: 'self', url: `${options.baseUrl}/fhir/${resource}${self ? `?${self}` : ''}` }];
  if (page.offset + found.resources.length < total && page.count > 0 && found.resources.length > 0) {
    const cursor = sealCursor(options.secret, options.accountId, page.search, {
      offset: page.offset + found.resources.length,
      total,
      at: page.position?.at ?? new Date().toISOString(),
      ...(found.last ? { after: found.last } : {}),
    });
    link.push({ relation: 'next', url: `${options.baseUrl}/fhir/${resource}?_cursor=${cursor}` });
  }
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset' as const,
    total,
    link,
    entry: found.resources.map((r) => ({
      fullUrl: `${options.baseUrl}/fhir/${resource}/${r.id}`,
      resource: r,
      search: { mode: 'match' as const },
    })),
  };
}

/** The FHIR issue type for each of Kring's error statuses. */
function issueCode(status: number): string {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'conflict';
  if (status === 413) return 'too-long';
  if (status === 428) return 'required';
  if (status === 405) return 'not-supported';
  if (status === 406 || status === 422) return 'not-supported';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'exception';
  return 'invalid';
}

/** An error answered as an OperationOutcome, each field at fault as an issue with its expression. */
export function operationOutcome(status: number, message: string, fields: { field: string; message: string }[] = []) {
  const issues = fields.length
    ? fields.map((f) => ({
        severity: 'error',
        code: issueCode(status),
        diagnostics: f.message,
        expression: [f.field],
      }))
    : [{ severity: 'error', code: issueCode(status), diagnostics: message }];
  return { resourceType: 'OperationOutcome', issue: issues };
}

/**
 * Where a page starts, beyond the first: the offset, and for a stable walk the total counted on
 * the first page, the moment of the first page (what changed after it is left out, so that the
 * audit events a walk writes never push entries onto the next page) and the sort key and id of the
 * last entry shown (keyset: the next page starts after it).
 */
export interface PagePosition {
  offset: number;
  total?: number;
  at?: string;
  after?: [number, string];
}

/**
 * Paging cursors: the search and the page's position, encrypted for the account that searched, so
 * that a `next` link carries no search parameter (no personal data in URLs) and works for nobody else.
 */
export function sealCursor(secret: string, accountId: string, search: Search, position: PagePosition): string {
  const key = createHash('sha256').update(`fhir-cursor:${secret}`).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const plain = { a: accountId, s: search, o: position.offset, t: position.total, m: position.at, k: position.after };
  const body = Buffer.concat([cipher.update(JSON.stringify(plain)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openCursor(
  secret: string,
  accountId: string,
  cursor: string,
): { search: Search; position: PagePosition } {
  const refuse = () =>
    new AppError('VALIDATION_FAILED', 'This page link is not valid for you.', {
      fields: [{ field: 'query._cursor', message: 'not a page link of your own search' }],
    });
  try {
    const raw = Buffer.from(cursor, 'base64url');
    const key = createHash('sha256').update(`fhir-cursor:${secret}`).digest();
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    if (plain.a !== accountId) throw refuse();
    return { search: plain.s, position: { offset: plain.o, total: plain.t, at: plain.m, after: plain.k } };
  } catch {
    throw refuse();
  }
}

/** Any resource Kring emits, as the routes answer it (each is checked against the R4 schema in the tests). */
export const FhirResource = z.looseObject({ resourceType: z.string(), id: z.string() });
export type FhirResource = z.infer<typeof FhirResource>;

/** A reference to one of Kring's resources: `Type/id`, a full URL ending in it, or (with a default type) the id alone. */
export function parseReference(value: string, field: string, types: readonly string[]): { type: string; id: string } {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+)$/.exec(value);
  const [type, id] = match ? [match[1] as string, match[2] as string] : [types[0] as string, value];
  if (!types.includes(type) || !isId(id)) {
    throw invalidSearch(field, `A reference to ${types.join(' or ')}, as Type/id.`);
  }
  return { type, id };
}

function isCalendarDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

const DATE_VALUE =
  /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/;

/**
 * A date search value (`ge2026-01`, `2026-03-01`, `lt2026-03-01T12:00:00Z`) as a condition on a
 * date or timestamp column. The value stands for a range (a year, month, day or second); the
 * prefix compares the column's moment with that range, as the FHIR search rules say.
 */
export function dateCondition(column: string | RawBuilder<unknown>, value: string, field: string): RawBuilder<boolean> {
  const parts = DATE_VALUE.exec(value);
  if (!parts)
    throw invalidSearch(field, 'A date as [prefix]YYYY[-MM[-DD[Thh:mm:ssZ]]], prefix eq/ne/gt/lt/ge/le/sa/eb/ap.');
  const [, prefix = 'eq', year, month, day, time] = parts as unknown as [
    string,
    string | undefined,
    string,
    string?,
    string?,
    string?,
  ];
  let low: string;
  let high: string;
  // A real calendar date: 2024-02-30 is refused, not read as 1 March (issue 22).
  if (day && !isCalendarDate(`${year}-${month}-${day}`)) {
    throw invalidSearch(field, 'Not a valid date.');
  }
  if (time) {
    const at = new Date(`${year}-${month}-${day}${time}`);
    if (Number.isNaN(at.getTime())) throw invalidSearch(field, 'Not a valid moment.');
    low = at.toISOString();
    high = new Date(at.getTime() + 1000).toISOString();
  } else if (day) {
    low = `${year}-${month}-${day}`;
    const next = new Date(`${low}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    high = next.toISOString().slice(0, 10);
  } else if (month) {
    if (Number(month) < 1 || Number(month) > 12) throw invalidSearch(field, 'Not a valid month.');
    low = `${year}-${month}-01`;
    high =
      Number(month) === 12 ? `${Number(year) + 1}-01-01` : `${year}-${String(Number(month) + 1).padStart(2, '0')}-01`;
  } else {
    low = `${year}-01-01`;
    high = `${Number(year) + 1}-01-01`;
  }
  const c = typeof column === 'string' ? sql.ref(column) : column;
  if (prefix === 'ap') {
    // "Approximately" (the spec leaves the width to the server): the range widened by a tenth of
    // its distance from today on each side, at least a day.
    const margin = Math.max(86_400_000, Math.abs(Date.now() - new Date(low).getTime()) / 10);
    const from = new Date(new Date(low).getTime() - margin).toISOString();
    const to = new Date(new Date(high).getTime() + margin).toISOString();
    return sql<boolean>`(${c} >= ${from} AND ${c} < ${to})`;
  }
  switch (prefix) {
    case 'ne':
      return sql<boolean>`(${c} < ${low} OR ${c} >= ${high})`;
    case 'gt':
    case 'sa':
      return sql<boolean>`${c} >= ${high}`;
    case 'lt':
    case 'eb':
      return sql<boolean>`${c} < ${low}`;
    case 'ge':
      return sql<boolean>`${c} >= ${low}`;
    case 'le':
      return sql<boolean>`${c} < ${high}`;
    default:
      return sql<boolean>`(${c} >= ${low} AND ${c} < ${high})`;
  }
}

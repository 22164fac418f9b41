import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
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
const AGB_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/agb-z';

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

/** A searchset of one resource type. */
export function SearchBundle<R extends z.ZodType>(resource: R) {
  return z.object({
    resourceType: z.literal('Bundle'),
    type: z.literal('searchset'),
    total: z.number(),
    link: z.array(z.object({ relation: z.string(), url: z.string() })),
    entry: z.array(z.object({ fullUrl: z.string(), resource, search: z.object({ mode: z.literal('match') }) })),
  });
}

export interface SearchParameter {
  name: string;
  type: 'token' | 'string' | 'date';
  documentation: string;
}

export const invalidSearch = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { fields: [{ field: `query.${field}`, message }] });

/**
 * A search's parameters: from the query (unsupported ones ignored, or refused when strict), or
 * from a paging cursor; with _count (0–100, default 20) and the offset of the page.
 */
export function parseSearch(
  query: Record<string, string | string[]>,
  supported: readonly SearchParameter[],
  options: { strict: boolean; secret: string; accountId: string; resource: string },
): { search: Record<string, string>; offset: number; count: number } {
  let search: Record<string, string> = {};
  let offset = 0;
  if (typeof query._cursor === 'string') {
    ({ search, offset } = openCursor(options.secret, options.accountId, query._cursor));
  } else {
    for (const [name, value] of Object.entries(query)) {
      if (!supported.some((p) => p.name === name) && name !== '_count') {
        if (options.strict) throw invalidSearch(name, `${options.resource} has no search parameter "${name}".`);
        continue;
      }
      if (Array.isArray(value)) throw invalidSearch(name, 'Give this parameter once.');
      search[name] = value;
    }
  }
  const count = search._count === undefined ? 20 : Number(search._count);
  if (!Number.isInteger(count) || count < 0 || count > 100) throw invalidSearch('_count', 'A number from 0 to 100.');
  return { search, offset, count };
}

/** The searchset: the self link with the parameters used, and a next link holding a sealed cursor. */
export function searchset<R>(
  resource: string,
  page: { search: Record<string, string>; offset: number; count: number },
  found: { total: number; resources: (R & { id: string })[] },
  options: { baseUrl: string; secret: string; accountId: string },
) {
  const self = new URLSearchParams(page.search).toString();
  const link = [{ relation: 'self', url: `${options.baseUrl}/fhir/${resource}${self ? `?${self}` : ''}` }];
  if (page.offset + found.resources.length < found.total && page.count > 0) {
    const cursor = sealCursor(options.secret, options.accountId, page.search, page.offset + page.count);
    link.push({ relation: 'next', url: `${options.baseUrl}/fhir/${resource}?_cursor=${cursor}` });
  }
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset' as const,
    total: found.total,
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
 * Paging cursors: the search and the offset, encrypted for the account that searched, so that a
 * `next` link carries no search parameter (no personal data in URLs) and works for nobody else.
 */
export function sealCursor(secret: string, accountId: string, search: Record<string, string>, offset: number): string {
  const key = createHash('sha256').update(`fhir-cursor:${secret}`).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify({ a: accountId, s: search, o: offset })), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openCursor(
  secret: string,
  accountId: string,
  cursor: string,
): { search: Record<string, string>; offset: number } {
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
    return { search: plain.s, offset: plain.o };
  } catch {
    throw refuse();
  }
}

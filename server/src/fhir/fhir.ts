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

export const SearchBundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.number(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })),
  entry: z.array(z.object({ fullUrl: z.string(), resource: Patient, search: z.object({ mode: z.literal('match') }) })),
});

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

import { sql } from 'kysely';
import { escapeLike, nameWords, PERSON_SEXES, type PersonSex } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { IsoDate } from '../families/family.types.ts';
import type { RequestContext } from '../http/context.ts';
import {
  BSN_SYSTEM,
  invalidSearch,
  isId,
  one,
  type Patient,
  parseSearch,
  type SearchParameter,
  searchset,
  toPatient,
} from './fhir.ts';

/** Patient: the persons of the families the actor may read (the team, or an unexpired break-the-glass). */

export const PATIENT_COLUMNS = [
  'p.id',
  'p.family_id',
  'p.version',
  'p.bsn',
  'p.given_name',
  'p.family_name',
  'p.birth_date',
  'p.sex',
] as const;

const isPersonSex = (value: string): value is PersonSex => (PERSON_SEXES as readonly string[]).includes(value);

/** GET /fhir/Patient/:id — a person outside the actor's families does not exist for them (404, audited). */
export async function readPatient(ctx: RequestContext, id: string): Promise<Patient> {
  const notFound = () =>
    new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'family.read', recordType: 'person', ...(isId(id) ? { recordId: id } : {}) },
    });
  if (!isId(id)) throw notFound();
  // One statement: the read and its event, on the trail of the family the person turned out to be in.
  const [person] = await ctx.auditedRead(
    ctx.deps.database.db
      .selectFrom('persons as p')
      .select(PATIENT_COLUMNS)
      .where('p.id', '=', id)
      .where(ctx.families.readable('p.family_id')),
    { action: 'fhir.patient.read', recordType: 'person', recordId: id },
    { onlyIfFound: true, familyColumn: 'family_id' },
  );
  if (!person) throw notFound();
  return toPatient(person);
}

/** The search parameters Patient supports, as the CapabilityStatement lists them. */
export const PATIENT_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The person id.' },
  {
    name: 'name',
    type: 'string',
    documentation: 'The start of any word of the given or family names, case-insensitive ("vries" finds de Vries).',
  },
  { name: 'birthdate', type: 'date', documentation: 'The birth date (YYYY-MM-DD; eq only).' },
  { name: 'identifier', type: 'token', documentation: `The BSN, as value or ${BSN_SYSTEM}|value.` },
  {
    name: 'gender',
    type: 'token',
    documentation: 'A child’s sex as recorded: female, male, other or unknown (never recorded for adults).',
  },
];

/**
 * GET /fhir/Patient?… — only the actor's own families are searched, so Bundle.total never counts
 * what they may not see.
 */
export async function searchPatients(
  ctx: RequestContext,
  query: Record<string, string | string[]>,
  options: { strict: boolean; baseUrl: string },
) {
  const access = ctx.access;
  const sealing = { secret: ctx.config.sessionSecret, accountId: access.actor.accountId };
  const page = parseSearch(query, PATIENT_SEARCH, { ...options, ...sealing, resource: 'Patient' });
  const search = {
    _id: one(page.search, '_id'),
    birthdate: one(page.search, 'birthdate'),
    identifier: one(page.search, 'identifier'),
    name: one(page.search, 'name'),
    gender: one(page.search, 'gender'),
  };
  if (search._id !== undefined && !isId(search._id)) throw invalidSearch('_id', 'Not a Patient id.');
  let birthDate: string | undefined;
  if (search.birthdate !== undefined) {
    birthDate = search.birthdate.replace(/^eq/, '');
    if (!IsoDate.safeParse(birthDate).success) throw invalidSearch('birthdate', 'A date as YYYY-MM-DD.');
  }
  let bsn: string | undefined;
  if (search.identifier !== undefined) {
    const [system, value] = search.identifier.includes('|')
      ? search.identifier.split('|')
      : [BSN_SYSTEM, search.identifier];
    if (system !== BSN_SYSTEM || !/^\d{9}$/.test(value ?? '')) {
      throw invalidSearch('identifier', `A BSN of nine digits, as value or ${BSN_SYSTEM}|value.`);
    }
    bsn = value;
  }
  const name = search.name?.trim().toLowerCase().replace(/\s+/g, ' ');
  const gender = search.gender?.replace(/^http:\/\/hl7\.org\/fhir\/administrative-gender\|/, '');
  if (gender !== undefined && !isPersonSex(gender)) {
    throw invalidSearch('gender', `One of ${PERSON_SEXES.join(', ')}.`);
  }

  let q = ctx.deps.database.db
    .selectFrom('persons as p')
    .select(PATIENT_COLUMNS)
    .select(sql<number>`count(*) OVER ()::integer`.as('total'))
    .where('p.family_id', 'in', ctx.families.readableIds());
  if (search._id) q = q.where('p.id', '=', search._id);
  if (birthDate) q = q.where('p.birth_date', '=', birthDate);
  if (bsn) q = q.where('p.bsn', '=', bsn);
  if (gender) q = q.where('p.sex', '=', gender);
  // The start of any word of the names: "vries" finds de Vries, "anna de" Anna de Vries.
  if (name) q = q.where(nameWords('p'), 'like', `% ${escapeLike(name)}%`);
  const rows = await ctx.auditedRead(
    q.orderBy('p.family_name').orderBy('p.given_name').orderBy('p.id').limit(page.count).offset(page.offset),
    { action: 'fhir.patient.search' },
    { countAs: 'results' },
  );
  // A page past the last still says how many there are.
  let total = rows[0]?.total;
  if (total === undefined) {
    const counted = await q.clearSelect().select(sql<number>`count(*)::integer`.as('n')).executeTakeFirst();
    total = Number(counted?.n ?? 0);
  }
  return searchset('Patient', page, { total, resources: rows.map(toPatient) }, { ...options, ...sealing });
}

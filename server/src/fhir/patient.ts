import { sql } from 'kysely';
import { escapeLike, nameWords, PERSON_SEXES, type PersonSex } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import {
  BSN_SYSTEM,
  dateCondition,
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
/** `_sort` on Patient: these keys, `-` for descending, comma-separated; the id last, so pages never overlap. */
const PATIENT_SORT = {
  family: 'p.family_name',
  given: 'p.given_name',
  birthdate: 'p.birth_date',
  _id: 'p.id',
} as const;

function patientOrder(value: string | undefined): [(typeof PATIENT_SORT)[keyof typeof PATIENT_SORT], 'asc' | 'desc'][] {
  const keys = (value ?? 'family,given').split(',').map((key) => key.trim());
  const order = keys.map((key): [(typeof PATIENT_SORT)[keyof typeof PATIENT_SORT], 'asc' | 'desc'] => {
    const name = key.replace(/^-/, '') as keyof typeof PATIENT_SORT;
    if (!(name in PATIENT_SORT))
      throw invalidSearch('_sort', `Patient sorts by ${Object.keys(PATIENT_SORT).join(', ')} (- for descending).`);
    return [PATIENT_SORT[name], key.startsWith('-') ? 'desc' : 'asc'];
  });
  return order.some(([column]) => column === 'p.id') ? order : [...order, ['p.id', 'asc']];
}

export const PATIENT_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The person id; several separated by commas (any of them).' },
  {
    name: 'name',
    type: 'string',
    documentation: 'The start of any word of the given or family names, case-insensitive ("vries" finds de Vries).',
  },
  {
    name: 'birthdate',
    type: 'date',
    documentation:
      'The birth date: YYYY, YYYY-MM or YYYY-MM-DD with a prefix (eq ne gt lt ge le sa eb ap); repeat for a range.',
  },
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
    birthdate: page.search.birthdate,
    identifier: one(page.search, 'identifier'),
    name: one(page.search, 'name'),
    gender: one(page.search, 'gender'),
  };
  const ids = search._id?.split(',');
  if (ids?.some((id) => !isId(id))) throw invalidSearch('_id', 'Patient ids, separated by commas.');
  // Every date form and prefix (ge1990, 2025-11, eq2024-03-12), each given value a condition.
  const birthDates = (search.birthdate ?? []).map((value) => dateCondition('p.birth_date', value, 'birthdate'));
  const order = patientOrder(one(page.search, '_sort'));
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
  if (ids) q = q.where('p.id', 'in', ids);
  for (const condition of birthDates) q = q.where(condition);
  if (bsn) q = q.where('p.bsn', '=', bsn);
  if (gender) q = q.where('p.sex', '=', gender);
  // The start of any word of the names: "vries" finds de Vries, "anna de" Anna de Vries.
  if (name) q = q.where(nameWords('p'), 'like', `% ${escapeLike(name)}%`);
  const rows = await ctx.auditedRead(
    order
      .reduce((sorted, [column, direction]) => sorted.orderBy(column, direction), q)
      .limit(page.count)
      .offset(page.offset),
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

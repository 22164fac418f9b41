import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { ADULT_ROLES, personOrder } from '../database/schema.ts';
import { conceptionDate } from '../families/trajectory.ts';
import { COMMON_SEARCH, type FamilyResourceType, type FamilySource } from './family-resources.ts';
import {
  allOf,
  among,
  commonConditions,
  meta,
  readableFamily,
  ref,
  securityOf,
  subjectCondition,
  subjectOf,
  tokenValues,
} from './family-sources.ts';
import { ORGANISATION_TYPE_SYSTEM, one, parseReference } from './fhir.ts';

/**
 * The family record's frame as FHIR: the family (Group), the adults in relation to the child
 * (RelatedPerson), the care team (CareTeam), each child's 1001-day trajectory (EpisodeOfCare),
 * the contacts (Encounter) and the parents' consents (Consent).
 */

export const PERSON_ROLE_SYSTEM = 'urn:kring:person-role';
const ROLE_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

// ---------------------------------------------------------------- Group: the family as a whole

const groupSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  status: 'open' | 'closed';
  registered_by_organisation_id: string;
  members: { id: string }[];
}> = {
  query: (families, search) =>
    search.subject?.type === 'Patient'
      ? null
      : families.db
          .selectFrom('families as f')
          .select(['f.id', 'f.id as family_id', 'f.version', 'f.status', 'f.registered_by_organisation_id'])
          .select('f.created_at as last_updated')
          .select((eb) =>
            jsonArrayFrom(
              eb
                .selectFrom('persons as p')
                .select('p.id')
                .whereRef('p.family_id', '=', 'f.id')
                .orderBy(personOrder('p')),
            ).as('members'),
          )
          .where(readableFamily(families, search, 'f.id'))
          .where(allOf(commonConditions(search, { id: 'f.id', family: 'f.id', lastUpdated: 'f.created_at' }))),
  toResource: (f) => ({
    resourceType: 'Group',
    id: f.id,
    meta: meta(f.version, f.last_updated),
    active: f.status === 'open',
    type: 'person',
    actual: true,
    code: { coding: [{ system: 'urn:kring:group-kind', code: 'family', display: 'Gezin' }] },
    quantity: f.members.length,
    managingEntity: ref('Organization', f.registered_by_organisation_id),
    ...(f.members.length ? { member: f.members.map((m) => ({ entity: ref('Patient', m.id) })) } : {}),
  }),
};

export const GROUP: FamilyResourceType = {
  type: 'Group',
  recordType: 'family',
  searchParams: COMMON_SEARCH,
  sortByDate: false,
  sources: [groupSource],
};

// ------------------------------------------- RelatedPerson: an adult in relation to the child

/**
 * How an adult relates to a child of the family — one born or expected in Kring, or a sibling
 * already there at registration (a child of the family, not necessarily hers by birth) — or,
 * before there is a child, to the pregnant person.
 */
function relationship(role: string, to: string): { code: string; display: string } {
  if (role === 'pregnant_person')
    return to === 'child' ? { code: 'MTH', display: 'mother' } : { code: 'PRN', display: 'parent' };
  if (role === 'partner')
    return to === 'pregnant_person'
      ? { code: 'SIGOTHR', display: 'significant other' }
      : { code: 'PRN', display: 'parent' };
  if (role === 'foster_parent') return { code: 'PRNFOST', display: 'foster parent' };
  if (role === 'parent_of_minor') return { code: 'GRPRN', display: 'grandparent' };
  return { code: 'FAMMEMB', display: 'family member' };
}

/**
 * An adult in relation to one child: one RelatedPerson per adult and child (born, expected, or a
 * sibling there at registration), so `RelatedPerson?patient=` finds the parents of every child,
 * an older sibling's too; before there is a child, the adults beside the pregnant person in
 * relation to her. FHIR gives a RelatedPerson one patient, so its id is made of the pair: the
 * adult's id's first half and the child's id's second half — a uuid again, stable, and found by
 * the adult's primary key (a range on the first half) and then the child among the family.
 */
const relatedPersonSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  role: string;
  given_name: string | null;
  family_name: string | null;
  birth_date: string | null;
  parental_authority: boolean;
  patient_id: string;
  patient_role: string;
}> = {
  query: (families, search) => {
    const pairId = sql<string>`(left(p.id::text, 18) || right(r.id::text, 18))::uuid`;
    const adultHalf = search.id?.slice(0, 18);
    const isChild = sql<boolean>`r.role IN ('child', 'sibling') AND r.child_status IS DISTINCT FROM 'pregnancy_ended'`;
    const noChildYet = sql<boolean>`r.role = 'pregnant_person' AND r.id <> p.id AND NOT EXISTS (SELECT 1 FROM persons k
      WHERE k.family_id = p.family_id AND k.role IN ('child', 'sibling')
        AND k.child_status IS DISTINCT FROM 'pregnancy_ended')`;
    const patient = search.subject;
    return families.db
      .selectFrom('persons as p')
      .innerJoin('persons as r', (join) =>
        join.onRef('r.family_id', '=', 'p.family_id').on(sql<boolean>`((${isChild}) OR (${noChildYet}))`),
      )
      .select(pairId.as('id'))
      .select(['p.family_id', 'p.version', 'p.role', 'p.given_name', 'p.family_name', 'p.birth_date'])
      .select(['p.created_at as last_updated', 'r.id as patient_id', 'r.role as patient_role'])
      .select(
        sql<boolean>`EXISTS (SELECT 1 FROM parental_authorities pa WHERE pa.child_id = r.id AND pa.adult_id = p.id)`.as(
          'parental_authority',
        ),
      )
      .where(readableFamily(families, search, 'p.family_id'))
      .where('p.role', 'in', ADULT_ROLES)
      .where(
        allOf([
          ...commonConditions(search, { id: pairId, family: 'p.family_id', lastUpdated: 'p.created_at' }),
          adultHalf
            ? sql<boolean>`p.id BETWEEN ${`${adultHalf}-0000-000000000000`}::uuid AND ${`${adultHalf}-ffff-ffffffffffff`}::uuid`
            : undefined,
          patient ? sql<boolean>`r.id = ${patient.id}` : undefined,
        ]),
      );
  },
  toResource: (p) => {
    const relation = relationship(p.role, p.patient_role);
    return {
      resourceType: 'RelatedPerson',
      id: p.id,
      meta: meta(p.version, p.last_updated),
      active: true,
      patient: ref('Patient', p.patient_id),
      relationship: [
        {
          coding: [
            { system: ROLE_CODE_SYSTEM, ...relation },
            { system: PERSON_ROLE_SYSTEM, code: p.role },
            ...(p.parental_authority ? [{ system: 'urn:kring:parental-authority', code: 'gezag' }] : []),
          ],
        },
      ],
      ...(p.given_name || p.family_name
        ? {
            name: [
              {
                use: 'official',
                ...(p.family_name ? { family: p.family_name } : {}),
                ...(p.given_name ? { given: [p.given_name] } : {}),
              },
            ],
          }
        : {}),
      ...(p.birth_date ? { birthDate: p.birth_date } : {}),
    };
  },
};

export const RELATED_PERSON: FamilyResourceType = {
  type: 'RelatedPerson',
  recordType: 'related_person',
  searchParams: [
    ...COMMON_SEARCH,
    {
      name: 'patient',
      type: 'reference',
      documentation: 'The child (or, before there is one, the pregnant person) the adult is related to.',
    },
  ],
  sortByDate: false,
  sources: [relatedPersonSource],
};

// ---------------------------------------------------------------- CareTeam: the family's team

const careTeamSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  status: 'open' | 'closed';
  organisations: { organisation_id: string; started_on: string; type: string }[];
  professionals: { organisation_id: string; account_id: string; is_regiehouder: boolean; started_at: string }[];
}> = {
  query: (families, search) =>
    families.db
      .selectFrom('families as f')
      .select(['f.id', 'f.id as family_id', 'f.version', 'f.status', 'f.created_at as last_updated'])
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('care_team_organisations as cto')
            .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
            .select(['cto.organisation_id', 'cto.started_on', 'o.type'])
            .whereRef('cto.family_id', '=', 'f.id')
            .where('cto.ended_on', 'is', null)
            .orderBy('cto.started_on'),
        ).as('organisations'),
        jsonArrayFrom(
          eb
            .selectFrom('care_team_professionals as ctp')
            .select(['ctp.organisation_id', 'ctp.account_id', 'ctp.is_regiehouder', 'ctp.started_at'])
            .whereRef('ctp.family_id', '=', 'f.id')
            .where('ctp.ended_at', 'is', null)
            .orderBy('ctp.started_at'),
        ).as('professionals'),
      ])
      .where(readableFamily(families, search, 'f.id'))
      .where(
        allOf([
          ...commonConditions(search, { id: 'f.id', family: 'f.id', lastUpdated: 'f.created_at' }),
          subjectCondition(search, { family: 'f.id' }),
        ]),
      ),
  toResource: (t) => ({
    resourceType: 'CareTeam',
    id: t.id,
    meta: meta(t.version, t.last_updated),
    status: t.status === 'open' ? 'active' : 'inactive',
    category: [
      {
        coding: [
          {
            system: 'http://loinc.org',
            code: 'LA28865-6',
            display: 'Longitudinal care-coordination focused care team',
          },
        ],
      },
    ],
    subject: ref('Group', t.family_id),
    participant: [
      ...t.organisations.map((o) => ({
        role: [{ coding: [{ system: ORGANISATION_TYPE_SYSTEM, code: o.type }] }],
        member: ref('Organization', o.organisation_id),
        period: { start: o.started_on },
      })),
      ...t.professionals.map((p) => ({
        role: [{ coding: [{ system: 'urn:kring:care-team-role', code: p.is_regiehouder ? 'regiehouder' : 'member' }] }],
        member: ref('Practitioner', p.account_id),
        onBehalfOf: ref('Organization', p.organisation_id),
        period: { start: new Date(p.started_at).toISOString() },
      })),
    ],
  }),
};

export const CARE_TEAM: FamilyResourceType = {
  type: 'CareTeam',
  recordType: 'care_team',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: "A person of the family: the family's care team." },
    { name: 'subject', type: 'reference', documentation: 'The family (Group/id) or a person of it (Patient/id).' },
  ],
  sortByDate: false,
  sources: [careTeamSource],
};

// ------------------------------------------- EpisodeOfCare: a child's 1001-day trajectory

const episodeSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  kind: string;
  status: 'open' | 'closed';
  due_date: string | null;
  closed_on: string | null;
  created_at: Date;
  patient_id: string | null;
  registered_by_organisation_id: string;
}> = {
  query: (families, search) => {
    const patient = sql<string | null>`COALESCE(t.child_person_id, (SELECT pp.id FROM persons pp
      WHERE pp.family_id = t.family_id AND pp.role IN ('pregnant_person', 'partner', 'caregiver', 'foster_parent')
      ORDER BY pp.role = 'pregnant_person' DESC, pp.created_at LIMIT 1))`;
    const statuses = tokenValues(search, 'status', 'http://hl7.org/fhir/episode-of-care-status', {
      active: ['open'],
      finished: ['closed'],
    });
    return families.db
      .selectFrom('trajectories as t')
      .innerJoin('families as f', 'f.id', 't.family_id')
      .select(['t.id', 't.family_id', 't.version', 't.kind', 't.status', 't.due_date', 't.closed_on', 't.created_at'])
      .select(['t.created_at as last_updated', 'f.registered_by_organisation_id'])
      .select(patient.as('patient_id'))
      .where(readableFamily(families, search, 't.family_id'))
      .where(
        allOf([
          ...commonConditions(search, { id: 't.id', family: 't.family_id', lastUpdated: 't.created_at' }),
          search.subject ? sql<boolean>`${patient} = ${search.subject.id}` : undefined,
          statuses ? among(sql`t.status`, statuses) : undefined,
        ]),
      )
      .where(patient, 'is not', null);
  },
  toResource: (t) => ({
    resourceType: 'EpisodeOfCare',
    id: t.id,
    meta: meta(t.version, t.last_updated),
    status: t.status === 'open' ? 'active' : 'finished',
    type: [
      {
        coding: [{ system: 'urn:kring:trajectory-kind', code: t.kind }],
        text: t.kind === 'child' ? 'Traject van 1001 dagen' : 'Kinderwens (preconceptie)',
      },
    ],
    patient: ref('Patient', t.patient_id as string),
    managingOrganization: ref('Organization', t.registered_by_organisation_id),
    period: {
      // Day 1 of the 1001 days is the estimated conception.
      start: t.due_date ? conceptionDate(t.due_date) : new Date(t.created_at).toISOString().slice(0, 10),
      ...(t.closed_on ? { end: t.closed_on } : {}),
    },
  }),
};

export const EPISODE_OF_CARE: FamilyResourceType = {
  type: 'EpisodeOfCare',
  recordType: 'trajectory',
  searchParams: [
    ...COMMON_SEARCH,
    {
      name: 'patient',
      type: 'reference',
      documentation: 'The child (or, before birth or pregnancy, the parent) of the trajectory.',
    },
    { name: 'status', type: 'token', documentation: 'active or finished.' },
  ],
  sortByDate: false,
  sources: [episodeSource],
};

// ------------------------------------------------------------------- Encounter: the contacts

/** Kring's kinds of contact as the HL7 encounter classes. */
const ENCOUNTER_CLASS: Record<string, { code: string; display: string }> = {
  prenatal_check: { code: 'AMB', display: 'ambulatory' },
  consultatiebureau: { code: 'AMB', display: 'ambulatory' },
  group_session: { code: 'AMB', display: 'ambulatory' },
  home_visit: { code: 'HH', display: 'home health' },
  kraam_visit: { code: 'HH', display: 'home health' },
  phone_video: { code: 'VR', display: 'virtual' },
};
export const CONTACT_KIND_SYSTEM = 'urn:kring:contact-kind';

const encounterSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: string;
  version: number;
  kind: string;
  occurred_on: string;
  concerns_person_id: string | null;
  trajectory_id: string | null;
  organisation_id: string;
  account_id: string;
  category: 'medical' | 'psychosocial' | 'social';
}> = {
  query: (families, search) =>
    families.db
      .selectFrom('contacts as c')
      .select(['c.id', 'c.family_id', 'c.version', 'c.kind', 'c.occurred_on', 'c.concerns_person_id'])
      .select(['c.trajectory_id', 'c.organisation_id', 'c.account_id', 'c.category'])
      .select(['c.created_at as last_updated', 'c.occurred_on as sort_date'])
      .where(readableFamily(families, search, 'c.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'c.id',
            family: 'c.family_id',
            lastUpdated: 'c.created_at',
            date: 'c.occurred_on',
          }),
          subjectCondition(search, { family: 'c.family_id', person: 'c.concerns_person_id' }),
        ]),
      ),
  visible: (c, consent) => consent.mayRead(c),
  toResource: (c) => ({
    resourceType: 'Encounter',
    id: c.id,
    meta: { ...meta(c.version, c.last_updated), security: securityOf(c.category) },
    status: 'finished',
    class: { system: ACT_CODE_SYSTEM, ...(ENCOUNTER_CLASS[c.kind] ?? { code: 'AMB', display: 'ambulatory' }) },
    type: [{ coding: [{ system: CONTACT_KIND_SYSTEM, code: c.kind }] }],
    subject: subjectOf(c),
    ...(c.trajectory_id ? { episodeOfCare: [ref('EpisodeOfCare', c.trajectory_id)] } : {}),
    participant: [{ individual: ref('Practitioner', c.account_id) }],
    period: { start: c.occurred_on, end: c.occurred_on },
    serviceProvider: ref('Organization', c.organisation_id),
  }),
};

export const ENCOUNTER: FamilyResourceType = {
  type: 'Encounter',
  recordType: 'contact',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: 'The person the contact concerns.' },
    {
      name: 'subject',
      type: 'reference',
      documentation: 'Patient/id, or Group/id for contacts with the family as a whole.',
    },
    { name: 'date', type: 'date', documentation: 'The day of the contact.' },
  ],
  sortByDate: true,
  sources: [encounterSource],
};

// ------------------------------------------------------------------ Consent: the parents' consents

const consentSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  person_id: string;
  purpose: string;
  organisation_id: string | null;
  category: string | null;
  given_how: string;
  recorded_at: Date;
  withdrawn_at: Date | null;
}> = {
  query: (families, search) => {
    const actor = one(search.raw, 'actor');
    const organisation = actor === undefined ? undefined : parseReference(actor, 'actor', ['Organization']).id;
    const statuses = tokenValues(search, 'status', 'http://hl7.org/fhir/consent-state-codes', {
      active: ['active'],
      inactive: ['inactive'],
    });
    return families.db
      .selectFrom('consents as c')
      .select(['c.id', 'c.family_id', 'c.person_id', 'c.purpose', 'c.organisation_id', 'c.category', 'c.given_how'])
      .select(['c.recorded_at', 'c.withdrawn_at'])
      .select(sql<Date>`COALESCE(c.withdrawn_at, c.recorded_at)`.as('last_updated'))
      .where(readableFamily(families, search, 'c.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'c.id',
            family: 'c.family_id',
            lastUpdated: sql`COALESCE(c.withdrawn_at, c.recorded_at)`,
          }),
          search.subject ? sql<boolean>`c.person_id = ${search.subject.id}` : undefined,
          organisation ? sql<boolean>`c.organisation_id = ${organisation}` : undefined,
          statuses
            ? among(sql`(CASE WHEN c.withdrawn_at IS NULL THEN 'active' ELSE 'inactive' END)`, statuses)
            : undefined,
        ]),
      );
  },
  toResource: (c) => ({
    resourceType: 'Consent',
    id: c.id,
    meta: { versionId: c.withdrawn_at ? '2' : '1', lastUpdated: new Date(c.last_updated).toISOString() },
    status: c.withdrawn_at ? 'inactive' : 'active',
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: c.purpose === 'municipal_figures' ? 'research' : 'patient-privacy',
        },
      ],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: ref('Patient', c.person_id),
    dateTime: new Date(c.recorded_at).toISOString(),
    performer: [ref('Patient', c.person_id)],
    policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: 'OPTIN' }] },
    provision: {
      type: 'permit',
      purpose: [{ system: 'urn:kring:consent-purpose', code: c.purpose }],
      ...(c.organisation_id
        ? {
            actor: [
              {
                role: {
                  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }],
                },
                reference: ref('Organization', c.organisation_id),
              },
            ],
          }
        : {}),
      ...(c.category ? { securityLabel: securityOf(c.category) } : {}),
    },
    extension: [{ url: 'urn:kring:consent-given-how', valueCode: c.given_how }],
  }),
};

export const CONSENT: FamilyResourceType = {
  type: 'Consent',
  recordType: 'consent',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: 'The person who gave the consent.' },
    { name: 'actor', type: 'reference', documentation: 'The organisation it allows to see (Organization/id).' },
    { name: 'status', type: 'token', documentation: 'active, or inactive once withdrawn.' },
  ],
  sortByDate: false,
  sources: [consentSource],
};

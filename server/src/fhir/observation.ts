import { sql } from 'kysely';
import type { CARE_INTENSITIES } from '../database/schema.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { COMMON_SEARCH, type FamilyResourceType, type FamilySource, type ParsedSearch } from './family-resources.ts';
import {
  allOf,
  commonConditions,
  meta,
  readableFamily,
  ref,
  securityOf,
  subjectCondition,
  subjectOf,
  tokenValues,
} from './family-sources.ts';
import { invalidSearch, one } from './fhir.ts';

/**
 * Observation: the signals (a stress or protective factor, with whom it concerns, since when, its
 * source and the professional's words) and the care-intensity judgement with its rationale. Only
 * what the actor's organisation may read: the parents' consent per category and subject, and a
 * parent's own history only while that parent consents to it — as on the family's picture.
 */

export const SIGNAL_CODE_SYSTEM = 'urn:kring:signal-code';
export const OBSERVATION_CODE_SYSTEM = 'urn:kring:observation-code';
const KRING_CATEGORY_SYSTEM = 'urn:kring:observation-category';
const HL7_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SIGNAL_STATUS_SYSTEM = 'urn:kring:signal-status';
const SIGNAL_SOURCE_SYSTEM = 'urn:kring:signal-source';
const CARE_INTENSITY_SYSTEM = 'urn:kring:care-intensity';

/** The observation categories a search can ask for (Kring's own, on its system). */
const CATEGORY_VALUES = {
  'stress-factor': ['stress-factor'],
  'protective-factor': ['protective-factor'],
  'care-intensity': ['care-intensity'],
} as const;

/** Each observation carries Kring's category and HL7's (a signal is social history, a judgement a survey). */
const categoriesOf = (search: ParsedSearch) =>
  tokenValues(search, 'category', KRING_CATEGORY_SYSTEM, CATEGORY_VALUES, [
    {
      system: HL7_CATEGORY_SYSTEM,
      codes: { 'social-history': ['stress-factor', 'protective-factor'], survey: ['care-intensity'] },
    },
  ]);

/** The codes a search asks for: signal codes, or care-intensity (any system Kring uses). */
function wantedCodes(search: ParsedSearch): string[] | undefined {
  const value = one(search.raw, 'code');
  if (value === undefined) return undefined;
  const known = signalCodes().byKey;
  // The token rules: a signal code is of Kring's signal-code system, care-intensity of its
  // observation-code system; another system, or none (`|code`), matches nothing.
  return value.split(',').flatMap((part) => {
    const [system, code] = part.includes('|') ? (part.split('|', 2) as [string, string]) : [undefined, part];
    if (!known.has(code) && code !== 'care-intensity') {
      throw invalidSearch('code', `A signal code of ${SIGNAL_CODE_SYSTEM}, or care-intensity.`);
    }
    const itsSystem = code === 'care-intensity' ? OBSERVATION_CODE_SYSTEM : SIGNAL_CODE_SYSTEM;
    return system === undefined || system === itsSystem ? [code] : [];
  });
}

const STATUS_VALUES = { final: ['final'], amended: ['amended'], preliminary: ['preliminary'] } as const;

type SignalRow = {
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: string | Date;
  version: number;
  code: string;
  concerns_person_id: string | null;
  status: 'present' | 'no_longer_present' | 'unknown';
  since: string | null;
  ended_on: string | null;
  source: string;
  note: string | null;
  category: 'medical' | 'psychosocial' | 'social';
  organisation_id: string;
  account_id: string;
  created_at: Date;
};

const signalSource: FamilySource<SignalRow> = {
  query: (families, search) => {
    const categories = categoriesOf(search);
    const kinds = categories?.flatMap((c) =>
      c === 'stress-factor' ? ['stress'] : c === 'protective-factor' ? ['protective'] : [],
    );
    if (kinds && kinds.length === 0) return null;
    const statuses = tokenValues(search, 'status', 'http://hl7.org/fhir/observation-status', STATUS_VALUES);
    if (statuses && !statuses.some((s) => s !== 'preliminary')) return null;
    const codes = signalCodes();
    const signalCodesWanted = wantedCodes(search)?.filter((c) => c !== 'care-intensity');
    if (signalCodesWanted && signalCodesWanted.length === 0) return null;
    const kindCodes = kinds
      ? [...codes.byKey.keys()].filter((k) => kinds.includes(codes.kindOf.get(k) ?? 'stress'))
      : undefined;
    return families.db
      .selectFrom('signals as s')
      .select(['s.id', 's.family_id', 's.version', 's.code', 's.concerns_person_id', 's.status', 's.since'])
      .select(['s.ended_on', 's.source', 's.note', 's.category', 's.organisation_id', 's.account_id', 's.created_at'])
      .select(['s.updated_at as last_updated'])
      .select(sql<string>`COALESCE(s.since::timestamptz, s.created_at)`.as('sort_date'))
      .where(readableFamily(families, search, 's.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 's.id',
            family: 's.family_id',
            lastUpdated: 's.updated_at',
            date: sql`COALESCE(s.since::timestamptz, s.created_at)`,
          }),
          subjectCondition(search, { family: 's.family_id', person: 's.concerns_person_id' }),
          signalCodesWanted ? sql<boolean>`s.code IN (${sql.join(signalCodesWanted)})` : undefined,
          kindCodes
            ? kindCodes.length
              ? sql<boolean>`s.code IN (${sql.join(kindCodes)})`
              : sql<boolean>`false`
            : undefined,
          statuses && !statuses.includes('final') ? sql<boolean>`s.version > 1` : undefined,
          statuses && !statuses.includes('amended') ? sql<boolean>`s.version = 1` : undefined,
        ]),
      );
  },
  visible: (s, consent) => consent.maySeeSignal(s),
  // Kring keeps every version of a signal (signal_versions): recorded and corrected hold the whole
  // state, ended the end date, confirmed only a new review date.
  atVersion: async (db, current, version) => {
    const versions = await db
      .selectFrom('signal_versions')
      .select(['version', 'change', 'state', 'changed_at'])
      .where('signal_id', '=', current.id)
      .where('version', '<=', version)
      .orderBy('version')
      .execute();
    if (versions.at(-1)?.version !== version) return null;
    let row: SignalRow = current;
    for (const v of versions) {
      const state = v.state as Partial<SignalRow> & { endedOn?: string };
      if (v.change === 'recorded' || v.change === 'corrected') {
        row = {
          ...row,
          concerns_person_id: state.concerns_person_id ?? null,
          status: state.status ?? row.status,
          since: state.since ?? null,
          source: state.source ?? row.source,
          note: state.note ?? null,
          category: state.category ?? row.category,
          ended_on:
            state.status === 'no_longer_present'
              ? (row.ended_on ?? new Date(v.changed_at).toISOString().slice(0, 10))
              : null,
        };
      } else if (v.change === 'ended') {
        row = { ...row, status: 'no_longer_present', ended_on: state.endedOn ?? row.ended_on };
      }
      row = { ...row, version: v.version, last_updated: v.changed_at };
    }
    return row;
  },
  toResource: (s) => {
    const codes = signalCodes();
    const definition = codes.byKey.get(s.code);
    const kind = codes.kindOf.get(s.code) ?? 'stress';
    return {
      resourceType: 'Observation',
      id: s.id,
      meta: { ...meta(s.version, s.last_updated), security: securityOf(s.category) },
      status: s.version > 1 ? 'amended' : 'final',
      category: [
        { coding: [{ system: HL7_CATEGORY_SYSTEM, code: 'social-history', display: 'Social History' }] },
        {
          coding: [
            { system: KRING_CATEGORY_SYSTEM, code: kind === 'protective' ? 'protective-factor' : 'stress-factor' },
          ],
        },
      ],
      code: {
        coding: [{ system: SIGNAL_CODE_SYSTEM, code: s.code, ...(definition ? { display: definition.nl } : {}) }],
        ...(definition ? { text: definition.nl } : {}),
      },
      subject: subjectOf(s),
      effectivePeriod: {
        start: s.since ?? new Date(s.created_at).toISOString().slice(0, 10),
        ...(s.ended_on ? { end: s.ended_on } : {}),
      },
      issued: new Date(s.created_at).toISOString(),
      performer: [ref('Practitioner', s.account_id), ref('Organization', s.organisation_id)],
      valueCodeableConcept: { coding: [{ system: SIGNAL_STATUS_SYSTEM, code: s.status }] },
      method: { coding: [{ system: SIGNAL_SOURCE_SYSTEM, code: s.source }] },
      ...(s.note ? { note: [{ text: s.note }] } : {}),
    };
  },
};

type JudgementRow = {
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: Date;
  version: number;
  stress_level: string;
  intensity: (typeof CARE_INTENSITIES)[number];
  rationale: string;
  parents_view: string | null;
  category: 'medical' | 'psychosocial' | 'social';
  status: 'effective' | 'proposed' | 'agreed' | 'commented';
  organisation_id: string;
  account_id: string;
  reviewed_by_account_id: string | null;
  created_at: Date;
};

/** When a judgement (alias j) last changed: a colleague's second look is its later version. */
export const JUDGEMENT_LAST_UPDATED = sql<Date>`COALESCE(j.reviewed_at, j.created_at)`;

const judgementStatus = (status: JudgementRow['status']) =>
  status === 'proposed' || status === 'commented' ? 'preliminary' : 'final';

const judgementSource: FamilySource<JudgementRow> = {
  query: (families, search) => {
    const categories = categoriesOf(search);
    if (categories && !categories.includes('care-intensity')) return null;
    const codes = wantedCodes(search);
    if (codes && !codes.includes('care-intensity')) return null;
    if (search.subject?.type === 'Patient') return null; // a judgement is about the family as a whole
    const statuses = tokenValues(search, 'status', 'http://hl7.org/fhir/observation-status', STATUS_VALUES);
    const kring = statuses?.flatMap((s) =>
      s === 'preliminary' ? ['proposed', 'commented'] : s === 'final' ? ['effective', 'agreed'] : [],
    );
    if (kring && kring.length === 0) return null;
    return families.db
      .selectFrom('judgements as j')
      .select(['j.id', 'j.family_id', 'j.version', 'j.stress_level', 'j.intensity', 'j.rationale', 'j.parents_view'])
      .select([
        'j.category',
        'j.status',
        'j.organisation_id',
        'j.account_id',
        'j.reviewed_by_account_id',
        'j.created_at',
      ])
      .select(JUDGEMENT_LAST_UPDATED.as('last_updated'))
      .select('j.created_at as sort_date')
      .where(readableFamily(families, search, 'j.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'j.id',
            family: 'j.family_id',
            lastUpdated: JUDGEMENT_LAST_UPDATED,
            date: 'j.created_at',
          }),
          subjectCondition(search, { family: 'j.family_id' }),
          kring ? sql<boolean>`j.status IN (${sql.join(kring)})` : undefined,
        ]),
      );
  },
  visible: (j, consent) => consent.mayRead({ ...j, concerns_person_id: null }),
  toResource: (j) => ({
    resourceType: 'Observation',
    id: j.id,
    meta: { ...meta(j.version, j.last_updated), security: securityOf(j.category) },
    status: judgementStatus(j.status),
    category: [
      { coding: [{ system: HL7_CATEGORY_SYSTEM, code: 'survey', display: 'Survey' }] },
      { coding: [{ system: KRING_CATEGORY_SYSTEM, code: 'care-intensity' }] },
    ],
    code: {
      coding: [{ system: OBSERVATION_CODE_SYSTEM, code: 'care-intensity', display: 'Zorgintensiteit' }],
      text: 'Oordeel over de benodigde zorgintensiteit',
    },
    subject: ref('Group', j.family_id),
    effectiveDateTime: new Date(j.created_at).toISOString(),
    issued: new Date(j.created_at).toISOString(),
    performer: [
      ref('Practitioner', j.account_id),
      ...(j.reviewed_by_account_id ? [ref('Practitioner', j.reviewed_by_account_id)] : []),
      ref('Organization', j.organisation_id),
    ],
    valueCodeableConcept: { coding: [{ system: CARE_INTENSITY_SYSTEM, code: j.intensity }] },
    note: [{ text: j.rationale }, ...(j.parents_view ? [{ text: `Wat de ouders zeggen: ${j.parents_view}` }] : [])],
    component: [
      {
        code: { coding: [{ system: OBSERVATION_CODE_SYSTEM, code: 'stress-level', display: 'Stressniveau' }] },
        valueCodeableConcept: { coding: [{ system: 'urn:kring:stress-level', code: j.stress_level }] },
      },
    ],
  }),
};

export const OBSERVATION: FamilyResourceType = {
  type: 'Observation',
  recordType: 'observation',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: 'The person the signal concerns.' },
    {
      name: 'subject',
      type: 'reference',
      documentation: 'Patient/id, or Group/id for signals and judgements about the family as a whole.',
    },
    {
      name: 'category',
      type: 'token',
      documentation: `${KRING_CATEGORY_SYSTEM}: stress-factor, protective-factor or care-intensity.`,
    },
    { name: 'code', type: 'token', documentation: `A signal code (${SIGNAL_CODE_SYSTEM}) or care-intensity.` },
    { name: 'date', type: 'date', documentation: 'Since when the signal holds; when the judgement was made.' },
    {
      name: 'status',
      type: 'token',
      documentation: 'final, amended (corrected) or preliminary (awaiting a colleague).',
    },
  ],
  sortByDate: true,
  sources: [signalSource, judgementSource],
};

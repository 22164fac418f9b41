import { sql } from 'kysely';
import { COMMON_SEARCH, type FamilyResourceType, type FamilySource, type ParsedSearch } from './family-resources.ts';
import { allOf, commonConditions, readableFamily, ref } from './family-sources.ts';
import { one, parseReference } from './fhir.ts';
import { JUDGEMENT_LAST_UPDATED } from './observation.ts';

/**
 * Provenance, where it helps a receiving system: who recorded, corrected, ended or confirmed each
 * version of a signal, for which organisation and when (one Provenance per version, its target
 * that version of the Observation); and for a care-intensity judgement, who made it and which
 * colleague gave the second look (the four-eyes rule). Read-only; shown only where the
 * Observation it is about may be seen (the parents' consent, a parent's own history only with
 * that parent's consent).
 */

const DATA_OPERATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const SIGNAL_CHANGE_SYSTEM = 'urn:kring:signal-change';
const SECOND_LOOK_SYSTEM = 'urn:kring:second-look';

const CHANGE_TEXT = {
  recorded: 'Signaal vastgelegd',
  corrected: 'Signaal gecorrigeerd',
  ended: 'Signaal beëindigd',
  confirmed: 'Signaal bevestigd bij herbeoordeling',
} as const;

/** The Observation a `target` search names, and the version when it names one. */
function targetOf(search: ParsedSearch): { id: string; version?: number } | undefined {
  const value = one(search.raw, 'target');
  if (value === undefined) return undefined;
  const versioned = /^(.*)\/_history\/(\d{1,9})$/.exec(value);
  const { id } = parseReference(versioned ? (versioned[1] as string) : value, 'target', ['Observation']);
  return versioned ? { id, version: Number(versioned[2]) } : { id };
}

/** The `agent` a search names: a Practitioner. */
function agentOf(search: ParsedSearch): string | undefined {
  const value = one(search.raw, 'agent');
  return value === undefined ? undefined : parseReference(value, 'agent', ['Practitioner']).id;
}

const author = (accountId: string, organisationId: string | null) => ({
  type: { coding: [{ system: PARTICIPANT_TYPE_SYSTEM, code: 'author', display: 'Author' }] },
  who: ref('Practitioner', accountId),
  ...(organisationId ? { onBehalfOf: ref('Organization', organisationId) } : {}),
});

type SignalVersionRow = {
  id: string;
  family_id: string;
  last_updated: Date;
  signal_id: string;
  version: number;
  change: keyof typeof CHANGE_TEXT;
  changed_by_account_id: string;
  changer_organisation_id: string | null;
  // What consent decides on: the signal as it is now (as its Observation is shown or not).
  code: string;
  category: 'medical' | 'psychosocial' | 'social';
  concerns_person_id: string | null;
  organisation_id: string;
};

const signalVersionSource: FamilySource<SignalVersionRow> = {
  query: (families, search) => {
    const target = targetOf(search);
    const agent = agentOf(search);
    return families.db
      .selectFrom('signal_versions as sv')
      .innerJoin('signals as s', 's.id', 'sv.signal_id')
      .innerJoin('accounts as a', 'a.id', 'sv.changed_by_account_id')
      .select(['sv.id', 'sv.family_id', 'sv.changed_at as last_updated', 'sv.signal_id', 'sv.version', 'sv.change'])
      .select(['sv.changed_by_account_id', 'a.organisation_id as changer_organisation_id'])
      .select(['s.code', 's.category', 's.concerns_person_id', 's.organisation_id'])
      .where(readableFamily(families, search, 'sv.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'sv.id',
            family: 'sv.family_id',
            lastUpdated: 'sv.changed_at',
            date: 'sv.changed_at',
          }),
          target ? sql<boolean>`sv.signal_id = ${target.id}` : undefined,
          target?.version !== undefined ? sql<boolean>`sv.version = ${target.version}` : undefined,
          agent ? sql<boolean>`sv.changed_by_account_id = ${agent}` : undefined,
        ]),
      );
  },
  visible: (v, consent) => consent.maySeeSignal(v),
  toResource: (v) => ({
    resourceType: 'Provenance',
    id: v.id,
    meta: { versionId: '1', lastUpdated: new Date(v.last_updated).toISOString() },
    target: [{ reference: `Observation/${v.signal_id}/_history/${v.version}` }],
    recorded: new Date(v.last_updated).toISOString(),
    activity: {
      coding: [
        { system: DATA_OPERATION_SYSTEM, code: v.change === 'recorded' ? 'CREATE' : 'UPDATE' },
        { system: SIGNAL_CHANGE_SYSTEM, code: v.change, display: CHANGE_TEXT[v.change] },
      ],
      text: CHANGE_TEXT[v.change],
    },
    // Who recorded the signal did so for its organisation; a later change, for the changer's own.
    agent: [author(v.changed_by_account_id, v.change === 'recorded' ? v.organisation_id : v.changer_organisation_id)],
  }),
};

type JudgementRow = {
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  status: 'effective' | 'proposed' | 'agreed' | 'commented';
  category: 'medical' | 'psychosocial' | 'social';
  organisation_id: string;
  account_id: string;
  reviewed_by_account_id: string | null;
  reviewer_organisation_id: string | null;
  created_at: Date;
};

const judgementSource: FamilySource<JudgementRow> = {
  query: (families, search) => {
    const target = targetOf(search);
    // A judgement has one version in FHIR (its Observation offers no vread).
    if (target?.version !== undefined && target.version !== 1) return null;
    const agent = agentOf(search);
    return families.db
      .selectFrom('judgements as j')
      .leftJoin('accounts as r', 'r.id', 'j.reviewed_by_account_id')
      .select(['j.id', 'j.family_id', 'j.version', 'j.status', 'j.category', 'j.organisation_id', 'j.account_id'])
      .select(['j.reviewed_by_account_id', 'r.organisation_id as reviewer_organisation_id', 'j.created_at'])
      .select(JUDGEMENT_LAST_UPDATED.as('last_updated'))
      .where(readableFamily(families, search, 'j.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'j.id',
            family: 'j.family_id',
            lastUpdated: JUDGEMENT_LAST_UPDATED,
            date: JUDGEMENT_LAST_UPDATED,
          }),
          target ? sql<boolean>`j.id = ${target.id}` : undefined,
          agent ? sql<boolean>`(j.account_id = ${agent} OR j.reviewed_by_account_id = ${agent})` : undefined,
        ]),
      );
  },
  visible: (j, consent) => consent.mayRead({ ...j, concerns_person_id: null }),
  toResource: (j) => {
    const reviewer = j.reviewed_by_account_id;
    return {
      resourceType: 'Provenance',
      id: j.id,
      // It gains the colleague when the second look is given: a new version.
      meta: { versionId: String(j.version), lastUpdated: new Date(j.last_updated).toISOString() },
      target: [ref('Observation', j.id)],
      recorded: new Date(j.last_updated).toISOString(),
      activity: {
        coding: [{ system: DATA_OPERATION_SYSTEM, code: 'CREATE' }],
        text: 'Oordeel over de zorgintensiteit',
      },
      agent: [
        author(j.account_id, j.organisation_id),
        // The colleague's second look: agreed is a verification; a comment is a second look without it.
        ...(reviewer
          ? [
              {
                type:
                  j.status === 'agreed'
                    ? { coding: [{ system: PARTICIPANT_TYPE_SYSTEM, code: 'verifier', display: 'Verifier' }] }
                    : {
                        coding: [{ system: SECOND_LOOK_SYSTEM, code: 'commented' }],
                        text: 'Tweede blik: opmerking, niet ingestemd',
                      },
                who: ref('Practitioner', reviewer),
                ...(j.reviewer_organisation_id ? { onBehalfOf: ref('Organization', j.reviewer_organisation_id) } : {}),
              },
            ]
          : []),
      ],
    };
  },
};

export const PROVENANCE: FamilyResourceType = {
  type: 'Provenance',
  recordType: 'provenance',
  searchParams: [
    ...COMMON_SEARCH,
    {
      name: 'target',
      type: 'reference',
      documentation: 'Observation/id (every version of a signal, or a judgement), or Observation/id/_history/n.',
    },
    { name: 'agent', type: 'reference', documentation: 'Practitioner/id: who recorded, changed or reviewed.' },
    { name: 'recorded', type: 'date', documentation: 'When the change was recorded (prefixes as for dates).' },
  ],
  sortByDate: false,
  sources: [signalVersionSource, judgementSource],
};

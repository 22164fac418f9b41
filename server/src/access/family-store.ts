import { type Kysely, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { type ConsentPerson, consentFor } from '../consent/consent-rules.ts';
import { CONSENT_CATEGORIES, type ConsentCategory, type DB, personOrder } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { todayIso as today } from '../families/trajectory.ts';
import { OWN_HISTORY_DOMAIN, signalCodes } from '../signals/signal-codes.ts';
import type { Access } from './access.ts';
import { readerFactColumns, readerFrom } from './family-audience.ts';

/**
 * The one door to a family's data for a professional, a system client, a break-the-glass reader
 * or a parent in their own Kring: each request gets it as `ctx.families` (or `tx.families` inside
 * a transaction), scoped to the reader. It loads a family only when the reader's organisation is
 * in the family's team (or broke the glass), with what the parents' consent per category per
 * person allows — the family scope of the access decision point (access.ts) and the consent rules
 * (consent-rules.ts) applied in one place. A parent comes in through `parent()`; what the parents
 * see of each other is decided beside it (family-audience.ts).
 */
export class FamilyStore {
  readonly db: Kysely<DB>;
  readonly access: Access;

  constructor(db: Kysely<DB>, access: Access) {
    this.db = db;
    this.access = access;
  }

  /** The family with its persons and active consents in one statement, only if the reader may see it. */
  query(familyId: string, purpose: 'read' | 'write' = 'read') {
    return familyQuery(this.db, this.access, familyId, purpose);
  }

  /** The family with what the catalogue looks at (signals, the open trajectory, judgements), only if the reader may see it. */
  facts(familyId: string, purpose: 'read' | 'write' = 'read') {
    return familyFactsQuery(this.db, this.access, familyId, purpose);
  }

  /**
   * A family the reader may see (404 otherwise, audited), with what their organisation's consent
   * allows: the categories it may read, and each entry's verdict.
   */
  async open(familyId: string, action: 'family.read' | 'family.write') {
    const family = await this.query(familyId, action === 'family.write' ? 'write' : 'read').executeTakeFirst();
    if (!family) throw this.access.familyNotFound(action, familyId);
    const { persons, consents } = family;
    return { family, persons, consents, ...this.consent(family) };
  }

  /** What consent allows the reader's organisation (or another one, to show what it would see) on a loaded family. */
  consent(
    family: { persons: PersonFacts[]; consents: LoadedFamily['consents']; emergency_access?: boolean },
    organisationId: string = this.access.organisationId,
  ) {
    const emergency = organisationId === this.access.organisationId && family.emergency_access === true;
    return consentOf(organisationId, family.persons, family.consents, emergency);
  }

  /**
   * For FHIR: each family's consent as the web app decides it — its persons, active consents and
   * whether the reader holds a break-the-glass access — in one statement for all families found.
   */
  async consents(familyIds: string[]): Promise<Map<string, ReturnType<FamilyStore['consent']>>> {
    if (familyIds.length === 0) return new Map();
    const families = await this.db
      .selectFrom('families as f')
      .select('f.id')
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('persons as p')
            .select(['p.id', 'p.role', 'p.birth_date', 'p.child_status'])
            .select(authorityOver('p.id'))
            .whereRef('p.family_id', '=', 'f.id'),
        ).as('persons'),
        jsonArrayFrom(
          eb
            .selectFrom('consents as c')
            .select(['c.person_id', 'c.purpose', 'c.organisation_id', 'c.category'])
            .whereRef('c.family_id', '=', 'f.id')
            .where('c.withdrawn_at', 'is', null),
        ).as('consents'),
      ])
      .select(this.access.emergencyAccess('f.id').as('emergency_access'))
      // One array, not a list of parameters: one statement text (prepared once) for any number.
      .where(sql<boolean>`f.id = ANY(${familyIds}::uuid[])`)
      .execute();
    return new Map(
      families.map((f) => [f.id, this.consent({ ...f, consents: f.consents as LoadedFamily['consents'] })]),
    );
  }

  /**
   * A parent in their own Kring: their family and person come from their account's link
   * (parent_links), never from the request, with what the family rule needs to know of them
   * (family-audience.ts: each query of the portal adds `parentSeesEntry(reader, …)`). Refused (404,
   * audited) when the account has none, and (403 ACCOUNT_PAUSED, audited) while a safety measure
   * pauses it — nothing more than that the account is paused.
   */
  async parent(action: string) {
    this.access.requireRole('portal.read');
    const link = await this.db
      .selectFrom('parent_links as pl')
      .select(['pl.family_id', 'pl.person_id'])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('safety_measures as sm')
              .select('sm.id')
              .whereRef('sm.person_id', '=', 'pl.person_id')
              .where('sm.kind', '=', 'portal_paused')
              .where('sm.ended_at', 'is', null),
          )
          .as('paused'),
      )
      .select(readerFactColumns(sql.ref('pl.family_id'), sql.ref('pl.person_id')))
      .where('pl.account_id', '=', this.access.actor.accountId)
      .executeTakeFirst();
    if (!link) throw new AppError('NOT_FOUND', 'Your account is not linked to a family yet.', { refusal: { action } });
    if (link.paused) {
      throw new AppError('ACCOUNT_PAUSED', 'Your account is paused. Please contact your care provider.', {
        refusal: { action, familyId: link.family_id, recordType: 'safety_measure' },
      });
    }
    return {
      familyId: link.family_id,
      personId: link.person_id,
      reader: readerFrom(link.family_id, link.person_id, link),
    };
  }

  /**
   * The name of the family in `familyIdColumn` (its first person), as a column of a list the
   * reader already has (tasks, what they sent) — null when the reader may not see that family.
   */
  nameIfVisible(familyIdColumn: string) {
    return sql<string | null>`(SELECT concat_ws(' ', p.given_name, p.family_name) FROM persons p
      WHERE p.family_id = ${sql.ref(familyIdColumn)} AND ${this.readable(familyIdColumn)}
      ORDER BY ${personOrder('p')} LIMIT 1)`;
  }

  /**
   * SQL condition for a list of the reader's own: the family in `familyIdColumn` is one the
   * reader works with in its team (for writes, search, the caseload) — break-the-glass not included.
   */
  inTeam(familyIdColumn: string) {
    return this.access.familyScope(familyIdColumn);
  }

  /** SQL condition: the reader may read the family in `familyIdColumn` (its team, or a break-the-glass access). */
  readable(familyIdColumn: string) {
    return this.access.familyReadScope(familyIdColumn);
  }

  /**
   * The ids of the families the reader may read, as a subquery: for queries that start from the
   * reader's families rather than test every row. `emergency: false` leaves out those open only by
   * break-the-glass (a bulk export is no emergency read).
   */
  readableIds(options: { emergency?: boolean } = {}) {
    return this.access.readableFamilies(options);
  }

  /** The ids of the families whose audit trail the reader may read (they are its regiehouder), as a subquery. */
  regieIds() {
    return this.access.regieFamilies();
  }

  /** Is this organisation (the reader's, by default) an active member of the family's team? */
  async isTeamMember(familyId: string, organisationId: string = this.access.organisationId): Promise<boolean> {
    const member = await this.db
      .selectFrom('care_team_organisations')
      .select('id')
      .where('family_id', '=', familyId)
      .where('organisation_id', '=', organisationId)
      .where('ended_on', 'is', null)
      .executeTakeFirst();
    return member !== undefined;
  }
}

/**
 * The family with its persons and active consents in one statement, only if the actor may see it
 * (the family scope of the access decision point).
 */
function familyQuery(db: Kysely<DB>, access: Access, familyId: string, purpose: 'read' | 'write' = 'read') {
  return db
    .selectFrom('families as f')
    .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
    .selectAll('f')
    .select('n.name as neighbourhood')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('persons as p')
          .leftJoin('organisations as po', 'po.id', 'p.protection_organisation_id')
          .selectAll('p')
          .select('po.name as protection_organisation_name')
          .select(authorityOver('p.id'))
          .whereRef('p.family_id', '=', 'f.id')
          .orderBy(personOrder('p')),
      ).as('persons'),
      jsonArrayFrom(
        eb
          .selectFrom('consents as c')
          .selectAll('c')
          .whereRef('c.family_id', '=', 'f.id')
          .where('c.withdrawn_at', 'is', null)
          .orderBy('c.recorded_at'),
      ).as('consents'),
    ])
    .select(access.emergencyAccess('f.id').as('emergency_access'))
    .where('f.id', '=', familyId)
    .where(purpose === 'write' ? access.familyScope('f.id') : access.familyReadScope('f.id'));
}

type LoadedFamily = NonNullable<Awaited<ReturnType<ReturnType<typeof familyQuery>['executeTakeFirst']>>>;

/** A family's persons as the consent rules see them. */
type PersonFacts = Pick<
  LoadedFamily['persons'][number],
  'id' | 'role' | 'authority_over' | 'birth_date' | 'child_status'
>;

/** The children a person (id column) holds parental authority over, as a column `authority_over`. */
export function authorityOver(personIdColumn: string) {
  return sql<string[]>`ARRAY(SELECT pa.child_id::text FROM parental_authorities pa
    WHERE pa.adult_id = ${sql.ref(personIdColumn)} ORDER BY pa.child_id)`.as('authority_over');
}

export function consentPersons(persons: PersonFacts[]): ConsentPerson[] {
  return persons.map((p) => ({
    id: p.id,
    role: p.role,
    authorityOver: p.authority_over,
    birthDate: p.birth_date,
    childStatus: p.child_status,
  }));
}

/**
 * What the organisation's consent allows: per category for the family as a whole, and whether one
 * entry may be read — its own, or consented in its category by those who count for whom it concerns.
 */
export function consentOf(
  organisationId: string,
  persons: PersonFacts[],
  consents: LoadedFamily['consents'],
  /** Break-the-glass access overrides the parents' sharing consent (never a parent's own history). */
  emergency = false,
) {
  const people = consentPersons(persons);
  const given = consents
    .filter((c) => c.purpose === 'share' && c.organisation_id && c.category)
    .map((c) => ({
      personId: c.person_id,
      organisationId: c.organisation_id as string,
      category: c.category as ConsentCategory,
    }));
  const now = today();
  const allowedFor = (subjectId: string | null) =>
    new Set(
      consentFor(organisationId, people, given, CONSENT_CATEGORIES, { subjectId, today: now })
        .filter((c) => c.complete)
        .map((c) => c.category),
    );
  const mine = consentFor(organisationId, people, given, CONSENT_CATEGORIES, { today: now });
  const allowed = new Map<string | null, Set<ConsentCategory>>();
  const mayRead = (entry: {
    organisation_id: string;
    category: ConsentCategory;
    concerns_person_id?: string | null;
  }) => {
    if (emergency || entry.organisation_id === organisationId) return true;
    const subject = entry.concerns_person_id ?? null;
    let categories = allowed.get(subject);
    if (!categories) {
      categories = allowedFor(subject);
      allowed.set(subject, categories);
    }
    return categories.has(entry.category);
  };
  /** A parent's own childhood history is recorded and shown only while that parent consents to it. */
  const ownHistoryAllowed = (personId: string | null) =>
    personId !== null && consents.some((c) => c.purpose === 'own_history' && c.person_id === personId);
  /** A signal is seen when its category is consented — and, for a parent's own history, while that parent consents. */
  const maySeeSignal = (
    signal: Parameters<typeof mayRead>[0] & { code: string; concerns_person_id: string | null },
  ) => {
    const definition = signalCodes().byKey.get(signal.code);
    return (
      definition !== undefined &&
      mayRead(signal) &&
      (definition.domain !== OWN_HISTORY_DOMAIN || ownHistoryAllowed(signal.concerns_person_id))
    );
  };
  return { mine, mayRead, ownHistoryAllowed, maySeeSignal };
}

/** The family with what the catalogue looks at (signals, the open trajectory, judgements), only if the actor may see it. */
function familyFactsQuery(db: Kysely<DB>, access: Access, familyId: string, purpose: 'read' | 'write' = 'read') {
  return familyQuery(db, access, familyId, purpose).select((eb) => [
    jsonArrayFrom(
      eb
        .selectFrom('signals as s')
        .select(['s.code', 's.status', 's.category', 's.organisation_id', 's.concerns_person_id'])
        .whereRef('s.family_id', '=', 'f.id')
        .where('s.status', '=', 'present'),
    ).as('signals'),
    jsonArrayFrom(
      eb
        .selectFrom('trajectories as t')
        .select(['t.due_date', 't.birth_date', 't.pregnancy_ended_on'])
        .whereRef('t.family_id', '=', 'f.id')
        .where('t.status', '=', 'open')
        .orderBy('t.created_at', 'desc')
        .limit(1),
    ).as('trajectory'),
    jsonArrayFrom(
      eb
        .selectFrom('judgements as j')
        .select(['j.intensity', 'j.status', 'j.parents_ask_for_help', 'j.category', 'j.organisation_id'])
        .whereRef('j.family_id', '=', 'f.id')
        .where('j.status', 'in', ['effective', 'agreed'])
        .orderBy('j.created_at', 'desc'),
    ).as('judgements'),
    // Whether a pregnancy is the first: the family's children already born.
    eb
      .selectFrom('persons as bp')
      .select((inner) => inner.fn.countAll<number>().as('n'))
      .whereRef('bp.family_id', '=', 'f.id')
      .where('bp.role', '=', 'child')
      .where('bp.child_status', '=', 'born')
      .as('born_children'),
  ]);
}
export type FamilyWithFacts = NonNullable<Awaited<ReturnType<ReturnType<typeof familyFactsQuery>['executeTakeFirst']>>>;
